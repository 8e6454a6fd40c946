"""The templates a focal point downloads hold their country's published rows; uploaded unchanged,
they validate with every row unchanged. The workbook's notes row and its hidden lists sheet are
skipped by the parser; its cells are typed (numbers, dates) and its closed columns have drop-downs."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.fields import PublicationStatus
from submissions import spreadsheets
from submissions.format import LISTS_SHEET, NOTES_MARKER, SECTIONS, SHEETS, cell_text, cell_value
from submissions.parsing import parse
from submissions.records import published_in
from submissions.validation import validate_document
from tests.factories import FeeFactory, LegalSourceFactory, PermitCategoryFactory, RequiredDocumentFactory, UserFactory
from tests.submissions.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db
XLSX_URL = "/admin/submissions/submission/template.xlsx"
CSV_URL = "/admin/submissions/submission/template/{sheet}.csv"


def published_count(country):
    return sum(published_in(SHEETS[section], country).count() for section in SECTIONS)


def assert_all_unchanged(result, country):
    assert result.errors == []
    assert result.diff["added"] == [] and result.diff["changed"] == [] and result.diff["withdrawn"] == []
    assert result.diff["unchanged"] == published_count(country) > 0


@pytest.mark.parametrize("country", ["DE", "EG"])
def test_focal_points_xlsx_template_uploaded_unchanged_changes_nothing(client, demo_data, country):
    client.force_login(UserFactory(role="focal_point", countries=[country]))
    response = client.get(XLSX_URL)
    assert response.status_code == 200 and country in response["Content-Disposition"]
    result = validate_document(parse(response.content), country=country, held_codes={country})
    assert_all_unchanged(result, country)


@pytest.mark.parametrize("country", ["DE", "EG"])
def test_focal_points_csv_templates_uploaded_unchanged_change_nothing(client, demo_data, country):
    client.force_login(UserFactory(role="focal_point", countries=[country]))
    unchanged = 0
    for section in SECTIONS:
        data = client.get(CSV_URL.format(sheet=section)).content
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) - 1 == published_in(SHEETS[section], country).count()
        if len(rows) == 1:
            continue  # a section the country has no rows of: nothing to upload
        result = validate_document(parse(data), country=country, held_codes={country})
        assert result.errors == [] and not (result.diff["added"] or result.diff["changed"] or result.diff["withdrawn"])
        unchanged += result.diff["unchanged"]
    assert unchanged == published_count(country) > 0


def test_the_unchanged_workbook_goes_through_the_pipeline_as_unchanged(client, demo_data, submit):
    focal_point = UserFactory(role="focal_point", countries=["EG"])
    client.force_login(focal_point)
    submission = submit(focal_point, client.get(XLSX_URL).content, country="EG", name="eg.xlsx")
    assert submission.report["errors"] == []
    assert submission.report["summary"]["unchanged"] == published_count("EG")
    assert not any(submission.report["summary"][kind] for kind in ("added", "changed", "withdrawn"))


def test_template_holds_only_the_focal_points_country(client, demo_data):
    client.force_login(UserFactory(role="focal_point", countries=["EG"]))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(XLSX_URL).content))
    permits = workbook["permits"]
    header = [cell.value for cell in permits[1]]
    countries = {row[header.index("country")] for row in permits.iter_rows(min_row=3, values_only=True) if row[0]}
    assert countries == {"EG"}


def test_focal_point_may_ask_for_another_of_their_countries_only(client, demo_data):
    client.force_login(UserFactory(role="focal_point", countries=["EG", "MA"]))
    assert "MA" in client.get(XLSX_URL + "?country=ma")["Content-Disposition"]
    assert "EG" in client.get(XLSX_URL)["Content-Disposition"]  # the first of their countries
    assert client.get(XLSX_URL + "?country=DE").status_code == 403
    assert client.get(CSV_URL.format(sheet="permits") + "?country=DE").status_code == 403


def test_hub_editor_gets_examples_or_the_country_asked_for(client, demo_data, hub_editor):
    client.force_login(hub_editor)
    examples = openpyxl.load_workbook(io.BytesIO(client.get(XLSX_URL).content))
    assert examples["permits"].max_row >= 3
    response = client.get(XLSX_URL + "?country=DE")
    result = validate_document(parse(response.content), country="DE", held_codes=None)
    assert_all_unchanged(result, "DE")
    assert client.get(XLSX_URL + "?country=XX").status_code == 404


def test_notes_row_explains_each_column_in_the_downloaders_language(client, demo_data):
    client.force_login(UserFactory(role="focal_point", countries=["EG"]))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(XLSX_URL, HTTP_ACCEPT_LANGUAGE="fr").content))
    sheet = workbook["agencies"]
    header = [cell.value for cell in sheet[1]]
    notes = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert notes[header[0]].startswith(NOTES_MARKER)
    assert all(notes.values())
    assert "AAAA-MM-JJ" in notes["valid_from"] and "Facultatif" in notes["valid_from"]
    assert "Obligatoire" in notes["legal_name"]
    assert sheet["B1"].comment.text == notes["legal_name"]
    # The format's own description of a field is in the notes row and its header cell's comment, in French.
    licence = sheet.cell(row=1, column=header.index("licence_number") + 1).comment.text
    assert licence == notes["licence_number"] and "les exemples commencent par EXAMPLE-." in licence
    permits = workbook["permits"]
    permit_notes = dict(zip([cell.value for cell in permits[1]], [cell.value for cell in permits[2]], strict=True))
    assert permit_notes["name_ar"].startswith("name en arabe")


def test_parser_skips_the_notes_row_wherever_it_is_and_the_lists_sheet():
    header = ["key", "type", "title", "parties", "status", "sources", "last_verified"]
    row = ["ma-de-1", "bla", "Agreement", "MA; DE", "in_force", "ma-law", "2026-11-25"]
    data = xlsx_bytes(
        {
            "agreements": [header, [f"{NOTES_MARKER} The key."] + [""] * 6, row, [f" {NOTES_MARKER} moved"]],
            LISTS_SHEET: [["countries"], ["MA"], ["DE"]],
        }
    )
    parsed = parse(data)
    assert [item["key"] for item in parsed.document["agreements"]] == ["ma-de-1"]
    assert parsed.locations[("agreements", 0)] == ("agreements", 3)
    csv_data = "\n".join([",".join(header), f"{NOTES_MARKER} The key.,,,,,,", ",".join(row)]).encode()
    assert [item["key"] for item in parse(csv_data).document["agreements"]] == ["ma-de-1"]


def test_parser_reads_typed_cells_as_the_format_writes_them():
    header = ["permit_code", "amount", "currency", "period", "valid_from"]
    data = xlsx_bytes(
        {
            "permits": [["code", "name", "purpose", "sources", "last_verified"], ["p", "P", "work", "s", "2026-01-01"]],
            "salary_thresholds": [header, ["p", 48300, "EUR", "year", datetime.date(2025, 1, 1)], ["p", 12.35 + 1e-15]],
        }
    )
    thresholds = parse(data).document["permits"][0]["salary_thresholds"]
    assert thresholds[0]["amount"] == "48300" and thresholds[0]["valid_from"] == "2025-01-01"
    assert thresholds[1]["amount"] == "12.35"


def test_an_empty_regime_sheet_leaves_the_section_out():
    data = xlsx_bytes({"recruitment_regime": [SHEETS["recruitment_regime"].columns()]})
    assert "recruitment_regime" not in parse(data).document


def test_workbook_cells_are_typed_and_closed_columns_have_drop_downs(demo_data):
    workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.template_xlsx(country="DE")))
    assert workbook[LISTS_SHEET].sheet_state == "hidden" and workbook.sheetnames[-1] == LISTS_SHEET
    thresholds = workbook["salary_thresholds"]
    header = [cell.value for cell in thresholds[1]]
    amount = thresholds.cell(row=3, column=header.index("amount") + 1)
    assert isinstance(amount.value, int | float) and amount.number_format == "0.00"
    valid_from = [row[header.index("valid_from")] for row in thresholds.iter_rows(min_row=3) if row[0].value]
    assert any(isinstance(cell.value, datetime.datetime) for cell in valid_from)
    assert all(cell.number_format == "yyyy-mm-dd" for cell in valid_from)
    # New rows typed below the data get the formats too.
    below = thresholds.max_row
    assert thresholds.cell(row=below, column=header.index("amount") + 1).number_format == "0.00"

    permits = workbook["permits"]
    columns = [cell.value for cell in permits[1]]
    formulas = {}
    for validation in permits.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            formulas[columns[cell_range.min_col - 1]] = validation.formula1
    assert formulas["purpose"].startswith('"') and "work" in formulas["purpose"]
    assert formulas["renewable"] == '"true,false"'
    assert formulas["country"].startswith(f"'{LISTS_SHEET}'!$")
    assert formulas["contact"].startswith(f"'{LISTS_SHEET}'!$")
    assert "where_to_apply" not in formulas  # several values in a cell: no single-value list
    lists = workbook[LISTS_SHEET]
    countries_column = formulas["country"].split("$")[1]
    countries = [cell.value for cell in lists[countries_column][1:]]
    assert "DE" in countries and len(countries) > 200


def test_template_queries_do_not_grow_with_the_rows(demo_data):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            spreadsheets.template_xlsx(country="DE")
        return len(captured)

    before = queries()
    source = LegalSourceFactory(country_id="DE")
    for _number in range(5):
        permit = PermitCategoryFactory(
            country_id="DE", publication_status=PublicationStatus.PUBLISHED, legal_sources=[source]
        )
        RequiredDocumentFactory(permit=permit)
        FeeFactory(permit=permit)
    assert queries() == before


def test_notes_row_language_follows_the_request(demo_data):
    with translation.override("de"):
        workbook = openpyxl.load_workbook(io.BytesIO(spreadsheets.template_xlsx()))
    assert "Pflichtangabe" in workbook["permits"]["A2"].value


def test_a_fact_holding_a_semicolon_stays_one_item_in_a_cell():
    facts = SHEETS["permits"].field_map["unknown"]
    for items in (["a; b", "c"], ["a; b"], ["a", "b"]):
        assert cell_value(facts, cell_text(items)) == items
    assert cell_value(facts, "a; b") == ["a", "b"]  # a cell typed with ; between items
