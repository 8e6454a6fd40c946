"""Reads of countries, corridors, agreements and legal sources: the API's lists and the pages' rows."""

import functools

from django.conf import settings
from django.db.models import Prefetch, Value
from django.utils.translation import get_language

from core.search_text import LANGUAGES as SEARCH_LANGUAGES
from core.search_text import match_tier, search_text
from countries.models import Agreement, ContactPoint, Corridor, Country, CountryMembership, LegalSource, Sector
from countries.roles import FOCAL_POINTS

CITATION_FIELDS = (
    "key",
    "title",
    "title_en",
    "title_fr",
    "title_ar",
    "title_de",
    "article",
    "url",
    "kind",
    "last_verified",
)


def _occupation_model():
    return Agreement._meta.get_field("occupations").related_model


def legal_source_citation_list():
    return LegalSource.objects.only(*CITATION_FIELDS)


def country_list():
    return Country.objects.all()


def corridor_list():
    return Corridor.objects.all()


def legal_source_list():
    return LegalSource.objects.all()


def agreement_public_list():
    return Agreement.objects.published().prefetch_related(
        Prefetch("parties", queryset=Country.objects.only("code").order_by("code"), to_attr="parties_prefetched"),
        Prefetch("sectors", queryset=Sector.objects.only("code"), to_attr="sectors_prefetched"),
        # Occupations are ISCO-08 groups of the permits app, reached through the relation (no import upwards).
        Prefetch("occupations", queryset=_occupation_model().objects.only("code"), to_attr="occupations_prefetched"),
        # The key breaks ties of country and name (the model's order), so that every hub, a mirror included,
        # lists them alike.
        Prefetch(
            "intermediaries",
            queryset=ContactPoint.objects.order_by("country", "name", "key"),
            to_attr="intermediaries_prefetched",
        ),
        Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched"),
    )


# The pages' reads: only published data, with the related rows each page shows.

SOURCES = Prefetch("legal_sources", queryset=LegalSource.objects.order_by("title", "article"))


def country_get(code):
    """The country with this ISO code (any case), or None; odd input (NUL bytes, long strings) is None."""
    if not isinstance(code, str) or len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return Country.objects.filter(pk=code.upper()).first()


def agreement_party_list():
    """Countries that are a party to a published agreement, by name: the agreement list's filter."""
    return Country.objects.filter(agreements__publication_status="published").distinct().order_by("name")


def origin_list():
    """Countries that are the origin of a corridor: the ways in 'by nationality'."""
    return Country.objects.filter(pk__in=Corridor.objects.values("origin")).order_by("name")


def corridor_page_list():
    return Corridor.objects.select_related("origin", "destination").order_by("origin__name", "destination__name")


def agreement_published_list():
    return Agreement.objects.published().prefetch_related("parties").order_by("-in_force_on", "title")


def agreement_page_get(key):
    return (
        Agreement.objects.published()
        .prefetch_related("parties", "sectors", "occupations", "intermediaries__country", SOURCES)
        .get(key=key)
    )


def focal_point_country_list():
    """Countries whose data an active focal point keeps, by name (one query): the About page's list."""
    memberships = CountryMembership.objects.filter(user__is_active=True, user__groups__name=FOCAL_POINTS)
    return Country.objects.filter(pk__in=memberships.values("country")).order_by("name")


def contact_point_country_list():
    """Countries with at least one contact point, by name: where to report a wrong fact."""
    return Country.objects.filter(pk__in=ContactPoint.objects.values("country")).order_by("name")


def contact_point_list(country):
    return ContactPoint.objects.filter(country=country).order_by("kind", "name")


def corridor_agreement_list(*, origin, destination):
    """Published agreements between the two countries, with their intermediaries and sources."""
    return (
        Agreement.objects.published()
        .between(origin, destination)
        .towards(destination)
        .prefetch_related("parties", "intermediaries__country", SOURCES)
        .order_by("-in_force_on", "title")
    )


def legal_source_map_get(keys):
    """{key: LegalSource} for the keys the eligibility engine cites (one query)."""
    return {source.key: source for source in LegalSource.objects.filter(key__in=keys)}


def source_citations(relation, rows):
    """(model, row id, kind of source) of each legal source that `rows` cite through `relation`, a
    many-to-many relation to LegalSource (e.g. Agreement.legal_sources): a part of official_source_share,
    not evaluated on its own."""
    field = relation.field
    return (
        relation.through.objects.filter(**{f"{field.m2m_field_name()}__in": rows})
        .annotate(model=Value(field.model._meta.label))
        .values_list("model", field.m2m_column_name(), f"{field.m2m_reverse_field_name()}__kind")
    )


