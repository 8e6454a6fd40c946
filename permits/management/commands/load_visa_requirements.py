import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.changelog import record_bulk
from core.loading import Progress, data_file, read_csv, reference_data
from countries.models import Country
from permits.models import VisaRequirement

SOURCE = "Passport Index dataset (MIT licence)"
FILE = "passport-index-tidy-iso2.csv"
WORDS = {
    "visa free": VisaRequirement.Requirement.VISA_FREE,
    "visa on arrival": VisaRequirement.Requirement.VISA_ON_ARRIVAL,
    "eta": VisaRequirement.Requirement.ETA,
    "e-visa": VisaRequirement.Requirement.E_VISA,
    "visa required": VisaRequirement.Requirement.VISA_REQUIRED,
    "no admission": VisaRequirement.Requirement.NO_ADMISSION,
}


def parse_requirement(value):
    """(requirement, days) from a passport-index cell; None for the passport's own country (-1)."""
    value = value.strip().lower()
    if value == "-1":
        return None
    if value.isdigit() and int(value) > 0:
        return VisaRequirement.Requirement.VISA_FREE, int(value)
    if value in WORDS:
        return WORDS[value], None
    raise ValueError(value)


class Command(BaseCommand):
    help = (
        "Load visa requirements (passport → destination) from the passport-index tidy ISO-2 CSV, gzip-compressed "
        f"or not (default: the copy shipped in reference_data/passport-index/{FILE}.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(reference_data("passport-index")),
            help=f"{FILE}[.gz], or the folder holding it (default: reference_data/passport-index).",
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=datetime.date(2025, 1, 12),
            help="Date of the snapshot (default: 2025-01-12, the copy in reference_data/passport-index).",
        )

    def handle(self, *args, path, as_of, **options):
        if Path(path).is_dir():
            path = data_file(path, FILE, what="Visa requirements")
        rows = read_csv(path, what="Visa requirements", required_columns=("Passport", "Destination", "Requirement"))
        known = set(Country.objects.values_list("code", flat=True))
        if not known:
            raise CommandError("Visa requirements: load the countries first (manage.py load_countries).")
        wanted, skipped_self = {}, 0
        for number, row in enumerate(rows, start=2):
            nationality, destination = row["Passport"].strip().upper(), row["Destination"].strip().upper()
            for code in (nationality, destination):
                if code not in known:
                    raise CommandError(f"Visa requirements, line {number}: unknown country code {code!r}.")
            try:
                parsed = parse_requirement(row["Requirement"])
            except ValueError:
                raise CommandError(
                    f"Visa requirements, line {number}: unknown requirement {row['Requirement']!r} "
                    f"(expected a number of days, {', '.join(WORDS)} or -1)."
                ) from None
            if parsed is None or nationality == destination:
                skipped_self += 1
                continue
            wanted[(nationality, destination)] = parsed
        with transaction.atomic():
            created, updated = self._write(wanted, as_of)
        self.stdout.write(
            self.style.SUCCESS(
                f"Visa requirements: {len(rows):,} rows read, {skipped_self} own-country rows skipped, "
                f"{len(wanted):,} pairs: {created:,} created, {updated:,} updated, "
                f"{len(wanted) - created - updated:,} unchanged."
            )
        )

    def _write(self, wanted, as_of):
        existing = {(v.nationality_id, v.destination_id): v for v in VisaRequirement.objects.all()}
        new, changed = [], []
        progress = Progress(self.stdout, "visa requirements", len(wanted), every=5000)
        for (nationality, destination), (requirement, days) in wanted.items():
            current = existing.get((nationality, destination))
            if current is None:
                new.append(
                    VisaRequirement(
                        nationality_id=nationality,
                        destination_id=destination,
                        requirement=requirement,
                        days=days,
                        source=SOURCE,
                        as_of=as_of,
                    )
                )
            elif (current.requirement, current.days, current.as_of) != (requirement, days, as_of):
                before = {"requirement": current.requirement, "days": current.days, "as_of": str(current.as_of)}
                current.requirement, current.days, current.as_of, current.source = requirement, days, as_of, SOURCE
                current._changelog_before = before
                changed.append(current)
            progress.step()
        progress.finish()
        VisaRequirement.objects.bulk_create(new, batch_size=2000)
        VisaRequirement.objects.bulk_update(changed, ["requirement", "days", "as_of", "source"], batch_size=2000)
        # bulk writes send no signals, so the change log is written here in bulk too.
        record_bulk(new, created=True)
        record_bulk(changed, created=False, fields=("requirement", "days", "as_of"))
        return len(new), len(changed)
