"""Reading files safely: by content, bounded, XLSX without zip bombs or entities, CSV encodings."""

import io
import zipfile

import pytest

from submissions.parsing import ParseError, parse, sniff
from tests.submissions.conftest import json_bytes, xlsx_bytes


def test_format_is_told_by_content_not_name():
    assert sniff(b'  {"agencies": []}') == "json"
    assert sniff(b"legal_name,licence_number\n") == "csv"
    assert sniff(xlsx_bytes({"agencies": [["legal_name"]]})) == "xlsx"


def test_malformed_json_names_line_and_column():
    with pytest.raises(ParseError, match=r"not valid JSON: .* line 2, column"):
        parse(b'{"agencies": [\n  {"legal_name": }]}')


def test_json_constants_like_nan_are_refused():
    with pytest.raises(ParseError, match="NaN"):
        parse(b'{"agencies": [{"legal_name": NaN}]}')


def test_deeply_nested_json_is_refused_clearly():
    with pytest.raises(ParseError):
        parse(b"[" * 100_000 + b"]" * 100_000)


def test_json_must_be_an_object():
    with pytest.raises(ParseError, match="one object"):
        parse(b"[1, 2]")


def test_oversized_file_is_refused(settings):
    settings.SUBMISSION_MAX_BYTES = 1000
    with pytest.raises(ParseError, match="too large: 1001 bytes, the limit is 1000"):
        parse(b"{" + b" " * 999 + b"}")


def test_binary_file_is_refused():
    with pytest.raises(ParseError, match="binary"):
        parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_old_xls_is_refused_with_advice():
    with pytest.raises(ParseError, match=r"\.xls"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


def test_zip_bomb_workbook_is_refused_before_unpacking(settings):
    settings.SUBMISSION_MAX_UNZIPPED_BYTES = 10 * 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 200_000  # small on the wire, 50 MB unpacked
    with pytest.raises(ParseError, match=r"unpacks to 5242.* bytes, more than the limit"):
        parse(data)


def test_damaged_zip_is_refused():
    with pytest.raises(ParseError, match="damaged zip"):
        parse(b"PK\x03\x04" + b"garbage" * 10)


def test_xml_entities_in_a_workbook_are_refused():
    good = xlsx_bytes({"agencies": [["legal_name", "licence_number"], ["A", "EXAMPLE-1"]]})
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                body = content.split(b"?>", 1)[-1]
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + body
            archive.writestr(member, content)
    with pytest.raises(ParseError, match="not a readable XLSX workbook"):
        parse(buffer.getvalue())


def test_xlsx_sheets_become_sections_with_children():
    data = xlsx_bytes(
        {
            "agencies": [
                ["legal_name", "licence_number", "is_example", "destinations"],
                ["A", "EXAMPLE-1", "yes", "SA; QA"],
            ],
            "enforcement_actions": [["licence_number", "date", "action"], ["EXAMPLE-1", "2025-03-01", "warning"]],
        }
    )
    parsed = parse(data)
    assert parsed.format == "xlsx"
    [agency] = parsed.document["agencies"]
    assert agency["is_example"] is True and agency["destinations"] == ["SA", "QA"]
    assert agency["enforcement_actions"] == [{"date": "2025-03-01", "action": "warning"}]
    assert parsed.locations[("agencies", 0, "enforcement_actions", 0)] == ("enforcement_actions", 2)


def test_xlsx_unknown_sheet_is_refused():
    with pytest.raises(ParseError, match="Unknown sheet Sheet9"):
        parse(xlsx_bytes({"Sheet9": [["a"]]}))


def test_xlsx_child_row_without_parent_is_located():
    data = xlsx_bytes(
        {
            "agencies": [["legal_name", "licence_number"], ["A", "EXAMPLE-1"]],
            "enforcement_actions": [["licence_number", "date", "action"], ["EXAMPLE-9", "2025-03-01", "warning"]],
        }
    )
    with pytest.raises(ParseError, match="enforcement_actions, row 2: licence_number EXAMPLE-9"):
        parse(data)


def test_csv_sheet_is_told_from_its_columns_and_cells_typed():
    parsed = parse(b"legal_name,licence_number,is_example,valid_until\nA,EXAMPLE-1,true,\n")
    assert parsed.format == "csv"
    assert parsed.document == {
        "agencies": [{"legal_name": "A", "licence_number": "EXAMPLE-1", "is_example": True, "valid_until": None}]
    }
    assert parsed.locations[("agencies", 0)] == ("agencies", 2)


def test_csv_with_semicolons_is_read():
    parsed = parse("legal_name;licence_number\nAgence é;EXAMPLE-1\n".encode())
    assert parsed.document["agencies"][0]["legal_name"] == "Agence é"


def test_csv_unknown_column_is_refused():
    with pytest.raises(ParseError, match=r"unknown column.*colour"):
        parse(b"legal_name,licence_number,colour\nA,EXAMPLE-1,red\n")


def test_non_utf8_csv_is_read_in_the_detected_encoding_with_a_warning():
    text = (
        "legal_name,licence_number,address\n" + "Société de recrutement générale,EXAMPLE-1,Rue des Écoles à Fès\n" * 5
    )
    parsed = parse(text.encode("cp1252"))
    assert parsed.document["agencies"][0]["legal_name"] == "Société de recrutement générale"
    assert parsed.document["agencies"][0]["address"] == "Rue des Écoles à Fès"
    assert parsed.warnings == [
        "The CSV file is not UTF-8; it was read as cp1252. Check the accented letters in the report."
    ]


def test_arabic_csv_in_windows_1256_is_read():
    text = "legal_name,licence_number\n" + "وكالة التوظيف الدولية,EXAMPLE-1\n" * 3
    parsed = parse(text.encode("cp1256"))
    assert parsed.document["agencies"][0]["legal_name"] == "وكالة التوظيف الدولية"


def test_csv_in_undetectable_encoding_is_refused(monkeypatch):
    import charset_normalizer

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: [])
    with pytest.raises(ParseError, match="encoding could not be told"):
        parse("legal_name\nSociété\n".encode("latin-1"))


def test_json_that_is_not_utf8_is_refused():
    with pytest.raises(ParseError, match="must be UTF-8"):
        parse('{"agencies": [{"legal_name": "Société"}]}'.encode("latin-1"))


def test_demo_file_parses_as_json():
    with open("demo_data/MA.json", "rb") as handle:
        parsed = parse(handle.read())
    assert parsed.format == "json" and parsed.document["country"] == "MA"
    assert json_bytes({"a": 1})


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_csv_with_a_byte_order_mark_is_read(encoding):
    # Excel's "Unicode text" is UTF-16 with a BOM; -le/-be codecs write none, so the mark is added here.
    text = "legal_name,licence_number\nوكالة Société,EXAMPLE-1\n"
    data = text.encode(encoding)
    if encoding.endswith(("-le", "-be")):
        data = "\ufeff".encode(encoding) + data
    parsed = parse(data)
    assert parsed.format == "csv" and parsed.warnings == []
    assert parsed.document["agencies"][0] == {"legal_name": "وكالة Société", "licence_number": "EXAMPLE-1"}


def test_utf16_json_with_a_byte_order_mark_is_read():
    parsed = parse('{"agencies": [{"legal_name": "Société"}]}'.encode("utf-16"))
    assert parsed.format == "json" and parsed.document["agencies"][0]["legal_name"] == "Société"


def test_broken_utf16_is_refused_clearly():
    with pytest.raises(ParseError, match="starts as UTF-16 text, but byte"):
        parse(b"\xff\xfel\x00e\x00\x00\xd8")  # a lone surrogate
