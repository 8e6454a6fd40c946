"""CSV and XLSX templates of the common format, filled in with published rows.

A template for a country holds every published row of that country (the rows a full section
replaces), so that a focal point edits them rather than retypes them: uploaded unchanged, it
validates with every row unchanged. Without a country (a hub editor), the template holds a few
published rows as examples, Morocco's first.

The workbook's layout, which the parser relies on (submissions/parsing.py):
- row 1 is the header (the column names; each header cell's comment explains the column);
- row 2 is the notes row: a short explanation of each column in the language of the person
  downloading; its first cell starts with NOTES_MARKER, which is how the parser skips it;
- rows 3 and below are data. Amounts are numbers shown with two decimals, whole numbers numbers,
  dates dates (yyyy-mm-dd), everything else text; the rows written and EXTRA_ROWS below them carry
  these formats, so that new rows typed there get them too;
- columns whose values are a closed set (choices, true/false, countries, currencies, the keys of
  sources and contact points) have a drop-down list; a list too long to be written in the
  validation itself (Excel's limit is 255 characters) is a column of the hidden sheet LISTS_SHEET,
  which the parser skips.
The CSV template stays a plain table: the header, then the rows (no notes row).
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pycountry
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.fields import PublicationStatus
from countries.models import ContactPoint, Country, LegalSource

from .format import AMOUNT_PATTERN, LISTS_SHEET, NOTES_MARKER, SECTIONS, SHEETS, cell_text
from .records import export_row, published_in, queryset

EXAMPLE_COUNTRY = "MA"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXTRA_ROWS = 200  # empty rows below the data that carry the columns' formats
FIRST_DATA_ROW = 3
LAST_ROW = 1048576  # drop-down lists apply down to the end of the sheet
INLINE_LIST_LIMIT = 255  # Excel's limit on a list written in the validation itself
TEXT_FORMAT = "@"
NUMBER_FORMATS = {"amount": "0.00", "int": "0", "date": "yyyy-mm-dd"}
NOTES_FILL = PatternFill("solid", fgColor="F2F2F2")
COLUMN_WIDTH = 22


def _safe(text):
    # A cell starting with = + - @ would be run as a formula by a spreadsheet program.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# -- the rows ------------------------------------------------------------------------------------------


def example_rows(section, *, limit=2):
    """Published rows of `section` in the common format, Morocco's first when there are any."""
    sheet = SHEETS[section]
    preferred = published_in(sheet, EXAMPLE_COUNTRY)[:limit]
    published = queryset(sheet).filter(publication_status=PublicationStatus.PUBLISHED)
    objects = list(preferred) or list(published.order_by("pk")[:limit])
    return [export_row(sheet, obj) for obj in objects]


def country_rows(section, country):
    """Every published row of `section` for `country`, in the common format (one query per
    relation, whatever the number of rows: records.queryset prefetches what export_row reads)."""
    sheet = SHEETS[section]
    return [export_row(sheet, obj) for obj in published_in(sheet, country).order_by("pk")]


def section_rows(section, country):
    """The rows a template holds: every published row of `country`, or examples without one."""
    if country is None:
        return example_rows(section, limit=1 if SHEETS[section].single else 2)
    return country_rows(section, country)


def _table(sheet_name, rows_by_section):
    """(header, rows of JSON values) of one sheet."""
    sheet = SHEETS[sheet_name]
    header = sheet.columns()
    lines = []
    if sheet.parent:
        for parent in rows_by_section[sheet.parent]:
            parent_value = parent[sheet.parent_field]
            for child in parent.get(sheet_name, []):
                lines.append([parent_value] + [child.get(column) for column in header[1:]])
    else:
        for row in rows_by_section[sheet_name]:
            lines.append([row.get(column) for column in header])
    return header, lines


def template_csv(sheet_name, *, country=None):
    """A CSV template of one main sheet: the published rows of `country`, or examples."""
    if sheet_name not in SECTIONS:
        raise KeyError(sheet_name)
    header, lines = _table(sheet_name, {sheet_name: section_rows(sheet_name, country)})
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_safe(cell_text(value)) for value in line] for line in lines])
    return buffer.getvalue().encode("utf-8-sig")


# -- the notes ---------------------------------------------------------------------------------------


