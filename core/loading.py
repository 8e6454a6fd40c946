"""What every loader shares: finding and opening a public data file safely, and reporting progress.

The public reference data ships in the repository, in reference_data/ (see its README): CSV files are
stored gzip-compressed and read as they are, without an unpacking step. A newer upstream copy, passed
with --data or a path, may be laid out the same way or hold the uncompressed CSV files.
"""

import csv
import gzip
import sys
import zlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

GZIP_MAGIC = b"\x1f\x8b"


def reference_data(*parts):
    """A path inside the reference data shipped with the project (reference_data/ beside manage.py)."""
    return Path(settings.BASE_DIR, "reference_data", *parts)


def existing_file(path, *, what):
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{what}: no file at {file} (the shipped copy is in {reference_data()}; see its README.md).")
    return file


def data_file(folder, name, *, what):
    """The file `name` (e.g. "occupations_en.csv") in `folder`, compressed (`name.gz`, as shipped) or not."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CommandError(f"{what}: no folder at {folder} (the shipped copy is in {reference_data()}).")
    found = [file for file in (folder / f"{name}.gz", folder / name) if file.is_file()]
    if not found:
        raise CommandError(f"{what}: neither {name}.gz nor {name} in {folder}.")
    if len(found) > 1:
        raise CommandError(
            f"{what}: both {name}.gz and {name} in {folder}: keep one (reference_data/ keeps the .gz only)."
        )
    return found[0]


def _open_text(file, *, what):
    with file.open("rb") as handle:
        compressed = handle.read(2) == GZIP_MAGIC
    if compressed:
        return gzip.open(file, "rt", encoding="utf-8-sig", newline="")
    if file.suffix.lower() == ".gz":
        raise CommandError(f"{what}: {file} is not gzip-compressed although its name ends in .gz.")
    return file.open(newline="", encoding="utf-8-sig")


def read_csv(path, *, what, required_columns):
    """All rows of a UTF-8 CSV file, plain or gzip-compressed, as dicts, after checking that its header
    has `required_columns`."""
    file = existing_file(path, what=what)
    csv.field_size_limit(sys.maxsize)
    try:
        with _open_text(file, what=what) as handle:
            reader = csv.DictReader(handle)
            missing = set(required_columns) - set(reader.fieldnames or ())
            if missing:
                raise CommandError(
                    f"{what}: {file} is not in the expected format: missing column(s) {', '.join(sorted(missing))}."
                )
            return list(reader)
    except UnicodeDecodeError as error:
        raise CommandError(f"{what}: {file} is not UTF-8 text ({error.reason} at byte {error.start}).") from error
    except csv.Error as error:
        raise CommandError(f"{what}: {file} is not a readable CSV file ({error}).") from error
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise CommandError(f"{what}: {file} is not a readable gzip file ({error}).") from error


class Progress:
    """A one-line progress counter on the command's output, then a summary."""

    def __init__(self, stdout, label, total, every=1000):
        self.stdout, self.label, self.total, self.every = stdout, label, total, every
        self.done = 0

    def step(self, n=1):
        self.done += n
        if self.done % self.every == 0 or self.done == self.total:
            self.stdout.write(f"\r{self.label}: {self.done:,}/{self.total:,}", ending="")
            self.stdout.flush()

    def finish(self):
        self.stdout.write("")
