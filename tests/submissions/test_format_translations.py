"""The format's field descriptions are shown translated in the workbook template (notes row and
header comments), while the JSON Schema keeps them in English, the format's own language."""

import io

import openpyxl
import pytest
from django.utils import translation

from submissions.format import (
    NOTES_MARKER,
    REFERENCE_SHEETS,
    SHEETS,
    common_format_schema,
)
from submissions.spreadsheets import template_xlsx

PERMIT_NAME_EN = "Name of the permit."
PERMIT_NAME_FR = "Nom du titre."


def _notes_and_comments(workbook, sheet_name):
    sheet = workbook[sheet_name]
    header = [cell.value for cell in sheet[1]]
    notes = [cell.value.removeprefix(NOTES_MARKER).strip() for cell in sheet[2]]
    comments = [cell.comment.text for cell in sheet[1]]
    return dict(zip(header, notes, strict=True)), dict(zip(header, comments, strict=True))


@pytest.mark.django_db
def test_french_template_describes_a_permit_field_in_french():
    with translation.override("fr"):
        workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    notes, comments = _notes_and_comments(workbook, "permits")
    assert notes["name"].startswith(PERMIT_NAME_FR) and PERMIT_NAME_EN not in notes["name"]
    assert comments["name"] == notes["name"]


@pytest.mark.django_db
def test_english_template_keeps_the_english_description():
    with translation.override("en"):
        workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    notes, comments = _notes_and_comments(workbook, "permits")
    assert notes["name"].startswith(PERMIT_NAME_EN) and comments["name"] == notes["name"]


def test_schema_descriptions_stay_english_whatever_the_language():
    with translation.override("fr"):
        schema = common_format_schema()
    assert schema["$defs"]["permits"]["properties"]["name"]["description"] == PERMIT_NAME_EN


@pytest.mark.parametrize("language", ["fr", "ar", "de"])
def test_every_field_description_has_a_translation(language):
    sheets = [*SHEETS.values(), *REFERENCE_SHEETS.values()]
    descriptions = {item.description for sheet in sheets for item in sheet.fields if item.description}
    with translation.override(language):
        untranslated = sorted(text for text in descriptions if translation.gettext(text) == text)
    assert untranslated == []