# How a value of each kind is written, said in the notes row.
KIND_NOTES = {
    "text": gettext_lazy("Text."),
    "key": gettext_lazy("An identifier: letters, digits, - and _ only."),
    "url": gettext_lazy("A web address starting with https://."),
    "choice": gettext_lazy("One value of the drop-down list."),
    "country": gettext_lazy("A country code (ISO 3166-1 alpha-2, e.g. MA), from the drop-down list."),
    "currency": gettext_lazy("A currency code (ISO 4217, e.g. EUR), from the drop-down list."),
    "int": gettext_lazy("A whole number."),
    "bool": gettext_lazy("true or false."),
    "tristate": gettext_lazy("true, false, or blank when not known."),
    "date": gettext_lazy("A date, YYYY-MM-DD."),
    "amount": gettext_lazy("An amount with up to two decimals, e.g. 48300.00."),
    "list": gettext_lazy("One or more values separated by ; (e.g. MA; TN)."),
    "int_list": gettext_lazy("Whole numbers separated by ; (e.g. 2; 3)."),
    "lines": gettext_lazy("One or more items separated by ;."),
}


def _translated_from(sheet):
    """{translation column (name_fr): the translated field (name)}."""
    return {column: item for item in sheet.fields for column, _attribute in item.translations[1:]}


# The languages of the translation columns, as a sentence names them ("name in French").
LANGUAGE_NAMES = {
    "fr": pgettext_lazy("in a sentence", "French"),
    "ar": pgettext_lazy("in a sentence", "Arabic"),
    "de": pgettext_lazy("in a sentence", "German"),
}


def column_note(sheet, column, translated_from):
    """A short explanation of one column: what it holds, in which form, whether it is required;
    in the active language, the format's own description included (translated where the hub has a
    translation; the JSON Schema keeps the English wording).
    `translated_from` is _translated_from(sheet), computed once per sheet."""
    if column == sheet.parent_key:
        return _("The %(column)s of the row of the %(sheet)s sheet this row belongs to. Required.") % {
            "column": sheet.parent_field,
            "sheet": sheet.parent,
        }
    item = sheet.field_map[column]
    base = translated_from.get(column, item)
    parts = []
    if base is not item:
        parts.append(
            _("%(field)s in %(language)s (leave blank when there is no translation).")
            % {"field": base.name, "language": LANGUAGE_NAMES[column.rsplit("_", 1)[1]]}
        )
    elif item.description:
        parts.append(_(item.description))  # marked with gettext_noop in format.py
    parts.append(str(KIND_NOTES[item.kind]))
    values = [value for value in item.choices if value]
    if values and item.kind in ("list", "lines"):
        parts.append(_("Allowed values: %(values)s.") % {"values": ", ".join(values)})
    if item.kind == "key" and item.ref is not None:
        parts.append(_("A key known to the hub, from the drop-down list."))
    if item.required and base is item:
        parts.append(_("Required."))
    else:
        parts.append(_("Optional."))
        if item.default not in (None, "") and item.kind != "list":
            parts.append(_("Blank means %(value)s.") % {"value": cell_text(item.default)})
    return " ".join(parts)


# -- the drop-down lists -----------------------------------------------------------------------------


class Lists:
    """The allowed values of the workbook's closed columns; long lists are written, a column each, to
    the hidden sheet LISTS_SHEET, each read from the database once per workbook."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.sheet = None
        self.stored = {}  # list name -> keys or codes read from the database
        self.ranges = {}  # list name -> its range in the lists sheet

    def values(self, item):
        """(list name, allowed values, closed by the format) of a field, or None when it has none."""
        if item.kind == "choice":
            return item.name, [value for value in item.choices if value], True
        if item.kind in ("bool", "tristate"):
            return "boolean", ["true", "false"], True
        if item.kind == "country":
            return "countries", self._stored("countries", Country, "code"), False
        if item.kind == "currency":
            return "currencies", sorted(currency.alpha_3 for currency in pycountry.currencies), True
        if item.kind == "key" and item.ref is not None and item.ref.model in (LegalSource, ContactPoint):
            name = "sources" if item.ref.model is LegalSource else "contacts"
            return name, self._stored(name, item.ref.model, item.ref.key), False
        return None

    def _stored(self, name, model, key):
        if name not in self.stored:
            self.stored[name] = list(model._base_manager.order_by(key).values_list(key, flat=True))
        return self.stored[name]

    def formula(self, name, values):
        """The validation's formula: the values themselves when short, else their range in the lists sheet."""
        inline = ",".join(values)
        if len(inline) + 2 <= INLINE_LIST_LIMIT and not any("," in value or '"' in value for value in values):
            return f'"{inline}"'
        return self._range(name, values)

    def _range(self, name, values):
        if self.sheet is None:
            self.sheet = self.workbook.create_sheet(LISTS_SHEET)
            self.sheet.sheet_state = "hidden"
        if name not in self.ranges:
            column = len(self.ranges) + 1
            letter = get_column_letter(column)
            self.sheet.cell(row=1, column=column, value=name)
            for row, value in enumerate(values, start=2):
                self.sheet.cell(row=row, column=column, value=value).number_format = TEXT_FORMAT
            self.ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[name]


