"""Reading an uploaded file safely into a document of the common format.

The format is told from the bytes, never from the file name. XLSX workbooks are zip files: the
declared sizes of their members are checked before openpyxl opens them (zipfile never inflates a
member beyond its declared size, so the check bounds the work), and openpyxl parses their XML with
defusedxml (no entity expansion, no external entities). Text with a UTF-16 or UTF-32 byte order
mark is read in that encoding; CSV text is otherwise read as UTF-8, or in the encoding
charset-normalizer detects, or refused.

A stored CSV file (parse_stored) is read as a stream: its encoding is checked a chunk at a time,
and its rows are read from the file while they are checked (SheetRows), so that a file of a hundred
thousand rows never sits in memory as bytes, text and lists at once. JSON and XLSX are read whole
(both bounded by SUBMISSION_MAX_BYTES, XLSX also by SUBMISSION_MAX_UNZIPPED_BYTES).

What the templates add is skipped (submissions/spreadsheets.py): a row whose first cell starts with
NOTES_MARKER (the notes row under the header) in a sheet of a workbook or a CSV file, and the
workbook's sheet named LISTS_SHEET (the hidden sheet of the drop-down lists' values). A cell typed
as a date is read as YYYY-MM-DD, a cell typed as a number as its decimal text (an amount of 48300
then compares equal to the stored 48300.00), a boolean as true or false.
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

from .format import LISTS_SHEET, NOTES_MARKER, SECTIONS, SHEETS, cell_value, sheet_named

if not openpyxl.DEFUSEDXML:  # openpyxl falls back to the plain stdlib parser without it
    raise ImproperlyConfigured("defusedxml must be installed (and OPENPYXL_DEFUSEDXML not False) to read XLSX.")

MAX_ZIP_MEMBERS = 500
READ_CHUNK = 1024 * 1024
# charset-normalizer looks at this much of a file that is not UTF-8 (it is slow on megabytes).
ENCODING_SAMPLE = 2 * 1024 * 1024


class ParseError(Exception):
    """The file as a whole cannot be read; the message says why, in the submitter's language."""


@dataclass
class Parsed:
    format: str
    document: dict
    # (section, index) or (section, index, child, child_index) -> (sheet, row number) for the report
    locations: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    # sheet -> its header row, in a CSV or XLSX file: where the report's cell references come from
    headers: dict = field(default_factory=dict)


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


def _bom_encoding(head: bytes):
    for mark, encoding in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    return None