def agreement_source_citations(country):
    """The legal sources cited by the published agreements `country` is a party to (source_citations)."""
    return source_citations(Agreement.legal_sources, Agreement.objects.published().filter(parties=country))


def official_source_share(*citations):
    """(facts resting on an official source, facts citing a source), in one query: a fact is a row the
    citations name (a permit, a salary threshold, an agreement, a recruitment regime…), and it rests
    on an official source when one of the sources it cites is of LegalSource.OFFICIAL_KINDS."""
    first, *others = citations
    official = {}
    for model, row, kind in first.union(*others, all=True):
        official[model, row] = official.get((model, row), False) or kind in LegalSource.OFFICIAL_KINDS
    return sum(official.values()), len(official)


COUNTRY_NAME_FIELDS = ("name", "official_name")
MAX_COUNTRY_QUERY = 200
_COUNTRY_FIELDS = ("code", *(f"{field}_{other}" for field in COUNTRY_NAME_FIELDS for other in SEARCH_LANGUAGES))


def country_matching_list(text, limit=10, language=None):
    """Countries whose name (or official name) in any of the hub's four languages matches what a person
    typed, best first (one query): "ألمانيا", "Allemagne", "deutschland" all find Germany.

    Matched in Python on the normalised names (core.search_text), the same way on every database: there
    are 250 countries, and the normalised names are cached. Ranked like the occupation labels: a name
    equal to the words, then one starting with them, then holding them, then a word starting with them,
    then the words inside a word; the visitor's `language` (by default the active one) before the others;
    a name before an official name; shorter before longer. Each country carries the name that matched
    as `matched_label` and `matched_language` (None when it is its name in the visitor's language).
    """
    text = " ".join(str(text or "").replace("\x00", " ").split())[:MAX_COUNTRY_QUERY]
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    language = language if language in SEARCH_LANGUAGES else settings.LANGUAGE_CODE
    languages = [language, *(other for other in SEARCH_LANGUAGES if other != language)]
    queries = {other: search_text(text, other) for other in SEARCH_LANGUAGES}
    if not any(queries.values()):
        return []
    # The name_xx columns as stored: modeltranslation's rewriting (for `name` without a language) only slows the read.
    rows = tuple(Country.objects.rewrite(False).order_by("code").values_list(*_COUNTRY_FIELDS))
    best = {}
    for language_rank, other in enumerate(languages):
        query = queries[other]
        if not query:
            continue
        first_word = query.split()[0]
        for index, kind, name, normalised in _country_names(rows)[other]:
            # Every tier needs each word of the query in the name: the first one rules most names out.
            tier = match_tier(query, normalised) if first_word in normalised else None
            if tier is not None:
                # Of equal ranks, the first in the order of the kinds, then of the languages.
                rank = ((tier, min(language_rank, 1), kind, len(name)), kind, language_rank)
                if index not in best or rank < best[index][0]:
                    best[index] = (rank, name, other)
    found = sorted(best.items(), key=lambda item: (item[1][0][0], rows[item[0]][0]))
    loaded = [field.attname for field in Country._meta.concrete_fields if field.attname in _COUNTRY_FIELDS]
    countries = []
    for index, (_rank, name, other) in found[:limit]:
        names = dict(zip(_COUNTRY_FIELDS, rows[index], strict=True))
        country = Country.from_db(Country.objects.db, loaded, [names[field] for field in loaded])
        own = other == language and name == names[f"name_{language}"]
        country.matched_label, country.matched_language = (None, None) if own else (name, other)
        countries.append(country)
    return countries


@functools.lru_cache(maxsize=1)
def _country_names(rows):
    """{language: [(row index, kind, name, normalised name)]} of the country rows read (the names of
    COUNTRY_NAME_FIELDS, in that order): normalised once per process for as long as the rows are the
    same. Keyed by the rows themselves, so an edited name is seen on the next call, however it was saved."""
    names = {other: [] for other in SEARCH_LANGUAGES}
    for index, row in enumerate(rows):
        values = dict(zip(_COUNTRY_FIELDS, row, strict=True))
        for kind, field in enumerate(COUNTRY_NAME_FIELDS):
            for other in SEARCH_LANGUAGES:
                name = values[f"{field}_{other}"]
                if name:
                    names[other].append((index, kind, name, search_text(name, other)))
    return names
