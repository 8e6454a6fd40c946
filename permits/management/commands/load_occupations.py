import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from core.changelog import record_bulk
from core.loading import Progress, data_file, read_csv, reference_data
from core.search_text import fold, search_text
from permits.models import EscoOccupation, IscoGroup, OccupationLabel

GROUP_COLUMNS = ("conceptType", "conceptUri", "code", "preferredLabel", "description")
OCCUPATION_COLUMNS = ("conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "description")
# The other languages' files: labels only (the English files keep the descriptions and the structure).
GROUP_LABEL_COLUMNS = ("conceptUri", "code", "preferredLabel")
OCCUPATION_LABEL_COLUMNS = ("conceptUri", "iscoGroup", "preferredLabel", "altLabels")
REGULATED_UNREGULATED = "http://data.europa.eu/esco/regulated-professions/unregulated"

GROUP_FILES = {"fr": "ISCOGroups_fr.csv", "de": "ISCOGroups_de.csv"}
OCCUPATION_FILES = {"fr": "occupations_fr.csv", "de": "occupations_de.csv", "ar": "occupations_ar.csv"}
# ESCO v1.1.1 in French lacks three of the English (v1.0) occupations; its v1.0 export has them.
FRENCH_V1_0 = "occupations_fr_v1.0.csv"
# The hub's own work, kept with the code (never in an upstream copy): read from reference_data/ always.
HUB_GROUP_TITLES_AR = "isco_groups_ar.hub-translation.csv"
HUB_SYNONYMS = "occupation_synonyms.hub.csv"
LANGUAGES = ("en", "fr", "de", "ar")
GROUP_FIELDS = ("level", "title", "title_en", "title_fr", "title_de", "title_ar", "description", "uri", "parent_id")
GROUP_FIELDS += ("hub_translations",)
OCCUPATION_FIELDS = ("title", "title_en", "title_fr", "title_de", "title_ar", "alt_labels", "description")
OCCUPATION_FIELDS += ("isco_group_id", "regulated")
Kind = OccupationLabel.Kind
# When an occupation has the same label (folded) twice, say as preferred and alternative, the first of these is kept.
KIND_ORDER = (Kind.ISCO_TITLE, Kind.PREFERRED, Kind.HUB_SYNONYM, Kind.ALTERNATIVE, Kind.HIDDEN)

_SLASH = re.compile(r"(?<!-)\s*/\s*")  # not the "-/" of German "Import-/Export"
_GERMAN_FEMININE = re.compile(r"(\w)/-?(in|innen|r)\b")  # "Lehrer/in", "Angestellte/r"


def label_forms(text, language):
    """The searchable forms of one ESCO label: a "masculine/feminine" title is two labels.

    "infirmier de soins généraux/infirmière de soins généraux" → both titles; "vendeur/vendeuse en
    articles de sport" → "vendeur en articles de sport", "vendeuse en articles de sport"; "plastic products
    cutter/assembler" → "… cutter", "… assembler"; German "Referent/in für Wohnungsbau" → "Referent für
    Wohnungsbau", "Referentin für Wohnungsbau".
    """
    text = " ".join(str(text).split())
    if not text:
        return []
    starts = [text]
    if language == "de" and _GERMAN_FEMININE.search(text):
        starts = [_GERMAN_FEMININE.sub(r"\1", text), _GERMAN_FEMININE.sub(r"\1\2", text)]
    forms = []
    for start in starts:
        parts = [part for part in _SLASH.split(start) if part]
        if len(parts) == 2:
            first, second = (part.split() for part in parts)
            if len(first) == 1 and len(second) > 1:  # "vendeur/vendeuse en articles de sport"
                parts = [" ".join([first[0], *second[1:]]), parts[1]]
            elif len(second) == 1 and len(first) > 1:  # "plastic products cutter/assembler"
                parts = [parts[0], " ".join([*first[:-1], second[0]])]
        forms.extend(parts)
    return list(dict.fromkeys(form.strip() for form in forms if form.strip()))


def lines(text):
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


class Command(BaseCommand):
    help = (
        "Load the ISCO-08 groups (all four levels) and the ESCO occupations from the ESCO CSV export, in English, "
        "French, German and Arabic (ISCOGroups_{en,fr,de}.csv, occupations_{en,fr,de,ar}.csv, occupations_fr_v1.0.csv; "
        "gzip-compressed or not) in the given folder (default: the copy shipped in reference_data/esco-isco08), with "
        "the hub's own Arabic group titles and synonyms; then the searchable occupation labels in the four languages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            default=str(reference_data("esco-isco08")),
            help="Folder of the ESCO files (default: reference_data/esco-isco08).",
        )

    def handle(self, *args, folder, **options):
        def read(name, what, columns, where=folder):
            return read_csv(data_file(where, name, what=what), what=what, required_columns=columns)

        groups = read("ISCOGroups_en.csv", "ISCO-08 groups", GROUP_COLUMNS)
        occupations = read("occupations_en.csv", "ESCO occupations", OCCUPATION_COLUMNS)
        group_files = {
            language: read(name, f"ISCO-08 groups ({language})", GROUP_LABEL_COLUMNS)
            for language, name in GROUP_FILES.items()
        }
        occupation_files = {
            language: read(name, f"ESCO occupations ({language})", OCCUPATION_LABEL_COLUMNS)
            for language, name in OCCUPATION_FILES.items()
        }
        french_v1_0 = read(FRENCH_V1_0, "ESCO occupations (fr, v1.0)", OCCUPATION_LABEL_COLUMNS)
        hub = reference_data("esco-isco08")
        hub_titles = read(HUB_GROUP_TITLES_AR, "the hub's Arabic ISCO-08 titles", ("code", "title_ar"), hub)
        hub_synonyms = read(HUB_SYNONYMS, "the hub's occupation synonyms", ("code", "language", "label"), hub)
        # `title` is the default language's column (django-modeltranslation writes the active language's).
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), transaction.atomic():
            group_counts = self._load_groups(groups, group_files, hub_titles)
            occupation_counts = self._load_occupations(occupations, occupation_files, french_v1_0)
            label_counts = self._load_labels(occupations, occupation_files, french_v1_0, hub_synonyms)
        levels = ", ".join(f"{count} {label}" for label, count in group_counts["levels"].items())
        titled = ", ".join(f"{language} {count:,}" for language, count in occupation_counts["titled"].items())
        by_language = ", ".join(f"{language} {count:,}" for language, count in label_counts["languages"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"ISCO-08 groups: {len(groups)} read ({levels}); {group_counts['created']} created, "
                f"{group_counts['updated']} updated; titled in fr {group_counts['titled']['fr']}, "
                f"de {group_counts['titled']['de']}, ar {group_counts['titled']['ar']} (the hub's translation).\n"
                f"ESCO occupations: {len(occupations)} read; {occupation_counts['created']} created, "
                f"{occupation_counts['updated']} updated; titled in {titled}.\n"
                f"Occupation labels: {label_counts['total']:,} ({by_language}; {label_counts['hub']:,} the hub's own); "
                f"{label_counts['created']:,} created, {label_counts['removed']:,} removed."
            )
        )

    def _load_groups(self, rows, translations, hub_titles):
        parsed = {}
        for number, row in enumerate(rows, start=2):
            code = row["code"].strip()
            if row["conceptType"] != "ISCOGroup" or not code.isdigit() or not 1 <= len(code) <= 4:
                raise CommandError(f"ISCO-08 groups, line {number}: {code!r} is not an ISCO-08 group code.")
            parsed[code] = {
                "level": len(code),
                "title": row["preferredLabel"].strip(),
                "title_en": row["preferredLabel"].strip(),
                "title_fr": "",
                "title_de": "",
                "title_ar": "",
                "description": row["description"].strip(),
                "uri": row["conceptUri"].strip(),
                "parent_id": code[:-1] or None,
                "hub_translations": [],
            }
        for code, values in parsed.items():
            if values["parent_id"] and values["parent_id"] not in parsed:
                raise CommandError(f"ISCO-08 groups: the parent {values['parent_id']} of {code} is not in the file.")
        by_uri = {values["uri"]: values for values in parsed.values()}
        for language, translated in translations.items():
            for row in translated:
                values = by_uri.get(row["conceptUri"].strip())
                if values is not None:
                    values[f"title_{language}"] = row["preferredLabel"].strip()
        for number, row in enumerate(hub_titles, start=2):
            code, title = row["code"].strip(), row["title_ar"].strip()
            if code not in parsed:
                raise CommandError(f"The hub's Arabic ISCO-08 titles, line {number}: no ISCO-08 group {code!r}.")
            if title:
                parsed[code]["title_ar"] = title
                parsed[code]["hub_translations"] = ["ar"]
        existing = {group.code: group for group in IscoGroup.objects.all()}
        created, changed = [], []
        progress = Progress(self.stdout, "ISCO-08 groups", len(parsed), every=100)
        # Parents first, so that every foreign key already points at a row.
        for code in sorted(parsed, key=lambda c: (len(c), c)):
            values = parsed[code]
            group = existing.get(code)
            if group is None:
                created.append(IscoGroup(code=code, **values))
            else:
                _update(group, values, changed)
            progress.step()
        for level in (1, 2, 3, 4):
            IscoGroup.objects.bulk_create([group for group in created if group.level == level])
        IscoGroup.objects.bulk_update(changed, [*GROUP_FIELDS, "last_updated"])
        _log(created, changed)
        progress.finish()
        levels = {}
        for label, level in (("major", 1), ("sub-major", 2), ("minor", 3), ("unit", 4)):
            levels[label] = sum(1 for values in parsed.values() if values["level"] == level)
        titled = {
            language: sum(1 for v in parsed.values() if v[f"title_{language}"]) for language in ("fr", "de", "ar")
        }
        return {"created": len(created), "updated": len(changed), "levels": levels, "titled": titled}

    def _load_occupations(self, rows, translations, french_v1_0):
        unit_groups = set(IscoGroup.objects.filter(level=4).values_list("code", flat=True))
        titles = _preferred_titles(translations, french_v1_0)
        existing = {occupation.uri: occupation for occupation in EscoOccupation.objects.all()}
        created, changed = [], []
        titled = dict.fromkeys(LANGUAGES, 0)
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
                **{f"title_{language}": titles[language].get(uri, "") for language in ("fr", "de", "ar")},
                "alt_labels": row["altLabels"].strip(),
                "description": row["description"].strip(),
                "isco_group_id": isco,
                "regulated": bool(row.get("regulatedProfessionNote"))
                and row["regulatedProfessionNote"].strip() != REGULATED_UNREGULATED,
            }
            for language in LANGUAGES:
                titled[language] += bool(values[f"title_{language}"])
            occupation = existing.get(uri)
            if occupation is None:
                created.append(EscoOccupation(uri=uri, **values))
            else:
                _update(occupation, values, changed)
            progress.step()
        EscoOccupation.objects.bulk_create(created, batch_size=500)
        EscoOccupation.objects.bulk_update(changed, [*OCCUPATION_FIELDS, "last_updated"], batch_size=500)
        _log(created, changed)
        progress.finish()
        return {"created": len(created), "updated": len(changed), "titled": titled}

    def _load_labels(self, occupations, translations, french_v1_0, hub_synonyms):
        """Every searchable label, rewritten where it differs: the ISCO-08 unit groups' titles; the ESCO
        preferred, alternative and hidden labels of the occupations (and of those a newer ESCO release
        added in one language only, filed under that file's unit group); the hub's synonyms."""
        groups = {group.code: group for group in IscoGroup.objects.filter(level=4)}
        occupation_ids = dict(EscoOccupation.objects.values_list("uri", "pk"))
        occupation_groups = dict(EscoOccupation.objects.values_list("pk", "isco_group_id"))
        wanted = {}

        def add(code, occupation, language, kind, text, hub=False):
            # One label per spelling: "ممرض" and "ممرضة" are found alike but each is shown as written.
            for form in label_forms(text, language):
                key = (code, occupation, language, fold(form)[:300])
                if key[3] and (key not in wanted or KIND_ORDER.index(kind) < KIND_ORDER.index(wanted[key][0])):
                    wanted[key] = (kind, form[:300], hub)

        for code, group in groups.items():
            for language in LANGUAGES:
                title = getattr(group, f"title_{language}")
                if title:
                    add(code, None, language, Kind.ISCO_TITLE, title, hub=language in group.hub_translations)
        french_uris = {row["conceptUri"].strip() for row in translations["fr"]}
        sources = [
            ("en", occupations),
            *translations.items(),
            ("fr", [row for row in french_v1_0 if row["conceptUri"].strip() not in french_uris]),
        ]
        for language, rows in sources:
            for number, row in enumerate(rows, start=2):
                occupation = occupation_ids.get(row["conceptUri"].strip())
                code = occupation_groups[occupation] if occupation else row["iscoGroup"].strip()
                if code not in groups:
                    raise CommandError(
                        f"ESCO occupations ({language}), line {number}: ISCO-08 unit group {code!r} is unknown."
                    )
                add(code, occupation, language, Kind.PREFERRED, row["preferredLabel"])
                for text in lines(row["altLabels"]):
                    add(code, occupation, language, Kind.ALTERNATIVE, text)
                for text in lines(row.get("hiddenLabels")):
                    add(code, occupation, language, Kind.HIDDEN, text)
        for number, row in enumerate(hub_synonyms, start=2):
            code, language = row["code"].strip(), row["language"].strip()
            if code not in groups or language not in LANGUAGES:
                raise CommandError(
                    f"The hub's occupation synonyms, line {number}: {code!r} in {language!r} is unknown."
                )
            add(code, None, language, Kind.HUB_SYNONYM, row["label"], hub=True)
        return _write_labels(wanted)


