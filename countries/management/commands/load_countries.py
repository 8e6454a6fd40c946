import gettext
import re

import pycountry
from django.core.management.base import BaseCommand, CommandError
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


# Where the iso-codes catalogues that pycountry ships are wrong or silent, checked against the ISO 3166 names
# (and the CLDR names). Arabic: "Moldova" is translated as the Maldives ("المالديف"); the common names of
# Iran, the two Koreas, Laos and Syria are missing (the long official forms would show) and so is Türkiye
# (its new ISO name); the Holy See is rendered word for word; some names are misspelt. German: two names.
CORRECTED_NAMES = {
    "ar": {
        "MD": "مولدوفا",
        "IR": "إيران",
        "KR": "كوريا الجنوبية",
        "KP": "كوريا الشمالية",
        "LA": "لاوس",
        "SY": "سوريا",
        "TR": "تركيا",
        "VA": "الفاتيكان",
        "RS": "صربيا",
        "LT": "ليتوانيا",
        "IM": "جزيرة مان",
        "GG": "غيرنزي",
        "CW": "كوراساو",
        "CX": "جزيرة كريسماس",
    },
    "de": {"UM": "Amerikanische Überseeinseln", "CX": "Weihnachtsinsel"},
}


class _Missing(gettext.NullTranslations):
    """The end of a catalogue's fallback chain: None for a name it has no entry for."""

    def gettext(self, message):
        return None


def _catalogues():
    """{language: lookup(English name) -> the catalogue's name, or None when it has none}.

    None, not the English name back: a name spelt alike in both languages ("Iran" in French) is a real
    entry, not a missing one (the loader used to take it for missing and show the long ISO form).
    """
    catalogues = {}
    for language in LANGUAGES:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        translation.add_fallback(_Missing())
        catalogues[language] = translation.gettext
    return catalogues


_WORD = re.compile(r"\w+")


def _words(name):
    """The name's words between spaces (" moldova republic of "): one name is found in another by whole words."""
    return " " + " ".join(_WORD.findall(name.casefold())) + " "


def country_names(entries, lookup, corrections):
    """{alpha-2 code: name in one language} for pycountry `entries`.

    The correction if there is one; else the catalogue's name for the common name ("Moldova"), unless it
    names another country (Arabic "المالديف", part of the Maldives' "جزر المالديف"); else the catalogue's
    name for the ISO name ("Moldova, Republic of"); else the English name.
    """
    iso_names = {entry.alpha_2: lookup(entry.name) for entry in entries}
    names = {}
    for entry in entries:
        code = entry.alpha_2
        common = getattr(entry, "common_name", None)
        candidate = lookup(common) if common else None
        others = [name for other_code, name in iso_names.items() if name and other_code != code]
        if candidate and any(_words(candidate) in _words(other) for other in others):
            candidate = None
        names[code] = corrections.get(code) or candidate or iso_names[code] or common or entry.name
    return names


def _refuse_shared_names(rows):
    """Two countries with one name in a language is a catalogue error: load nothing rather than mislabel."""
    for language in ("en", *LANGUAGES):
        seen = {}
        for row in rows:
            name = row["name"] if language == "en" else row["names"][language]
            if name in seen:
                raise CommandError(f"{seen[name]} and {row['code']} are both called {name!r} in {language}.")
            seen[name] = row["code"]


class Command(BaseCommand):
    help = "Load every ISO 3166-1 country from pycountry, with its name in English, French, Arabic and German."

    def handle(self, *args, **options):
        entries = list(pycountry.countries)
        names = {
            language: country_names(entries, lookup, CORRECTED_NAMES.get(language, {}))
            for language, lookup in _catalogues().items()
        }
        rows = [
            {
                "code": entry.alpha_2,
                "iso3": entry.alpha_3,
                "numeric": entry.numeric,
                "name": getattr(entry, "common_name", None) or entry.name,
                "official_name": getattr(entry, "official_name", ""),
                "names": {language: names[language][entry.alpha_2] for language in LANGUAGES},
            }
            for entry in entries
        ]
        rows.extend(EXTRA_COUNTRIES)
        _refuse_shared_names(rows)
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