def _undecodable_at(opener, encoding):
    """The position of the first byte of the file that is not `encoding`, or None; read a chunk at a
    time (the incremental decoder keeps a character split between two chunks)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    position = 0
    with opener() as handle:
        while True:
            chunk = handle.read(READ_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                held_back = len(error.object) - len(chunk)  # bytes kept from the previous chunk
                return max(position - held_back + error.start, 0)
            if not chunk:
                return None
            position += len(chunk)


def _check_size(size):
    if not size:
        raise ParseError(_("The file is empty."))
    if size > settings.SUBMISSION_MAX_BYTES:
        raise ParseError(
            _("The file is too large: %(size)s bytes, the limit is %(limit)s bytes.")
            % {"size": size, "limit": settings.SUBMISSION_MAX_BYTES}
        )


def parse(data: bytes) -> Parsed:
    """The bytes of a file as a document of the common format, every row in memory."""
    _check_size(len(data))
    return _parse(lambda: io.BytesIO(data), stream=False)


def parse_stored(opener, size) -> Parsed:
    """A stored file as a document; `opener()` opens it for reading (binary), anew each time. The
    rows of a CSV file are read from the file while they are checked (see SheetRows)."""
    _check_size(size)
    return _parse(opener, stream=True)


def _read_all(opener, encoding=None):
    with opener() as handle:
        data = handle.read(settings.SUBMISSION_MAX_BYTES + 1)
    return data if encoding is None else data.decode(encoding).encode("utf-8")


def _parse(opener, *, stream):
    with opener() as handle:
        head = handle.read(8192)
    encoding = _bom_encoding(head)
    if encoding is not None:
        # Text saved as UTF-16 or UTF-32: checked whole first, then read in its own encoding.
        position = _undecodable_at(opener, encoding)
        if position is not None:
            raise ParseError(
                _("The file starts as %(encoding)s text, but byte %(position)s is not %(encoding)s.")
                % {"encoding": encoding.upper(), "position": position}
            )
        head = head[: len(head) - len(head) % 4].decode(encoding, errors="ignore").encode("utf-8")
    kind = sniff(head)
    if kind == "json":
        return parse_json(_read_all(opener, encoding))
    if kind == "xlsx":
        return parse_xlsx(_read_all(opener))
    warnings = []
    if encoding is None:
        encoding, warnings = _csv_encoding(opener)
    rows = SheetRows.open(opener, encoding)
    if stream and not SHEETS[rows.sheet.name].single:
        return Parsed("csv", {rows.sheet.name: rows}, {}, warnings, {rows.sheet.name: rows.header})
    return _document_from_tables("csv", {rows.sheet.name: (rows.header, list(rows.cells()))}, warnings)


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
        if sheet.single and not items:
            continue  # an empty sheet of the one-row section says nothing: the section is left out
        if sheet.single and len(items) != 1:
            raise ParseError(_("The recruitment_regime sheet must hold exactly one row."))  # the one single sheet
        document[section] = items[0] if sheet.single else items
    for sheet_name, sheet in SHEETS.items():
        if sheet.parent and sheet_name in tables:
            _children_from_table(document, locations, parents, sheet, tables[sheet_name])
    return Parsed(kind, document, locations, list(warnings), {name: header for name, (header, _rows) in tables.items()})


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


def _csv_encoding(opener):
    """(encoding, warnings) of a CSV file: UTF-8 when the whole file is (checked a chunk at a time),
    otherwise what charset-normalizer finds in its first ENCODING_SAMPLE bytes, or refused."""
    if _undecodable_at(opener, "utf-8-sig") is None:
        return "utf-8-sig", []
    with opener() as handle:
        sample = handle.read(ENCODING_SAMPLE)
    best = _likely_encoding(sample)
    if best is None or best.encoding in ("utf_8", "utf_8_sig"):
        raise ParseError(
            _("The CSV file is not UTF-8 and its encoding could not be told. Save it as CSV UTF-8 and upload again.")
        )
    return best.encoding, [
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


class SheetRows:
    """The rows of one sheet of a CSV file, read from the file each time they are iterated, one at a
    time: (row number, row of the common format). A row the reader cannot read, or a byte the
    encoding cannot decode, raises ParseError while iterating."""

    def __init__(self, opener, encoding, dialect, header, sheet):
        self.opener, self.encoding, self.dialect = opener, encoding, dialect
        self.header, self.sheet = header, sheet

    @classmethod
    def open(cls, opener, encoding):
        """Read the header and the dialect (from the first 4,096 characters) and tell the sheet."""
        with opener() as handle:
            text = io.TextIOWrapper(handle, encoding=encoding, newline="")
            try:
                sample = text.read(4096)
            except UnicodeDecodeError:
                sample = ""
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        stream = cls(opener, encoding, dialect, None, None)
        first = next(stream._lines(), None)
        if first is None:
            raise ParseError(_("The file is empty."))
        stream.header = [column.strip() for column in first[1]]
        name = _csv_sheet(stream.header)
        _check_header(name, stream.header)
        stream.sheet = SHEETS[name]
        return stream

    def _lines(self):
        with self.opener() as handle:
            text = io.TextIOWrapper(handle, encoding=self.encoding, newline="")
            lines = enumerate(csv.reader(text, self.dialect), start=1)
            while True:
                try:
                    numbered = next(lines, None)
                except csv.Error as error:
                    raise ParseError(_("This is not a readable CSV file: %(problem)s.") % {"problem": error}) from None
                except UnicodeDecodeError as error:
                    raise ParseError(
                        _("The CSV file is not %(encoding)s: %(problem)s.")
                        % {"encoding": self.encoding, "problem": error.reason}
                    ) from None
                if numbered is None:
                    return
                yield numbered

    def cells(self):
        """(row number, cells) of the rows below the header that are neither blank nor notes (a
        sheet of the workbook template saved as CSV keeps its notes row)."""
        lines = self._lines()
        next(lines, None)
        for number, cells in lines:
            if any(cell.strip() for cell in cells) and not is_notes_row(cells):
                yield number, cells

    def count(self):
        return sum(1 for _row in self.cells())

    def __iter__(self):
        for number, cells in self.cells():
            yield number, _row_from_cells(self.sheet, self.header, cells)


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


def is_notes_row(texts):
    """Whether a row of cell texts is a template's notes row (its first cell starts with NOTES_MARKER)."""
    return bool(texts) and texts[0].lstrip().startswith(NOTES_MARKER)


def _text_of(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # 15 significant digits, what a spreadsheet keeps: 12.350000000000001 from a formula is 12.35.
        return str(int(value)) if value.is_integer() else format(value, ".15g")
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
            if name == LISTS_SHEET:
                continue  # the template's drop-down values
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
                if any(text.strip() for text in texts) and not is_notes_row(texts):
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
