"""The common format is defined once: a field added to its definition is exported, validated, built,
published and served by the API with nothing else in submissions/ changed."""

import csv
import io
from dataclasses import replace

import pytest

from permits.models import PermitCategory
from submissions import services
from submissions.format import SHEETS, UNKNOWN, Field
from tests.submissions.conftest import diff_of, json_bytes

pytestmark = pytest.mark.django_db

CODE = "ma-work-contract-visa"  # the one Moroccan permit of the demo data


@pytest.fixture
def english_unknowns(monkeypatch):
    """The format with a permit's `unknown` in English only (the model's unknown_facts_en), as it was
    before its translations were columns of the format: unknown_facts_fr is a field it does not carry."""
    english = replace(UNKNOWN, translated=False, attribute="unknown_facts_en")
    sheet = SHEETS["permits"]
    sheet = replace(sheet, fields=tuple(english if item is UNKNOWN else item for item in sheet.fields))
    assert "unknown_fr" not in sheet.field_map
    monkeypatch.setitem(SHEETS, "permits", sheet)


@pytest.fixture
def french_unknowns(english_unknowns, monkeypatch):
    """A permit field added to that format: what could not be confirmed, in French (unknown_facts_fr)."""
    extra = Field("unknown_fr", "lines", "What could not be confirmed, in French.", attribute="unknown_facts_fr")
    monkeypatch.setitem(SHEETS, "permits", SHEETS["permits"].with_fields(extra))
    return extra


def csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def csv_bytes(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_a_permit_field_added_to_the_format_round_trips(
    client, demo_data, french_unknowns, focal_point_ma, hub_editor, submit
):
    PermitCategory.objects.filter(code=CODE).update(unknown_facts_fr="délai : non publié")

    # Export: the template's example row carries the new column, with the stored value.
    client.force_login(focal_point_ma)
    header, *rows = csv_rows(client.get("/admin/submissions/submission/template/permits.csv").content)
    [row] = [row for row in rows if row[header.index("code")] == CODE]
    column = header.index("unknown_fr")
    assert row[column] == "délai : non publié"

    # Upload: the changed value is valid and is the one change of the diff.
    row[column] = "délai : non publié; frais : inconnus"
    submission = submit(focal_point_ma, csv_bytes([header, row]))
    assert submission.report["errors"] == []
    [change] = diff_of(submission)["changed"]
    assert change["key"] == CODE
    assert change["fields"] == {"unknown_fr": [["délai : non publié"], ["délai : non publié", "frais : inconnus"]]}

    # Publish, then read it back from the API.
    services.submission_approve(submission=submission, reviewer=hub_editor, reason="checked")
    assert services.submission_publish(submission_id=submission.pk).status == "published"
    assert PermitCategory.objects.get(code=CODE).unknown_facts_fr == "délai : non publié\nfrais : inconnus"
    permit = client.get(f"/api/v1/permits/{CODE}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert permit["unknown_facts"] == "délai : non publié\nfrais : inconnus"


def test_the_unknown_facts_in_each_language_are_columns_of_the_template(client, demo_data, focal_point_ma, submit):
    stored = PermitCategory.objects.get(code=CODE).unknown_facts_ar.split("\n")
    client.force_login(focal_point_ma)
    header, *rows = csv_rows(client.get("/admin/submissions/submission/template/permits.csv").content)
    assert {"unknown", "unknown_fr", "unknown_ar", "unknown_de"} <= set(header)
    [row] = [row for row in rows if row[header.index("code")] == CODE]
    column = header.index("unknown_ar")
    assert row[column] == "; ".join(stored)

    row[column] = "; ".join([*stored, "الرسوم"])
    submission = submit(focal_point_ma, csv_bytes([header, row]))
    assert submission.report["errors"] == []
    [change] = diff_of(submission)["changed"]
    assert change["fields"] == {"unknown_ar": [stored, [*stored, "الرسوم"]]}


def test_an_added_field_is_validated_by_the_schema_it_adds(demo_data, french_unknowns, focal_point_ma, submit):
    document = {"country": "MA", "permits": [{"code": CODE, "unknown_fr": "not a list"}]}
    errors = submit(focal_point_ma, json_bytes(document)).report["errors"]
    assert ("unknown_fr", "Wrong type: expected a list.") in [(error["field"], error["message"]) for error in errors]


def test_without_the_added_field_the_column_is_unknown(demo_data, english_unknowns, focal_point_ma, submit):
    document = {"country": "MA", "permits": [{"code": CODE, "unknown_fr": ["délai : non publié"]}]}
    errors = submit(focal_point_ma, json_bytes(document)).report["errors"]
    assert ("", "unknown_fr") in [(error["field"], error["value"]) for error in errors]
