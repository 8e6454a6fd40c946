"""Reads of permits, occupations and visa requirements: the API's lists and the pages' rows."""

import functools
import re

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Length
from django.utils.translation import get_language

from core.search_text import LANGUAGES as SEARCH_LANGUAGES
from core.search_text import fold, is_arabic, match_tier_expression, search_text
from core.text import digits_latin
from countries.models import Country, Sector
from countries.selectors import SOURCES, legal_source_citation_list, source_citations
from permits.models import (
    EscoOccupation,
    IscoGroup,
    OccupationLabel,
    PermitCategory,
    QualificationRecognition,
    SalaryThreshold,
    VisaRequirement,
)


def permit_public_list():
    codes = Country.objects.only("code").order_by("code")
    return (
        PermitCategory.objects.published()
        .select_related("contact_point", "processing_source")
        .prefetch_related(
            Prefetch("occupations", queryset=IscoGroup.objects.only("code"), to_attr="occupations_prefetched"),
            Prefetch("open_to", queryset=codes, to_attr="open_to_prefetched"),
            Prefetch("closed_to", queryset=codes, to_attr="closed_to_prefetched"),
            Prefetch("sectors", queryset=Sector.objects.only("code").order_by("code"), to_attr="sectors_prefetched"),
            Prefetch("documents", to_attr="documents_prefetched"),
            Prefetch("fees", to_attr="fees_prefetched"),
            Prefetch(
                "salary_thresholds",
                queryset=SalaryThreshold.objects.prefetch_related(
                    Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched")
                ),
                to_attr="salary_thresholds_prefetched",
            ),
            Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched"),
        )
        # Indexed columns: the model's default ("country", "name") joins and sorts by country name.
        .order_by("country_id", "code")
    )


def isco_group_list():
    return IscoGroup.objects.prefetch_related(
        Prefetch("children", queryset=IscoGroup.objects.only("code", "parent"), to_attr="children_prefetched")
    )


def esco_occupation_list():
    return EscoOccupation.objects.all()


def qualification_recognition_list():
    return (
        QualificationRecognition.objects.select_related("body")
        .prefetch_related(
            Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched")
        )
        .order_by("country_id", "occupation_id")
    )


def recognition_list(country, isco_code):
    """How `country` recognises a qualification for the ISCO-08 group `isco_code`: the rows of the most
    specific group above it (itself included) that has any, one per region or community, with their
    bodies and sources. The one read behind the permit page's recognition section and the
    eligibility engine's "regulated profession" condition (two queries; none without a code)."""
    if not isco_code:
        return []
    rows = list(
        qualification_recognition_list()
        .select_related("occupation")
        .filter(country=country, occupation_id__in=IscoGroup.codes_above(isco_code))
        .order_by("area")
    )
    deepest = max((len(row.occupation_id) for row in rows), default=0)
    return [row for row in rows if len(row.occupation_id) == deepest]


def recognition_occupation_list(country):
    """The occupation groups `country` has recognition rows for: the permit page's ways in."""
    codes = QualificationRecognition.objects.filter(country=country).values("occupation_id")
    return IscoGroup.objects.filter(code__in=codes).order_by("code")


def visa_requirement_list():
    return VisaRequirement.objects.all()


def destination_list():
    """Countries with published permits: the ways in 'by destination'."""
    return Country.objects.filter(permits__publication_status="published").distinct().order_by("name")


def permit_published_list():
    return PermitCategory.objects.published().select_related("country").order_by("country__name", "name")


def permit_source_citations(country):
    """The legal sources cited by a country's published permits and by their salary thresholds
    (countries.selectors.source_citations); fees cite none of their own, they rest on the permit's."""
    permits = PermitCategory.objects.published().filter(country=country)
    return (
        source_citations(PermitCategory.legal_sources, permits),
        source_citations(SalaryThreshold.legal_sources, SalaryThreshold.objects.filter(permit__in=permits)),
    )


def permit_page_get(code):
    """One published permit with everything its page shows (a fixed number of queries)."""
    return (
        PermitCategory.objects.published()
        .select_related("country", "contact_point", "processing_source")
        .prefetch_related(
            "documents",
            "fees",
            Prefetch(
                "salary_thresholds",
                queryset=SalaryThreshold.objects.prefetch_related(SOURCES).order_by("-valid_from", "label"),
            ),
            "occupations",
            "open_to",
            "closed_to",
            Prefetch("sectors", queryset=Sector.objects.order_by("code")),
            SOURCES,
        )
        .get(code=code)
    )


def permit_open_list(*, destination, nationality, on):
    """Published permits of `destination` that nationals of `nationality` may apply for on `on`."""
    return permit_published_list().filter(country=destination).open_to(nationality, on=on)


