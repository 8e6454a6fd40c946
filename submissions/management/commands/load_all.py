from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Load everything the hub ships with: countries, ISCO-08/ESCO occupations, visa requirements, "
        "Schengen visa statistics (from the reference data shipped in reference_data/, or a newer copy "
        "laid out the same way) and the curated demo data. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            default=str(settings.BASE_DIR / "reference_data"),
            help=(
                "Folder of the public reference data (default: the project's reference_data/). A newer copy "
                "holds esco-isco08/, passport-index/ and schengen-visa-stats/, its CSV files gzip-compressed or not."
            ),
        )

    def handle(self, *args, data, **options):
        folder = Path(data)
        if not folder.is_dir():
            raise CommandError(f"No reference data folder at {folder.resolve()} (pass --data PATH).")
        call_command("load_countries", stdout=self.stdout)
        call_command("load_occupations", str(folder / "esco-isco08"), stdout=self.stdout)
        call_command("load_visa_requirements", str(folder / "passport-index"), stdout=self.stdout)
        call_command("load_schengen_stats", str(folder / "schengen-visa-stats"), stdout=self.stdout)
        call_command("load_demo_data", stdout=self.stdout)
