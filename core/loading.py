"""What every loader shares: opening a public data file safely and reporting progress."""

import csv
import sys
from pathlib import Path

from django.core.management.base import CommandError


def existing_file(path, *, what):
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{what}: no file at {file} (give the path to the file from ../shared/data).")
    return file


def read_csv(path, *, what, required_columns):
    """All rows of a UTF-8 CSV file as dicts, after checking that its header has `required_columns`."""
    file = existing_file(path, what=what)
    csv.field_size_limit(sys.maxsize)
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
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
