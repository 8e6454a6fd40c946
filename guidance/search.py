"""Search over permits, agreements, recruitment agencies and occupations (ISCO-08 groups and ESCO).

On PostgreSQL: full-text search with the language's text-search configuration (english, french,
german, arabic: all four ship with PostgreSQL), matched against GIN expression indexes created by
the `*_search_indexes` migrations. The expressions below and those of the migrations must stay
the same, or PostgreSQL will not use the indexes (a services test checks the query plan).
Translated content is searched in the asked language and in English, the fallback of every
translation. Occupations exist in English only (ESCO, ISCO-08); agency names are proper names and
use the 'simple' configuration (no stemming).

Elsewhere (SQLite, the embedded mode): every word must appear (icontains) in one of the same fields.
Only published permits, agreements and agencies are found.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q

from countries.models import Agreement
from permits.models import EscoOccupation, IscoGroup, PermitCategory
from recruiters.models import RecruitmentAgency

LANGUAGE_CONFIGS = {"en": "english", "fr": "french", "de": "german", "ar": "arabic"}
DEFAULT_LIMIT = 20
MAX_QUERY_LENGTH = 200

# kind → (fields searched, translated?, configuration when not translated)
SEARCHED = {
    "permit": (("name", "description"), True, None),
    "agreement": (("title", "summary"), True, None),
    "agency": (("legal_name", "licence_number"), False, "simple"),
    "occupation": (("title_en",), False, "english"),
    "esco_occupation": (("title_en", "alt_labels"), False, "english"),
}


@dataclass(frozen=True)
class SearchResult:
    """One hit: what it is (kind), its stable key, its title and a short detail (country, ISCO code)."""

    kind: str  # permit, agreement, agency, occupation (an ISCO group; ESCO hits are filed under theirs)
    key: str  # permit code, agreement key, agency id, ISCO code
    title: str
    detail: str
    rank: float

    def as_dict(self):
        return {"kind": self.kind, "key": self.key, "title": self.title, "detail": self.detail, "rank": self.rank}


def search_vector(kind, language):
    """The tsvector expression searched (and indexed) for `kind` in `language`'s columns."""
    fields, translated, config = SEARCHED[kind]
    if translated:
        return SearchVector(*(f"{field}_{language}" for field in fields), config=LANGUAGE_CONFIGS[language])
    return SearchVector(*fields, config=config)


def uses_full_text():
    return connection.vendor == "postgresql"


def search(query, language="en", limit=DEFAULT_LIMIT):
    """The best `limit` hits for `query`, best first: five queries whatever the data size.

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
    for kind, queryset, describe in _sources():
        results.extend(describe(row, rank) for row, rank in finder(kind, queryset, query, language, limit))
    results = _merge_occupations(results)
    results.sort(key=lambda result: (-result.rank, result.kind, result.title))
    return results[:limit]


def search_sources():
    """(kind, base queryset, result builder) for every kind searched."""
    return _sources()


def _sources():
    return [
        (
            "permit",
            PermitCategory.objects.published().only("code", "name", "country_id"),
            lambda row, rank: SearchResult("permit", row.code, str(row.name), row.country_id, rank),
        ),
        (
            "agreement",
            Agreement.objects.published().only("key", "title", "type"),
            lambda row, rank: SearchResult("agreement", row.key, str(row.title), row.type, rank),
        ),
        (
            "agency",
            RecruitmentAgency.objects.published().only("id", "legal_name", "licence_number", "country_id"),
            lambda row, rank: SearchResult(
                "agency", str(row.pk), row.legal_name, f"{row.country_id} {row.licence_number}", rank
            ),
        ),
        (
            "occupation",
            IscoGroup.objects.only("code", "title"),
            lambda row, rank: SearchResult("occupation", row.code, str(row.title), row.code, rank),
        ),
        (
            "esco_occupation",
            EscoOccupation.objects.only("uri", "title", "isco_group_id"),
            lambda row, rank: SearchResult("occupation", row.isco_group_id, str(row.title), row.isco_group_id, rank),
        ),
    ]


def _full_text(kind, queryset, query, language, limit):
    rows = full_text_queryset(kind, queryset, query, language)[:limit]
    return [(row, round(float(row.rank), 4)) for row in rows]


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


def _contains(kind, queryset, query, language, limit):
    fields, translated, _config = SEARCHED[kind]
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
    rows = list(queryset.filter(condition).annotate(search_title=F(title)).order_by(title)[:limit])
    lowered = query.lower()
    return [(row, 1.0 if lowered in str(row.search_title or "").lower() else 0.5) for row in rows]


def _merge_occupations(results):
    """One hit per ISCO group: an ESCO occupation and its group found together count once, best rank."""
    best, others = {}, []
    for result in results:
        if result.kind != "occupation":
            others.append(result)
            continue
        current = best.get(result.key)
        if current is None or result.rank > current.rank:
            best[result.key] = result
    return others + list(best.values())