def visa_requirement_get(*, nationality, destination):
    return VisaRequirement.objects.filter(nationality=nationality, destination=destination).first()


# Label rows read per search, best first: the best labels of far more groups than a list shows.
OCCUPATION_LABELS_READ = 300
MAX_OCCUPATION_QUERY = 200
# A query this short matches only at the start of a word ("la" is not looked for inside every word).
SHORT_QUERY = 2
# Names (a group's ISCO-08 title, an occupation's ESCO preferred label, a synonym of the hub's) before the
# alternative labels, before the search terms; then, among names, the ISCO-08 title first.
_NAMES = [OccupationLabel.Kind.ISCO_TITLE, OccupationLabel.Kind.PREFERRED, OccupationLabel.Kind.HUB_SYNONYM]
_NAME_RANK = Case(
    When(kind__in=_NAMES, then=Value(0)),
    When(kind=OccupationLabel.Kind.ALTERNATIVE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_KIND_RANK = Case(
    When(kind=OccupationLabel.Kind.ISCO_TITLE, then=Value(0)),
    When(kind__in=[OccupationLabel.Kind.PREFERRED, OccupationLabel.Kind.HUB_SYNONYM], then=Value(1)),
    When(kind=OccupationLabel.Kind.ALTERNATIVE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
# The ranking's first four keys (kind of match, language, name, tier) as the digits of one number, so that
# the tier's CASE appears once in the SQL (match_tier_expression's kind_weight; each key is below 10).
_RANK_KIND, _RANK_LANGUAGE, _RANK_NAME = 1000, 100, 10
_GROUP_FIELDS = ("code", "level", "title", "title_en", "title_fr", "title_ar", "title_de", "hub_translations")


def occupation_matching_list(text, limit=20, language=None):
    """ISCO-08 unit groups for what a person typed, in any of the four languages, best first (one query).

    A code (in any digits: "٢٢٢١") gives its unit group, a shorter code the unit groups below it. Words
    are matched on the normalised labels (core.search_text), and a group takes the place of its best
    label, ranked by, in turn: the kind of match (the words as whole words of the label, a word of the
    label starting with them, the words inside a word as in German compounds, the words apart); the
    visitor's `language` (by default the active one) before the others; a name (an ISCO-08 title, an ESCO
    preferred label, a synonym of the hub's), then an alternative label, then a search term; how exactly
    it matches (equal to the words, starting with them, holding them); an ISCO-08 title before the other
    names; the group with more labels so matched (nursing has many "nurse" labels); the shorter label.

    What the label is weighs more than equality: an occupation's name holding the words is a better hint
    than an alternative label equal to them. ESCO's alternative labels include older and regional titles,
    some attached to a neighbouring occupation ("Krankenpfleger" is one of nurse assistants', while nurses'
    own name is "Krankenpfleger Allgemeine Krankenpflege").

    Each group carries the label that found it, shown in the visitor's language where its occupation has
    a title in it: `matched_label`, `matched_language`, `matched_hub_translation` (the label is None when
    the group's own title in that language matched).
    """
    text = " ".join(str(text or "").replace("\x00", " ").split())[:MAX_OCCUPATION_QUERY]
    language = _language(language)
    code = digits_latin(text)
    if code.isdigit() and len(code) <= 4:
        groups = IscoGroup.objects.filter(level=IscoGroup.Level.UNIT, code__startswith=code).order_by("code")
        return [_matched(group, None, language) for group in groups.only(*_GROUP_FIELDS)[:limit]]
    queries = {}
    # Labels in Latin script hold no Arabic word: Arabic words are looked for in the Arabic labels only.
    for each in ("ar",) if is_arabic(text) else SEARCH_LANGUAGES:
        normalised = search_text(text, each)
        if normalised:
            queries.setdefault(normalised, []).append(each)
    if not queries:
        return []
    shape = tuple(
        (len(normalised.split()), len(normalised) <= SHORT_QUERY, tuple(languages))
        for normalised, languages in queries.items()
    )
    rows = _label_rows(shape, language, [word for normalised in queries for word in normalised.split()])
    typed, best, matches = fold(text), {}, {}
    for row in rows:
        rank = (row["rank"], row["kind_rank"])
        group = row["isco_group_id"]
        matches[group] = matches.get(group, 0) + 1
        current = best.get(group)
        # Of equally good labels of a group, the one spelt as typed ("ممرضة" rather than "ممرض").
        if current is None or (current[0] == rank and typed in fold(row["text"]) and typed not in current[2]):
            best[group] = (rank, row, fold(row["text"]))
    position = {group: index for index, group in enumerate(best)}  # of each group's first (best) label
    ranked = sorted(
        best.values(),
        key=lambda item: (item[0], -matches[item[1]["isco_group_id"]], position[item[1]["isco_group_id"]]),
    )
    return [_matched(_group_of(row), row, language) for _rank, row, _folded in ranked[:limit]]


def _label_queryset(queries, language):
    """The best OCCUPATION_LABELS_READ labels for `queries`, [(normalised words, short?, their languages)],
    as dicts with their ranking and their unit group's fields (`language`: the visitor's)."""
    condition, tiers = Q(pk__in=[]), []
    for normalised, short, languages in queries:
        words = Q(language__in=languages)
        for word in normalised.split():
            if short:
                words &= Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
            else:
                words &= Q(search_text__contains=word)
        condition |= words
        tier = match_tier_expression("search_text", normalised, kind_weight=_RANK_KIND)
        tiers.append(When(language__in=languages, then=tier))
    language_rank = Case(When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        OccupationLabel.objects.filter(condition)
        .annotate(
            rank=Case(*tiers, output_field=IntegerField())
            + language_rank * Value(_RANK_LANGUAGE)
            + _NAME_RANK * Value(_RANK_NAME),
            kind_rank=_KIND_RANK,
            length=Length("search_text"),
        )
        .order_by("rank", "kind_rank", "length", "isco_group_id", "pk")
        .values(
            "isco_group_id",
            "language",
            "kind",
            "text",
            "hub_translation",
            "rank",
            "kind_rank",
            *(f"isco_group__{field}" for field in _GROUP_FIELDS),
            occupation_title=F(f"esco_occupation__title_{language}"),
        )[:OCCUPATION_LABELS_READ]
    )


# What stands for the n-th word in a compiled label query: no normalised word holds a NUL.
_WORD_PLACEHOLDER = "\x00{}\x00"
_WORD_PLACEHOLDERS = re.compile("\x00([0-9]+)\x00")


@functools.lru_cache(maxsize=256)
def _label_sql(shape, language):
    """(SQL, parameters) of _label_queryset() for queries of this `shape`, ((number of words, short?,
    languages), …), compiled once per process with _WORD_PLACEHOLDER for the words, numbered in turn:
    building and compiling the ranking's expressions took longer than PostgreSQL's answer, and only the
    words change between queries of a shape (the same SQL, so the same plan and rows)."""
    queries, number = [], 0
    for count, short, languages in shape:
        placeholders = " ".join(_WORD_PLACEHOLDER.format(number + index) for index in range(count))
        queries.append((placeholders, short, languages))
        number += count
    return _label_queryset(queries, language).query.sql_with_params()


def _label_rows(shape, language, words):
    """The rows of _label_queryset() for `words` (all the queries' normalised words, in turn), as the
    queryset's values() gives them: keyed by the names its SQL gives the columns, and with the two values
    the databases answer in their own way converted (the boolean, the JSON list of hub translations)."""
    sql, params = _label_sql(shape, language)
    # Normalised words are letters and digits (core.search_text.fold): nothing to escape in a LIKE pattern.
    params = [
        _WORD_PLACEHOLDERS.sub(lambda match: words[int(match.group(1))], param) if isinstance(param, str) else param
        for param in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    translations = IscoGroup._meta.get_field("hub_translations")
    for row in rows:
        row["hub_translation"] = bool(row["hub_translation"])  # SQLite answers 0 or 1
        row["isco_group__hub_translations"] = translations.from_db_value(
            row["isco_group__hub_translations"], None, connection
        )
    return rows


def _group_of(row):
    """The row's unit group as a model instance (the fields the pages show; from_db wants the model's order)."""
    names = [field.attname for field in IscoGroup._meta.concrete_fields if field.attname in _GROUP_FIELDS]
    return IscoGroup.from_db(IscoGroup.objects.db, names, [row[f"isco_group__{name}"] for name in names])


def _language(language):
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in SEARCH_LANGUAGES else settings.LANGUAGE_CODE


def _matched(group, row, language):
    """`group` with the label that found it, in the visitor's `language` where the occupation has a title in it."""
    group.matched_label = group.matched_language = None
    group.matched_hub_translation = False
    if row is None or (row["kind"] == OccupationLabel.Kind.ISCO_TITLE and row["language"] == language):
        return group
    if row["language"] != language and row["occupation_title"]:
        group.matched_label, group.matched_language = row["occupation_title"], language
    else:
        group.matched_label, group.matched_language = row["text"], row["language"]
        group.matched_hub_translation = row["hub_translation"]
    return group


def occupation_match_get(text, language=None):
    """(chosen ISCO unit group or None, candidate groups) for what the person typed."""
    if not text:
        return None, []
    candidates = occupation_matching_list(text, language=language)
    typed = digits_latin(text.strip())
    chosen = next((group for group in candidates if group.code == typed), None)
    if chosen is None and len(candidates) == 1:
        chosen = candidates[0]
    return chosen, candidates
