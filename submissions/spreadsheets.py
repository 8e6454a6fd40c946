"""CSV and XLSX templates of the common format, with example rows taken from the published data."""

import csv
import io

import openpyxl
from openpyxl.styles import Font

from core.fields import PublicationStatus

from .format import SECTIONS, SHEETS, cell_text
from .records import export_row, published_in, queryset

EXAMPLE_COUNTRY = "MA"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text):
    # A cell starting with = + - @ would be run as a formula by a spreadsheet program.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def example_rows(section, *, limit=2):
    """Published rows of `section` in the common format, Morocco's first when there are any."""
    sheet = SHEETS[section]
    preferred = published_in(sheet, EXAMPLE_COUNTRY)[:limit]
    published = queryset(sheet).filter(publication_status=PublicationStatus.PUBLISHED)
    objects = list(preferred) or list(published.order_by("pk")[:limit])
    return [export_row(sheet, obj) for obj in objects]


def _table(sheet_name, rows_by_section):
    """(header, rows of cell texts) of one sheet."""
    sheet = SHEETS[sheet_name]
    header = sheet.columns()
    lines = []
    if sheet.parent:
        for parent in rows_by_section[sheet.parent]:
            parent_value = parent[sheet.parent_field]
            for child in parent.get(sheet_name, []):
                lines.append([parent_value] + [cell_text(child.get(column)) for column in header[1:]])
    else:
        for row in rows_by_section[sheet_name]:
            lines.append([cell_text(row.get(column)) for column in header])
    return header, lines


def _examples():
    return {section: example_rows(section, limit=1 if section == "recruitment_regime" else 2) for section in SECTIONS}


def template_csv(sheet_name):
    """A CSV template of one main sheet, with example rows."""
    if sheet_name not in SECTIONS:
        raise KeyError(sheet_name)
    header, lines = _table(sheet_name, _examples())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_safe(cell) for cell in line] for line in lines])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx():
    """An XLSX workbook with one sheet per table, with example rows."""
    examples = _examples()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name in SHEETS:
        header, lines = _table(name, examples)
        worksheet = workbook.create_sheet(name)
        worksheet.append(header)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for line in lines:
            # Typed as text: openpyxl writes strings as strings, never as formulas when escaped.
            worksheet.append([_safe(cell) for cell in line])
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
