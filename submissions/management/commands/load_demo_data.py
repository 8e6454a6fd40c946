import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from core.changelog import change_context
from submissions.demo_data import DemoDataError, DemoDataLoader

DEFAULT_FOLDER = Path(settings.BASE_DIR) / "demo_data"


class Command(BaseCommand):
    help = (
        "Load the curated demo data (permits, agreements, recruitment regimes, agencies, sources) from the "
        "JSON files of demo_data/ (format: demo_data/FORMAT.md). Idempotent; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER), help="Folder of *.json files.")

    def handle(self, *args, folder, **options):
        files = sorted(Path(folder).glob("*.json"))
        if not files:
            raise CommandError(f"Demo data: no *.json file in {folder}.")
        documents = []
        for file in files:
            try:
                documents.append((file.name, json.loads(file.read_text(encoding="utf-8"))))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise CommandError(f"Demo data: {file.name} is not valid JSON ({error}).") from error
        loader = DemoDataLoader(progress=lambda line: self.stdout.write(line))
        try:
            with transaction.atomic(), translation.override("en"), change_context(reason="demo data load"):
                counts = loader.load(documents)
        except DemoDataError as error:
            raise CommandError("Demo data not loaded (nothing was changed):\n" + "\n".join(error.messages)) from error
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data from {len(files)} files: {summary}."))
