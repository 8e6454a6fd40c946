"""Reading an uploaded file safely into a document of the common format.

The format is told from the bytes, never from the file name. XLSX workbooks are zip files: the
declared sizes of their members are checked before openpyxl opens them (zipfile never inflates a
member beyond its declared size, so the check bounds the work), and openpyxl parses their XML with
defusedxml (no entity expansion, no external entities). Text with a UTF-16 or UTF-32 byte order
mark is read in that encoding; CSV text is otherwise read as UTF-8, or in the encoding
charset-normalizer detects, or refused.
"""

import codecs
import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field

import charset_normalizer
import openpyxl
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from .format import SECTIONS, SHEETS, cell_value, sheet_named

if not openpyxl.DEFUSEDXML:  # openpyxl falls back to the plain stdlib parser without it
    raise ImproperlyConfigured("defusedxml must be installed (and OPENPYXL_DEFUSEDXML not False) to read XLSX.")

MAX_ZIP_MEMBERS = 500


class ParseError(Exception):
    """The file as a whole cannot be read; the message says why, in the submitter's language."""


@dataclass
class Parsed:
    format: str
    document: dict
    # (section, index) or (section, index, child, child_index) -> (sheet, row number) for the report
    locations: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)


def sniff(data: bytes) -> str:
    """json, csv or xlsx, from the content."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError(_("This is an old Excel (.xls) file. Save it as .xlsx or CSV and upload again."))
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return "json"
    if b"\x00" in data[:8192]:
        raise ParseError(_("This is not a JSON, CSV or XLSX file (it holds binary data)."))
    return "csv"


# Text saved as UTF-16 or UTF-32 ("Unicode text" in Excel) starts with its byte order mark; the
# UTF-32 marks first, as UTF-32-LE's starts with UTF-16-LE's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _as_utf8(data: bytes) -> bytes:
    """UTF-16 or UTF-32 text with its byte order mark, as UTF-8; any other bytes unchanged."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding).encode("utf-8")
            except UnicodeDecodeError as error:
                raise ParseError(
                    _("The file starts as %(encoding)s text, but byte %(position)s is not %(encoding)s.")
                    % {"encoding": encoding.upper(), "position": error.start}
                ) from None
    return data


def parse(data: bytes) -> Parsed:
    if not data:
        raise ParseError(_("The file is empty."))
    if len(data) > settings.SUBMISSION_MAX_BYTES:
        raise ParseError(
            _("The file is too large: %(size)s bytes, the limit is %(limit)s bytes.")
            % {"size": len(data), "limit": settings.SUBMISSION_MAX_BYTES}
        )
    data = _as_utf8(data)
    kind = sniff(data)
    return {"json": parse_json, "csv": parse_csv, "xlsx": parse_xlsx}[kind](data)


# -- JSON ------------------------------------------------------------------------------------------


def _refuse_constant(name):
    raise ValueError(_("%(name)s is not a JSON value.") % {"name": name})