def _preferred_titles(translations, french_v1_0):
    """{language: {ESCO URI: preferred label}} of the other languages (French v1.0 where v1.1.1 lacks one)."""
    titles = {
        language: {row["conceptUri"].strip(): row["preferredLabel"].strip() for row in rows}
        for language, rows in translations.items()
    }
    for row in french_v1_0:
        titles["fr"].setdefault(row["conceptUri"].strip(), row["preferredLabel"].strip())
    return titles


def _update(instance, values, changed):
    """Set the differing `values` on `instance` and keep it in `changed`, with its old values for the log."""
    before = {field: getattr(instance, field) for field, value in values.items() if getattr(instance, field) != value}
    if not before:
        return
    for field, value in values.items():
        setattr(instance, field, value)
    instance.last_updated = timezone.now()
    instance._changelog_before = before
    changed.append(instance)


def _log(created, changed):
    """The change log of rows written in bulk (which sends no signals): one entry per row created or changed,
    with the fields that changed (`title` mirrors `title_en`: logged once)."""
    record_bulk(created, created=True)
    by_fields = {}
    for instance in changed:
        fields = tuple(field for field in instance._changelog_before if field != "title")
        by_fields.setdefault(fields, []).append(instance)
    for fields, instances in by_fields.items():
        record_bulk(instances, created=False, fields=fields)


