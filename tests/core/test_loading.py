"""The loaders' shared file handling: plain or gzip-compressed CSV, read directly, with clear errors."""

import gzip
import re

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from core.loading import data_file, existing_file, read_csv, reference_data

CSV = '\ufeffcode,label\n0110,"Commissioned\narmed forces officers"\n2221,Nursing professionals\n'


def write_gz(path, text, encoding="utf-8"):
    with gzip.open(path, "wb") as handle:
        handle.write(text.encode(encoding))
    return path


def bad_checksum(compressed):
    return compressed[:-8] + bytes([compressed[-8] ^ 0xFF]) + compressed[-7:]


def test_reference_data_is_the_projects_folder():
    assert reference_data() == settings.BASE_DIR / "reference_data"
    assert reference_data("esco-isco08").is_dir()


@pytest.mark.parametrize("name", ["groups.csv", "groups.csv.gz"])
def test_plain_and_compressed_files_read_the_same(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".gz"):
        write_gz(path, CSV)
    else:
        path.write_text(CSV, encoding="utf-8")
    rows = read_csv(path, what="Groups", required_columns=("code", "label"))
    # The byte-order mark is dropped, codes stay text, a quoted field may span lines.
    assert rows == [
        {"code": "0110", "label": "Commissioned\narmed forces officers"},
        {"code": "2221", "label": "Nursing professionals"},
    ]


def test_a_shipped_file_is_read_without_unpacking():
    rows = read_csv(
        reference_data("esco-isco08", "ISCOGroups_en.csv.gz"), what="Groups", required_columns=("code", "conceptUri")
    )
    assert len(rows) == 619


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"code,label\n1,a\n", "is not gzip-compressed although its name ends in .gz"),
        (gzip.compress(CSV.encode())[:40], "is not a readable gzip file"),
        (bad_checksum(gzip.compress(CSV.encode())), "is not a readable gzip file (CRC check failed"),
        (gzip.compress("code,label\n1,caf\xe9\n".encode("latin-1")), "is not UTF-8 text"),
        (gzip.compress(b"code\n1\n"), "missing column(s) label"),
    ],
)
def test_unreadable_compressed_files_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "groups.csv.gz"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        read_csv(path, what="Groups", required_columns=("code", "label"))


def test_a_missing_file_points_at_the_shipped_copy(tmp_path):
    with pytest.raises(CommandError, match=r"Groups: no file at .*missing\.csv") as error:
        existing_file(tmp_path / "missing.csv", what="Groups")
    assert "reference_data" in str(error.value)
    assert "shared" not in str(error.value)


def test_data_file_finds_the_compressed_or_the_plain_file(tmp_path):
    write_gz(tmp_path / "a.csv.gz", CSV)
    (tmp_path / "b.csv").write_text(CSV)
    assert data_file(tmp_path, "a.csv", what="A") == tmp_path / "a.csv.gz"
    assert data_file(tmp_path, "b.csv", what="B") == tmp_path / "b.csv"


def test_data_file_refuses_two_copies_or_none(tmp_path):
    write_gz(tmp_path / "a.csv.gz", CSV)
    (tmp_path / "a.csv").write_text(CSV)
    with pytest.raises(CommandError, match=re.escape("A: both a.csv.gz and a.csv in")):
        data_file(tmp_path, "a.csv", what="A")
    with pytest.raises(CommandError, match=re.escape("C: neither c.csv.gz nor c.csv in")):
        data_file(tmp_path, "c.csv", what="C")
    with pytest.raises(CommandError, match="C: no folder at"):
        data_file(tmp_path / "nowhere", "c.csv", what="C")