def parse_json(data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(
            _("A JSON file must be UTF-8; byte %(position)s is not.") % {"position": error.start}
        ) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ParseError(
            _("This is not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        ) from None
    except ValueError as error:
        raise ParseError(str(error)) from None
    except RecursionError:
        raise ParseError(_("The JSON is nested too deeply.")) from None
    if not isinstance(document, dict):
        raise ParseError(_("The JSON file must hold one object with the sections permits, agreements, …"))
    return Parsed("json", document, json_locations(document))


def json_locations(document, sections=SECTIONS):
    """Where the report places each row of a JSON document: (section, number), and for a child
    (e.g. "permits[2].documents", number)."""
    locations = {}
    for section in sections:
        rows = document.get(section)
        if isinstance(rows, list):
            for index, row in enumerate(rows):
                locations[(section, index)] = (section, index + 1)
                for child in sheet_named(section).children:
                    if isinstance(row, dict) and isinstance(row.get(child), list):
                        for child_index in range(len(row[child])):
                            locations[(section, index, child, child_index)] = (
                                f"{section}[{index + 1}].{child}",
                                child_index + 1,
                            )
        elif isinstance(rows, dict):
            locations[(section, 0)] = (section, 1)
    return locations


# -- tables (CSV and XLSX) -------------------------------------------------------------------------


def _row_from_cells(sheet, header, cells):
    fields = sheet.field_map
    row = {}
    for column, raw in zip(header, cells, strict=False):
        if column == sheet.parent_key or not column:
            continue
        row[column] = cell_value(fields[column], raw)
    return row


def _check_header(sheet_name, header):
    sheet = SHEETS[sheet_name]
    allowed = set(sheet.columns())
    unknown = [column for column in header if column and column not in allowed]
    if unknown:
        raise ParseError(
            _("Sheet %(sheet)s: unknown column(s) %(columns)s. The columns are those of the template.")
            % {"sheet": sheet_name, "columns": ", ".join(unknown)}
        )
    if sheet.parent_key and sheet.parent_key not in header:
        raise ParseError(
            _("Sheet %(sheet)s needs the column %(column)s.") % {"sheet": sheet_name, "column": sheet.parent_key}
        )


def _document_from_tables(kind, tables, warnings=()):
    """tables: {sheet name: (header, [(row number, cells)])} → a document of the common format."""
    document, locations = {}, {}
    parents = {}  # (section, parent field, its value) -> index
    for section in SECTIONS:
        if section not in tables:
            continue
        header, rows = tables[section]
        _check_header(section, header)
        sheet = SHEETS[section]
        cited_by = {SHEETS[child].parent_field for child in sheet.children}
        items = []
        for number, cells in rows:
            row = _row_from_cells(sheet, header, cells)
            locations[(section, len(items))] = (section, number)
            for name in cited_by:
                if row.get(name):
                    parents.setdefault((section, name, str(row[name]).strip()), len(items))
            items.append(row)
        if sheet.single and len(items) != 1:
            raise ParseError(_("The recruitment_regime sheet must hold exactly one row."))  # the one single sheet
        document[section] = items[0] if sheet.single else items
    for sheet_name, sheet in SHEETS.items():
        if sheet.parent and sheet_name in tables:
            _children_from_table(document, locations, parents, sheet, tables[sheet_name])
    return Parsed(kind, document, locations, list(warnings))


def _children_from_table(document, locations, parents, sheet, table):
    header, rows = table
    _check_header(sheet.name, header)
    parent_column = header.index(sheet.parent_key)
    for number, cells in rows:
        parent_value = str(cells[parent_column] if parent_column < len(cells) else "").strip()
        index = parents.get((sheet.parent, sheet.parent_field, parent_value))
        if index is None:
            raise ParseError(
                _("Sheet %(sheet)s, row %(row)s: %(column)s %(value)s is not a row of the sheet %(parent)s.")
                % {
                    "sheet": sheet.name,
                    "row": number,
                    "column": sheet.parent_key,
                    "value": parent_value or "''",
                    "parent": sheet.parent,
                }
            )
        children = document[sheet.parent][index].setdefault(sheet.name, [])
        locations[(sheet.parent, index, sheet.name, len(children))] = (sheet.name, number)
        children.append(_row_from_cells(sheet, header, cells))


# When charset-normalizer finds several encodings equally likely (short texts often fit cp1250 and
# cp1252 alike), the ones the hub's languages are written in come first: French, German and English
# spreadsheets are saved in cp1252 by Excel, Arabic ones in cp1256.
PREFERRED_ENCODINGS = ("cp1252", "iso8859_15", "latin_1", "cp1256", "iso8859_6")


def _likely_encoding(data):
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    for encoding in PREFERRED_ENCODINGS:
        for match in tied:
            if match.encoding == encoding:
                return match
    return best


def _decode_text(data: bytes):
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    best = _likely_encoding(data)
    if best is None or best.encoding in ("utf_8", "utf_8_sig"):
        raise ParseError(
            _("The CSV file is not UTF-8 and its encoding could not be told. Save it as CSV UTF-8 and upload again.")
        )
    return str(best), [
        _("The CSV file is not UTF-8; it was read as %(encoding)s. Check the accented letters in the report.")
        % {"encoding": best.encoding}
    ]


def _csv_sheet(header):
    """The sheet a CSV file holds: the main sheet sharing the most columns with it (unknown columns
    are reported afterwards, by name)."""
    columns = set(header)
    scores = []
    for name in SECTIONS:
        sheet = SHEETS[name]
        required = {item.name for item in sheet.fields if item.required}
        if required & columns:
            scores.append((len(columns & set(sheet.columns())), name))
    if scores:
        return max(scores)[1]
    raise ParseError(
        _(
            "The CSV columns match no sheet of the common format. A CSV file holds one of: %(sheets)s "
            "(documents, fees, salary thresholds and enforcement actions need the XLSX workbook or JSON)."
        )
        % {"sheets": ", ".join(SECTIONS)}
    )


def parse_csv(data: bytes) -> Parsed:
    text, warnings = _decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise ParseError(_("This is not a readable CSV file: %(problem)s.") % {"problem": error}) from None
    if not lines:
        raise ParseError(_("The file is empty."))
    header = [column.strip() for column in lines[0]]
    rows = [(number, cells) for number, cells in enumerate(lines[1:], start=2) if any(cell.strip() for cell in cells)]
    sheet = _csv_sheet(header)
    return _document_from_tables("csv", {sheet: (header, rows)}, warnings)


def _check_zip(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError(_("This is not a readable XLSX workbook (a damaged zip file).")) from None
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise ParseError(_("This workbook holds too many parts (%(count)s).") % {"count": len(members)})
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.SUBMISSION_MAX_UNZIPPED_BYTES:
        raise ParseError(
            _("This workbook unpacks to %(size)s bytes, more than the limit of %(limit)s bytes.")
            % {"size": unpacked, "limit": settings.SUBMISSION_MAX_UNZIPPED_BYTES}
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise ParseError(_("This zip file is not an XLSX workbook."))


def _text_of(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_xlsx(data: bytes) -> Parsed:
    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (KeyError, ValueError, XML errors…)
        raise ParseError(
            _("This is not a readable XLSX workbook (%(problem)s).") % {"problem": error.__class__.__name__}
        ) from None
    tables = {}
    try:
        for worksheet in workbook.worksheets:
            name = worksheet.title.strip()
            if name not in SHEETS:
                raise ParseError(
                    _("Unknown sheet %(sheet)s; the sheets are: %(sheets)s.")
                    % {"sheet": name, "sheets": ", ".join(SHEETS)}
                )
            rows = worksheet.iter_rows(values_only=True)
            header = [_text_of(cell).strip() for cell in next(rows, ())]
            while header and not header[-1]:
                header.pop()
            body = []
            for number, cells in enumerate(rows, start=2):
                texts = [_text_of(cell) for cell in cells[: len(header)]]
                if any(text.strip() for text in texts):
                    body.append((number, texts))
            tables[name] = (header, body)
    except ParseError:
        raise
    except Exception as error:
        raise ParseError(
            _("This is not a readable XLSX workbook (%(problem)s).") % {"problem": error.__class__.__name__}
        ) from None
    finally:
        workbook.close()
    return _document_from_tables("xlsx", tables)