def _write_labels(wanted):
    """Make the stored labels exactly `wanted` ({(group, occupation, language, folded text): (kind, text, hub)}),
    deleting and creating only what differs."""
    existing, removed = {}, []
    rows = OccupationLabel.objects.values_list(
        "pk", "isco_group_id", "esco_occupation_id", "language", "search_text", "kind", "text", "hub_translation"
    )
    for pk, code, occupation, language, normalised, kind, text, hub in rows.iterator(chunk_size=5000):
        key = (code, occupation, language, fold(text)[:300])
        if key in existing or wanted.get(key) != (kind, text, hub) or normalised != search_text(text, language):
            removed.append(pk)
        else:
            existing[key] = pk
    for start in range(0, len(removed), 500):
        OccupationLabel.objects.filter(pk__in=removed[start : start + 500]).delete()
    new = [
        OccupationLabel(
            isco_group_id=code,
            esco_occupation_id=occupation,
            language=language,
            search_text=search_text(text, language)[:300],
            kind=kind,
            text=text,
            hub_translation=hub,
        )
        for (code, occupation, language, folded), (kind, text, hub) in wanted.items()
        if (code, occupation, language, folded) not in existing
    ]
    OccupationLabel.objects.bulk_create(new, batch_size=1000)
    languages = dict.fromkeys(LANGUAGES, 0)
    for _code, _occupation, language, _folded in wanted:
        languages[language] += 1
    hub = sum(1 for _kind, _text, is_hub in wanted.values() if is_hub)
    return {"total": len(wanted), "languages": languages, "hub": hub, "created": len(new), "removed": len(removed)}
