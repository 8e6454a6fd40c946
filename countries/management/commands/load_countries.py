import gettext

import pycountry
from django.core.management.base import BaseCommand
from django.db import transaction

from core.loading import Progress
from countries.models import Country

LANGUAGES = ("fr", "ar", "de")

# Kosovo has no ISO 3166-1 entry; its user-assigned code XK is used by the passport index and the EU.
EXTRA_COUNTRIES = [
    {
        "code": "XK",
        "iso3": "XKX",
        "numeric": "",
        "name": "Kosovo",
        "names": {"fr": "Kosovo", "ar": "كوسوفو", "de": "Kosovo"},
    }
]


def _translators():
    translators = {}
    for language in LANGUAGES:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        translators[language] = translation.gettext
    return translators


def _translated(translate, common_name, name):
    """The catalogue's name for the common name ("Iran"), else for the ISO name."""
    translated = translate(common_name)
    return translated if translated != common_name or common_name == name else translate(name)


class Command(BaseCommand):
    help = "Load every ISO 3166-1 country from pycountry, with its name in English, French, Arabic and German."

    def handle(self, *args, **options):
        translators = _translators()
        rows = []
        for entry in pycountry.countries:
            english = getattr(entry, "common_name", None) or entry.name
            names = {
                language: _translated(translate, english, entry.name) for language, translate in translators.items()
            }
            rows.append(
                {
                    "code": entry.alpha_2,
                    "iso3": entry.alpha_3,
                    "numeric": entry.numeric,
                    "name": english,
                    "official_name": getattr(entry, "official_name", ""),
                    "names": names,
                }
            )
        rows.extend(EXTRA_COUNTRIES)
        existing = {country.code: country for country in Country.objects.all()}
        created = updated = 0
        progress = Progress(self.stdout, "countries", len(rows), every=50)
        with transaction.atomic():
            for row in rows:
                values = {
                    "iso3": row["iso3"],
                    "numeric": row["numeric"],
                    "name_en": row["name"],
                    "official_name_en": row.get("official_name", ""),
                    **{f"name_{language}": name for language, name in row["names"].items()},
                }
                country = existing.get(row["code"])
                if country is None:
                    country = Country(code=row["code"], name=row["name"], **values)
                    country.full_clean()
                    country.save()
                    created += 1
                elif any(getattr(country, field) != value for field, value in values.items()):
                    for field, value in values.items():
                        setattr(country, field, value)
                    country.save()
                    updated += 1
                progress.step()
        progress.finish()
        self.stdout.write(
            self.style.SUCCESS(
                f"Countries: {len(rows)} known, {created} created, {updated} updated, "
                f"{len(rows) - created - updated} unchanged."
            )
        )
