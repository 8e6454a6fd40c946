import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from countries.models import Country
from submissions.format import REFERENCE_SECTIONS, SECTIONS, sheet_named
from submissions.services import DocumentInvalid, document_import

DEFAULT_FOLDER = Path(settings.BASE_DIR) / "demo_data"
# Any file may cite the sources and contacts of another: those of every file are imported first.
CITED = ("sources", "contacts")
NOT_LOADED = "Demo data not loaded (nothing was changed):\n"


class Command(BaseCommand):
    help = (
        "Load the curated demo data (permits, agreements, recruitment regimes, agencies, sources) from the "
        "JSON files of demo_data/ (format: demo_data/FORMAT.md), checked as an upload is. Idempotent; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER), help="Folder of *.json files.")

    def handle(self, *args, folder, **options):
        documents = _read(folder)
        if not Country.objects.exists():
            raise CommandError(NOT_LOADED + "Load the countries first (manage.py load_countries).")
        counts, errors = {}, []
        with transaction.atomic(), translation.override("en"):
            for name, document in documents:
                errors += _import(name, document, _cited(document), counts)
            for name, document in documents:
                errors += _import(name, document, _citing(document), counts)
                self.stdout.write(f"  {name}: read")
            # One run shows every file's errors; then nothing stays.
            transaction.set_rollback(bool(errors))
        if errors:
            raise CommandError(NOT_LOADED + "\n".join(errors))
        summary = ", ".join(f"{count} {model._meta.verbose_name_plural}" for model, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data from {len(documents)} files: {summary}."))


def _read(folder):
    files = sorted(Path(folder).glob("*.json"))
    if not files:
        raise CommandError(f"Demo data: no *.json file in {folder}.")
    documents = []
    for file in files:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Demo data: {file.name} is not valid JSON ({error}).") from error
        if not isinstance(document, dict):
            raise CommandError(f"Demo data: {file.name} must hold one object (see demo_data/FORMAT.md).")
        documents.append((file.name, document))
    return documents


def _cited(document):
    return {key: value for key, value in document.items() if key in ("country", *CITED)}


def _citing(document):
    return {key: value for key, value in document.items() if key not in CITED}


def _import(name, document, part, counts):
    """Import one part of a file through the pipeline; return its errors, one line each."""
    if not any(key in part for key in (*REFERENCE_SECTIONS, *SECTIONS)):
        return []
    try:
        imported = document_import(document=part, reason="demo data load")
    except DocumentInvalid as invalid:
        return [_line(name, document, error) for error in invalid.errors]
    for model, count in imported.items():
        counts[model] = counts.get(model, 0) + count
    return []


def _line(file_name, document, error):
    """An error as the data's author reads it: file, section[row key], field: message."""
    where, number = error["sheet"], error["row"]
    rows = document.get(where) if where in (*REFERENCE_SECTIONS, *SECTIONS) else None
    if isinstance(rows, list) and number and number <= len(rows):
        where = f"{where}[{sheet_named(where).label(rows[number - 1]) or number - 1}]"
    elif number and not isinstance(rows, dict):
        where = f"{where}[{number}]"
    return " ".join(part for part in (file_name, where, error["field"]) if part) + f": {error['message']}"
