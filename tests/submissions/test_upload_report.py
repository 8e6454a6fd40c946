"""Uploads that explain themselves: plain messages in the submitter's language, the report grouped by
sheet with its cells, a note that matches the status, the diff in words, and a corrected file."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from jsonschema import Draft202012Validator

from submissions.admin import errors_by_sheet
from submissions.format import common_format_schema
from submissions.models import Submission
from submissions.validation import pattern_message
from tests.factories import UserFactory
from tests.submissions.conftest import agency, json_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/submissions/submission/add/"
GENERIC = "This value does not have the form the field needs"
# What a message must never show: a regular expression, a Python repr.
NOTATION = re.compile(r"\^|\$|\\d|\[A-|'")


def page_of(client, submission, **headers):
    return client.get(f"/admin/submissions/submission/{submission.pk}/change/", **headers).content.decode()


def three_bad_rows():
    """A workbook whose columns are not in the template's order (the cells follow the file's own),
    with three rows wrong in three ways, and a child row wrong in a sheet of its own."""
    return xlsx_bytes(
        {
            "agencies": [
                ["licence_number", "legal_name", "is_example", "valid_from", "valid_until", "status"],
                ["EXAMPLE-MA-1", "Good agency", "true", "2025-01-01", "2026-01-01", "active"],
                ["EXAMPLE-MA-2", "Undated agency", "true", "next spring", "", "active"],
                ["EXAMPLE-MA-3", "Open agency", "true", "2025-01-01", "", "open"],
                ["EXAMPLE-MA-4", "Backwards agency", "true", "2025-05-01", "2025-01-01", "active"],
            ],
            "enforcement_actions": [
                ["licence_number", "date", "action"],
                ["EXAMPLE-MA-1", "2025-03-01", "fine of sorts"],
            ],
        }
    )


def test_a_file_gives_all_its_errors_at_once_in_plain_words_with_their_cells(focal_point_ma, submit):
    submission = submit(focal_point_ma, three_bad_rows())
    assert submission.status == Submission.Status.INVALID
    found = {(e["sheet"], e["row"], e["field"]): (e["cell"], e["message"]) for e in submission.report["errors"]}
    child = found.pop(("enforcement_actions", 2, "action"))
    assert found == {
        ("agencies", 3, "valid_from"): ("D3", "Not a date: write it as YYYY-MM-DD, e.g. 2026-03-01."),
        ("agencies", 4, "status"): ("F4", "Not one of the allowed values: active, suspended, revoked, expired."),
        ("agencies", 5, "valid_until"): ("E5", "A licence must end after it starts."),
    }
    assert child[0] == "C2" and child[1].startswith("Not one of the allowed values: warning, ")
    for _cell, message in [*found.values(), child]:
        assert not NOTATION.search(message), message


def test_a_json_file_has_no_cells_and_its_child_rows_sort_with_their_parent(focal_point_ma, submit):
    rows = [agency(website="ftp://x"), agency(licence_number="EXAMPLE-MA-2", enforcement_actions=[{"date": "x"}])]
    submission = submit(focal_point_ma, json_bytes({"agencies": rows, "format_version": "1.0"}))
    errors = errors_by_sheet(submission.report["errors"])
    assert {error["cell"] for error in errors} == {""}
    assert {error["group"] for error in errors} == {"agencies"}
    assert [(error["sheet"], error["row"], error["field"]) for error in errors] == [
        ("agencies", 1, "website"),
        ("agencies[2].enforcement_actions", 1, "date"),
        ("agencies[2].enforcement_actions", 1, "action"),
    ]
    assert errors[0]["message"].startswith("Not a web address: it starts with http:// or https://")


def test_the_admin_report_groups_errors_by_sheet_with_row_column_and_cell(client, focal_point_ma, submit):
    submission = submit(focal_point_ma, three_bad_rows())
    client.force_login(focal_point_ma)
    page = page_of(client, submission)
    assert "Sheet agencies: 3 errors" in page and "Sheet enforcement_actions: 1 error" in page
    assert (
        page.index("Sheet agencies") < page.index("<td>D3</td>") < page.index("<td>F4</td>") < page.index("<td>E5</td>")
    )
    assert page.index("<td>E5</td>") < page.index("Sheet enforcement_actions") < page.index("<td>C2</td>")
    assert "Wrong form" not in page and r"\d{4}" not in page


def test_every_pattern_of_the_schema_has_a_message_in_words(db):
    patterns = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(common_format_schema())
    assert len(patterns) >= 8
    for pattern in patterns:
        message = pattern_message(pattern)
        assert GENERIC not in message and "e.g." in message and not NOTATION.search(message), pattern
    assert GENERIC in pattern_message(r"^[a-z]{5}$")  # a pattern without a message is never shown


def test_messages_name_ranges_booleans_and_repeats(db):
    def message_of(schema, value):
        from submissions.validation import schema_error_message

        [error] = Draft202012Validator(schema).iter_errors(value)
        return schema_error_message(error)

    assert message_of({"type": "array", "items": {"minimum": 1, "maximum": 4}}, [5]) == (
        "Out of range: write a number from 1 to 4."
    )
    assert message_of({"type": ["integer", "null"], "minimum": 0}, -1) == "Out of range: write a number of 0 or more."
    assert message_of({"type": ["boolean", "null"]}, "maybe").startswith("Write true or false")
    assert message_of({"type": "array", "uniqueItems": True}, ["SA", "SA"]) == "The list repeats an item: SA."
    assert message_of({"type": ["string", "null"], "pattern": r"^\d{1,10}(\.\d{1,2})?$"}, 75.5).startswith(
        "The amount must be a positive number with at most two decimals"
    )


def test_messages_are_in_the_submitters_language(focal_point_ma, submit):
    submission = submit(focal_point_ma, three_bad_rows(), language="fr")
    messages = {e["field"]: e["message"] for e in submission.report["errors"]}
    assert messages["valid_from"] == "Pas une date : écrivez-la sous la forme AAAA-MM-JJ, p. ex. 2026-03-01."
    assert messages["status"].startswith("Pas une des valeurs admises : active, suspended")
    english = pattern_message(r"^[A-Z]{2}$")
    with translation.override("ar"):
        arabic = pattern_message(r"^[A-Z]{2}$")
    assert arabic != english and "ISO 3166-1" in arabic and "MA" in arabic
    with translation.override("de"):
        assert pattern_message(r"^[A-Z]{3}$").startswith("Kein Währungscode")


def test_an_invalid_upload_says_so_and_what_to_do_not_added_successfully(
    client, focal_point_ma, media_root, django_capture_on_commit_callbacks
):
    client.force_login(focal_point_ma)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {"country": "MA", "file": SimpleUploadedFile("a.xlsx", three_bad_rows())})
    submission = Submission.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/submissions/submission/{submission.pk}/change/"
    page = page_of(client, submission)  # the admin's message of the upload, if any, shows here
    assert "added successfully" not in page
    assert (
        f"Submission #{submission.pk} (MA): 4 errors. See the report below, fix them all and upload a corrected file."
        in page
    )
    french = page_of(client, submission, HTTP_ACCEPT_LANGUAGE="fr")
    assert "4 erreurs. Lisez le rapport ci-dessous, corrigez-les toutes et envoyez un fichier corrigé." in french


def test_the_note_follows_the_status(client, focal_point_ma, submit):
    client.force_login(focal_point_ma)
    valid = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    assert "awaits a second person&#x27;s review" in page_of(client, valid)
    Submission.objects.filter(pk=valid.pk).update(status=Submission.Status.RECEIVED)
    page = page_of(client, valid)
    assert "the file is being checked" in page and 'http-equiv="refresh"' in page
    assert "Upload a corrected file" not in page


def test_the_diff_shows_names_and_plain_values_not_json(client, focal_point_ma, hub_editor, submit):
    from tests.submissions.test_pipeline import approve_and_publish

    first = submit(focal_point_ma, json_bytes({"agencies": [agency(destinations=["SA"])]}))
    approve_and_publish(first, hub_editor)
    renamed = agency(legal_name="Renamed agency", destinations=["SA", "QA"], status="suspended")
    added = agency(licence_number="EXAMPLE-MA-7", legal_name="New agency", sectors=["F", "Q"])
    second = submit(focal_point_ma, json_bytes({"agencies": [renamed, added]}), confirm_withdrawal=True)
    client.force_login(focal_point_ma)
    page = page_of(client, second)
    start = page.index('id="diff"')
    diff = page[start : page.index("</fieldset>", start)]
    assert "Renamed agency (EXAMPLE-MA-9001)" in diff and "New agency (EXAMPLE-MA-7)" in diff
    assert "legal name <small>(legal_name)</small>: Example agency → Renamed agency" in diff
    assert ": SA → QA, SA" in diff  # a list, joined
    assert ": active → suspended" in diff
    assert ": F, Q" in diff and ": yes" in diff  # the added row's sectors and is_example
    assert "&quot;" not in diff and "{" not in diff and "[" not in diff
    assert "Recruitment agencies <small>(agencies)</small>" in diff  # the table by its name


def test_an_invalid_submission_offers_a_corrected_file_for_the_same_country(
    client, submit, media_root, django_capture_on_commit_callbacks
):
    focal_point = UserFactory(role="focal_point", countries=["MA", "TN"])
    invalid = submit(focal_point, three_bad_rows())
    client.force_login(focal_point)
    page = page_of(client, invalid)
    link = f"{ADD_URL}?country=MA&amp;corrects={invalid.pk}"
    assert f'<a href="{link}">Upload a corrected file</a>' in page
    form = client.get(link.replace("&amp;", "&")).context["adminform"].form
    assert str(form.initial["country"]) == "MA" and str(form.initial["corrects"]) == str(invalid.pk)
    refused = client.post(
        ADD_URL, {"country": "TN", "corrects": invalid.pk, "file": SimpleUploadedFile("b.json", b"{}")}
    )
    assert "choose that country" in refused.content.decode()
    corrected = json_bytes({"agencies": [agency()]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD_URL, {"country": "MA", "corrects": invalid.pk, "file": SimpleUploadedFile("c.json", corrected)})
    correction = Submission.objects.exclude(pk=invalid.pk).get()
    assert correction.corrects == invalid and correction.status == Submission.Status.READY_FOR_REVIEW
    assert f"/admin/submissions/submission/{invalid.pk}/change/" in page_of(client, correction)