def _add_validation(worksheet, lists, item, letter):
    found = lists.values(item)
    if found is None or not found[1]:
        return
    name, values, closed = found
    validation = DataValidation(
        type="list",
        formula1=lists.formula(name, values),
        allow_blank=True,
        # A value of the format itself is refused; a key or code the hub keeps may have been added
        # since the download, so typing one is only warned about.
        errorStyle="stop" if closed else "warning",
        error=_("Pick a value from the list."),
        errorTitle=_("Not a value of the list"),
        showErrorMessage=True,
    )
    validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_ROW}")
    worksheet.add_data_validation(validation)


# -- the workbook ------------------------------------------------------------------------------------


def _typed(kind, value):
    """A JSON value as the cell it is written to: amounts and whole numbers as numbers, dates as dates."""
    if kind == "amount" and isinstance(value, str) and value and _is_amount(value):
        return Decimal(value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, str) and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return _safe(cell_text(value))


def _is_amount(value):
    return re.fullmatch(AMOUNT_PATTERN, value) is not None


def _header_comment(note):
    """The header cell's comment: the column's note, without the notes row's mark, so that the
    explanation is at hand where the notes row has been deleted or scrolled away."""
    return note.removeprefix(NOTES_MARKER).strip()


def _write_sheet(worksheet, sheet, header, lines, lists):
    kinds = [sheet.field_map[column].kind if column in sheet.field_map else "key" for column in header]
    worksheet.append(header)
    translated_from = _translated_from(sheet)
    notes = [column_note(sheet, column, translated_from) for column in header]
    notes[0] = f"{NOTES_MARKER} {notes[0]}"
    worksheet.append(notes)
    for index, (column, note) in enumerate(zip(header, notes, strict=True), start=1):
        letter = get_column_letter(index)
        cell = worksheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.comment = Comment(_header_comment(note), "Mobility Hub", width=320, height=160)
        notes_cell = worksheet.cell(row=2, column=index)
        notes_cell.font = Font(italic=True, color="555555")
        notes_cell.fill = NOTES_FILL
        notes_cell.alignment = Alignment(wrap_text=True, vertical="top")
        worksheet.column_dimensions[letter].width = COLUMN_WIDTH
        if column in sheet.field_map:
            _add_validation(worksheet, lists, sheet.field_map[column], letter)
    for line in lines:
        worksheet.append([_typed(kind, value) for kind, value in zip(kinds, line, strict=True)])
    last = FIRST_DATA_ROW + len(lines) + EXTRA_ROWS - 1
    for index, kind in enumerate(kinds, start=1):
        number_format = NUMBER_FORMATS.get(kind, TEXT_FORMAT)
        for row in range(FIRST_DATA_ROW, last + 1):
            worksheet.cell(row=row, column=index).number_format = number_format
    worksheet.freeze_panes = "A3"


def template_xlsx(*, country=None):
    """An XLSX workbook with one sheet per table: the published rows of `country`, or examples."""
    rows_by_section = {section: section_rows(section, country) for section in SECTIONS}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    lists = Lists(workbook)
    for name, sheet in SHEETS.items():
        header, lines = _table(name, rows_by_section)
        _write_sheet(workbook.create_sheet(name), sheet, header, lines, lists)
    if lists.sheet is not None:  # last, after the tables
        workbook.move_sheet(lists.sheet, offset=len(workbook.sheetnames) - 1 - workbook.index(lists.sheet))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
