from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.loading import Progress, data_file, read_csv, reference_data
from permits.models import EscoOccupation, IscoGroup

GROUP_COLUMNS = ("conceptType", "conceptUri", "code", "preferredLabel", "description")
OCCUPATION_COLUMNS = ("conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description")
REGULATED_UNREGULATED = "http://data.europa.eu/esco/regulated-professions/unregulated"


class Command(BaseCommand):
    help = (
        "Load the ISCO-08 groups (all four levels) and the ESCO occupations, in English, from the ESCO CSV "
        "export: ISCOGroups_en.csv and occupations_en.csv, gzip-compressed (.csv.gz) or not, in the given folder "
        "(default: the copy shipped in reference_data/esco-isco08)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            default=str(reference_data("esco-isco08")),
            help="Folder of ISCOGroups_en.csv[.gz] and occupations_en.csv[.gz] (default: reference_data/esco-isco08).",
        )

    def handle(self, *args, folder, **options):
        groups = read_csv(
            data_file(folder, "ISCOGroups_en.csv", what="ISCO-08 groups"),
            what="ISCO-08 groups",
            required_columns=GROUP_COLUMNS,
        )
        occupations = read_csv(
            data_file(folder, "occupations_en.csv", what="ESCO occupations"),
            what="ESCO occupations",
            required_columns=OCCUPATION_COLUMNS,
        )
        with transaction.atomic():
            group_counts = self._load_groups(groups)
            occupation_counts = self._load_occupations(occupations)
        levels = ", ".join(f"{count} {label}" for label, count in group_counts["levels"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"ISCO-08 groups: {len(groups)} read ({levels}); {group_counts['created']} created, "
                f"{group_counts['updated']} updated.\n"
                f"ESCO occupations: {len(occupations)} read; {occupation_counts['created']} created, "
                f"{occupation_counts['updated']} updated."
            )
        )

    def _load_groups(self, rows):
        parsed = {}
        for number, row in enumerate(rows, start=2):
            code = row["code"].strip()
            if row["conceptType"] != "ISCOGroup" or not code.isdigit() or not 1 <= len(code) <= 4:
                raise CommandError(f"ISCO-08 groups, line {number}: {code!r} is not an ISCO-08 group code.")
            parsed[code] = {
                "level": len(code),
                "title_en": row["preferredLabel"].strip(),
                "title": row["preferredLabel"].strip(),
                "description": row["description"].strip(),
                "uri": row["conceptUri"].strip(),
                "parent_id": code[:-1] or None,
            }
        for code, values in parsed.items():
            if values["parent_id"] and values["parent_id"] not in parsed:
                raise CommandError(f"ISCO-08 groups: the parent {values['parent_id']} of {code} is not in the file.")
        existing = {group.code: group for group in IscoGroup.objects.all()}
        created, changed = [], []
        progress = Progress(self.stdout, "ISCO-08 groups", len(parsed), every=100)
        # Parents first, so that every foreign key already points at a row.
        for code in sorted(parsed, key=lambda c: (len(c), c)):
            values = parsed[code]
            group = existing.get(code)
            if group is None:
                created.append(IscoGroup(code=code, **values))
            elif any(getattr(group, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(group, field, value)
                changed.append(group)
            progress.step()
        for level in (1, 2, 3, 4):
            IscoGroup.objects.bulk_create([group for group in created if group.level == level])
        for group in changed:
            group.last_updated = timezone.now()
        IscoGroup.objects.bulk_update(
            changed, ["level", "title", "title_en", "description", "uri", "parent", "last_updated"]
        )
        progress.finish()
        levels = {}
        for label, level in (("major", 1), ("sub-major", 2), ("minor", 3), ("unit", 4)):
            levels[label] = sum(1 for values in parsed.values() if values["level"] == level)
        return {"created": len(created), "updated": len(changed), "levels": levels}

    def _load_occupations(self, rows):
        unit_groups = set(IscoGroup.objects.filter(level=4).values_list("code", flat=True))
        existing = {occupation.uri: occupation for occupation in EscoOccupation.objects.all()}
        created, changed = [], []
        progress = Progress(self.stdout, "ESCO occupations", len(rows), every=500)
        for number, row in enumerate(rows, start=2):
            isco = row["iscoGroup"].strip()
            if isco not in unit_groups:
                raise CommandError(f"ESCO occupations, line {number}: ISCO-08 unit group {isco!r} is unknown.")
            uri = row["conceptUri"].strip()
            if not uri:
                raise CommandError(f"ESCO occupations, line {number}: the occupation has no URI.")
            values = {
                "title": row["preferredLabel"].strip(),
                "title_en": row["preferredLabel"].strip(),
                "alt_labels": row["altLabels"].strip(),
                "description": row["description"].strip(),
                "isco_group_id": isco,
                "regulated": bool(row.get("regulatedProfessionNote"))
                and row["regulatedProfessionNote"].strip() != REGULATED_UNREGULATED,
            }
            occupation = existing.get(uri)
            if occupation is None:
                created.append(EscoOccupation(uri=uri, **values))
            elif any(getattr(occupation, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(occupation, field, value)
                changed.append(occupation)
            progress.step()
        EscoOccupation.objects.bulk_create(created, batch_size=500)
        for occupation in changed:
            occupation.last_updated = timezone.now()
        EscoOccupation.objects.bulk_update(
            changed,
            ["title", "title_en", "alt_labels", "description", "isco_group", "regulated", "last_updated"],
            batch_size=500,
        )
        progress.finish()
        return {"created": len(created), "updated": len(changed)}
