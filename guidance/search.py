"""Search over permits, agreements, recruitment agencies, occupations and countries.

Permits, agreements and agencies, on PostgreSQL: full-text search with the language's text-search
configuration (english, french, german, arabic: all four ship with PostgreSQL), matched against GIN
expression indexes created by the `*_search_indexes` migrations. The expressions below and those of
the migrations must stay the same, or PostgreSQL will not use the indexes (a stack test checks the
query plan). Translated content is searched in the asked language and in English, the fallback of
every translation; agency names are proper names and use the 'simple' configuration (no stemming).
Elsewhere (SQLite, the embedded mode): every word must appear (icontains) in one of the same fields.
Only published permits, agreements and agencies are found.

Occupations (ISCO-08 unit groups, by their titles and their ESCO occupations' labels in the four
languages) and countries (by their names in the four languages) are found the same way on both
databases, on normalised words (core.search_text), by the selectors the occupation picker and the
country pages use: permits.selectors.occupation_matching_list, countries.selectors.country_matching_list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q

from countries.models import Agreement
from countries.selectors import country_matching_list
from permits.models import PermitCategory
from permits.selectors import occupation_matching_list
from recruiters.models import RecruitmentAgency

LANGUAGE_CONFIGS = {"en": "english", "fr": "french", "de": "german", "ar": "arabic"}
DEFAULT_LIMIT = 20
MAX_QUERY_LENGTH = 200

# kind → (fields searched, translated?, configuration when not translated): the full-text kinds
SEARCHED = {
    "permit": (("name", "description"), True, None),
    "agreement": (("title", "summary"), True, None),
    "agency": (("legal_name", "licence_number"), False, "simple"),
}
# The kinds matched on normalised words, one query each.
MATCHED = ("occupation", "country")
# Between hits of the same place in their kinds' lists, the order of kinds.
KIND_ORDER = (*SEARCHED, *MATCHED)


@dataclass(frozen=True)
class SearchResult:
    """One hit: what it is (kind), its stable key, its title and a short detail (country, ISCO code).

    Occupations and countries also say the language of their title, the label or name that matched
    (in the visitor's language where there is one) and its language, and whether the title is the
    hub's own translation (the Arabic ISCO-08 titles).
    """

    kind: str  # permit, agreement, agency, occupation (an ISCO-08 unit group), country
    key: str  # permit code, agreement key, agency id, ISCO code, country code
    title: str
    detail: str
    rank: float
    language: str = ""  # the title's language, where known
    label: str = ""
    label_language: str = ""
    hub_translation: bool = False

    def as_dict(self):
        return {
            "kind": self.kind,
            "key": self.key,
            "title": self.title,
            "detail": self.detail,
            "rank": self.rank,
            "label": self.label,
            "label_language": self.label_language,
            "hub_translation": self.hub_translation,
        }


def search_vector(kind, language):
    """The tsvector expression searched (and indexed) for `kind` in `language`'s columns."""
    fields, translated, config = SEARCHED[kind]
    if translated:
        return SearchVector(*(f"{field}_{language}" for field in fields), config=LANGUAGE_CONFIGS[language])
    return SearchVector(*fields, config=config)


def uses_full_text():
    return connection.vendor == "postgresql"


def search(query, language="en", limit=DEFAULT_LIMIT):
    """The best `limit` hits for `query`, five queries whatever the data size (one per kind).

    Each kind's hits keep their own order (full-text rank, title match, the selectors' order); the
    lists are interleaved, so a kind with many weak hits never pushes out another kind's best one.

    `language` is one of en, fr, de, ar (anything else counts as English).
    """
    # NUL cannot be sent to PostgreSQL; runs of spaces mean nothing.
    query = " ".join(str(query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    language = language if language in LANGUAGE_CONFIGS else "en"
    limit = max(1, min(int(limit), 100))
    finder = _full_text if uses_full_text() else _contains
    results = []
    for kind, (_queryset, describe) in _SOURCES.items():
        # Each kind's score (ts_rank, or a title match) orders that kind only: scores of different
        # kinds cannot be compared, so every kind's hits are ranked by their place in it.
        found = sorted(finder(kind, query, language, limit), key=lambda hit: -hit[1])
        results.extend(describe(row, _position_rank(position)) for position, (row, _score) in enumerate(found))
    results.extend(_occupations(query, language, limit))
    results.extend(_countries(query, language, limit))
    # The best of every kind first, then the second best of each, and so on; kinds in KIND_ORDER.
    results.sort(key=lambda result: (-result.rank, KIND_ORDER.index(result.kind)))
    return results[:limit]


def _position_rank(position):
    """A rank in (0, 1] falling with the position in a selector's list, which is already best first."""
    return round(1.0 / (1 + position * 0.05), 4)


def _occupations(query, language, limit):
    groups = occupation_matching_list(query, limit=limit, language=language)
    return _matched("occupation", groups, "title", language)


def _countries(query, language, limit):
    countries = country_matching_list(query, limit=limit, language=language)
    return _matched("country", countries, "name", language)


def _matched(kind, rows, title_field, language):
    """Hits from a matching selector's rows (ISCO groups, countries), best first: each titled in the
    visitor's language where it has that translation, with the label that matched and its language."""
    results = []
    for position, row in enumerate(rows):
        translated = getattr(row, f"{title_field}_{language}", "")
        results.append(
            SearchResult(
                kind,
                row.code,
                translated or getattr(row, f"{title_field}_en"),
                row.code,
                _position_rank(position),
                language=language if translated else "en",
                label=row.matched_label or "",
                label_language=row.matched_language or "",
                # The Arabic ISCO-08 titles are the hub's own translation; country names never are.
                hub_translation=bool(translated) and language in getattr(row, "hub_translations", ()),
            )
        )
    return results


def search_sources():
    """(kind, base queryset, result builder) for every kind searched with full text (PostgreSQL)."""
    return [(kind, queryset(), describe) for kind, (queryset, describe) in _SOURCES.items()]


# kind → (its published rows, with the fields a hit shows; the hit of a row and its rank), in SEARCHED's order
_SOURCES = {
    "permit": (
        lambda: PermitCategory.objects.published().only("code", "name", "country_id"),
        lambda row, rank: SearchResult("permit", row.code, str(row.name), row.country_id, rank),
    ),
    "agreement": (
        lambda: Agreement.objects.published().only("key", "title", "type"),
        lambda row, rank: SearchResult("agreement", row.key, str(row.title), row.type, rank),
    ),
    "agency": (
        lambda: RecruitmentAgency.objects.published().only("id", "legal_name", "licence_number", "country_id"),
        lambda row, rank: SearchResult(
            "agency", str(row.pk), row.legal_name, f"{row.country_id} {row.licence_number}", rank
        ),
    ),
}
# What stands for the words in the compiled full-text queries: search() has taken every NUL out of them.
_QUERY_PLACEHOLDER = "\x00query\x00"


def _full_text(kind, query, language, limit):
    model, sql, params = _full_text_sql(kind, language, limit)
    rows = model.objects.raw(sql, [query if param == _QUERY_PLACEHOLDER else param for param in params])
    return [(row, round(float(row.rank), 4)) for row in rows]


@functools.lru_cache(maxsize=256)
def _full_text_sql(kind, language, limit):
    """(model, SQL, parameters) of full_text_queryset() for `kind` in `language`, compiled once per process,
    with _QUERY_PLACEHOLDER for the words: only they change between searches, and building and compiling
    the ORM's expressions took longer than PostgreSQL's answer (the same SQL, so the same plan and rows)."""
    queryset, _describe = _SOURCES[kind]
    compiled = full_text_queryset(kind, queryset(), _QUERY_PLACEHOLDER, language)[:limit]
    sql, params = compiled.query.sql_with_params()
    return compiled.model, sql, params


def full_text_queryset(kind, queryset, query, language):
    """`queryset` filtered by the full-text match of `query` and ordered by rank (PostgreSQL only)."""
    _fields, translated, _config = SEARCHED[kind]
    vectors = [search_vector(kind, language)]
    if translated and language != "en":
        vectors.append(search_vector(kind, "en"))  # the English text every translation falls back to
    condition, rank = Q(), None
    for index, vector in enumerate(vectors):
        search_query = SearchQuery(query, search_type="websearch", config=vector.config)
        # The filter repeats the indexed expression exactly (@@ on the alias), so the GIN index serves it.
        condition |= Q(**{f"search_vector_{index}": search_query})
        this_rank = SearchRank(F(f"search_vector_{index}"), search_query)
        rank = this_rank if rank is None else rank + this_rank
    aliases = {f"search_vector_{index}": vector for index, vector in enumerate(vectors)}
    return queryset.alias(**aliases).filter(condition).annotate(rank=rank).order_by("-rank")


def _contains(kind, query, language, limit):
    fields, translated, _config = SEARCHED[kind]
    queryset, _describe = _SOURCES[kind]
    names = [f"{field}_{language}" for field in fields] if translated else list(fields)
    if translated and language != "en":
        names += [f"{field}_en" for field in fields]
    condition = Q()
    for word in query.split():
        any_field = Q()
        for name in names:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    title = names[0]
    rows = list(queryset().filter(condition).annotate(search_title=F(title)).order_by(title)[:limit])
    lowered = query.lower()
    return [(row, 1.0 if lowered in str(row.search_title or "").lower() else 0.5) for row in rows]
