"""Search over permits, agreements, agencies, occupations and countries: the same behaviour on both
databases, then the PostgreSQL specifics (language configurations, GIN indexes used) in the stack run."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from core.fields import PublicationStatus
from guidance.search import (
    LANGUAGE_CONFIGS,
    MATCHED,
    SEARCHED,
    full_text_queryset,
    search,
    search_sources,
    uses_full_text,
)
from permits.models import PermitCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(db):
    call_command("load_demo_data", stdout=io.StringIO())


def keys(results, kind=None):
    return [result.key for result in results if kind is None or result.kind == kind]


def test_permits_by_name_in_the_language_and_in_english_where_not_translated(demo_data):
    found = keys(search("blue card", "en"), "permit")
    assert {"de-eu-blue-card", "be-eu-blue-card"} <= set(found)
    assert "de-opportunity-card" not in found
    assert "fr-travailleur-saisonnier" in keys(search("saisonnier", "fr"), "permit")
    # Without an Arabic name (whatever the demo data translates), the English one is searched.
    PermitCategory.objects.filter(code="de-opportunity-card").update(name_ar="", description_ar="")
    assert "de-opportunity-card" in keys(search("Opportunity", "ar"), "permit")


def test_drafts_are_not_found(demo_data):
    PermitCategory.objects.filter(code="de-eu-blue-card").update(publication_status=PublicationStatus.DRAFT)
    assert "de-eu-blue-card" not in keys(search("blue card", "en"))


def test_agreements_and_agencies_are_found(demo_data):
    assert "de-tn-triple-win-nurses" in keys(search("Triple Win", "en"), "agreement")
    agencies = [result for result in search("Abu Ghazi", "en", limit=50) if result.kind == "agency"]
    assert [(result.title, result.detail) for result in agencies] == [("أبو غازي (Abu Ghazi)", "EG 150")]


def test_occupations_from_isco_and_esco_one_hit_per_group(db):
    results = search("software developer", "en")
    occupations = keys(results, "occupation")
    assert "2512" in occupations
    assert len(occupations) == len(set(occupations))


def test_many_weak_hits_of_one_kind_never_push_out_another_kinds_best(corridor_data):
    # Dozens of ESCO labels hold "Fachkraft"; the permit named so still comes within the first three.
    results = search("Fachkraft", "de", limit=3)
    assert len(keys(search("Fachkraft", "de", limit=50), "occupation")) > 3
    assert "de-skilled" in keys(results, "permit")
    assert results[0].kind == "permit"


def test_limit_order_empty_and_odd_queries_and_unknown_language(demo_data):
    results = search("work", "en", limit=3)
    assert len(results) == 3
    assert [result.rank for result in results] == sorted((result.rank for result in results), reverse=True)
    assert search("   ", "en") == []
    assert search(None, "en") == []
    assert keys(search("blue card", "xx"), "permit") == keys(search("blue card", "en"), "permit")
    for text in ["'; DROP TABLE x; --", '"unbalanced', "a & b | !c", "x" * 5000, "% _ \\", "nul\x00byte", "<script>"]:
        assert isinstance(search(text, "en"), list)


def test_occupations_in_the_visitors_language_name_the_label_that_matched():
    hits = [result for result in search("infirmière", "fr") if result.kind == "occupation"]
    assert hits[0].key == "2221"
    assert hits[0].title == "Cadres infirmiers" and hits[0].language == "fr"
    assert "infirmière" in hits[0].label and hits[0].label_language == "fr"
    # Typed in English on the French pages: the group's French title, its occupation's French name.
    nurse = next(result for result in search("nurse responsible for general care", "fr") if result.key == "2221")
    assert nurse.title == "Cadres infirmiers"
    assert nurse.label == "infirmier de soins généraux/infirmière de soins généraux" and nurse.label_language == "fr"


def test_arabic_group_titles_are_marked_as_the_hubs_translation():
    hit = next(result for result in search("ممرضة", "ar") if result.kind == "occupation")
    assert (hit.key, hit.title, hit.hub_translation) == ("2221", "اختصاصيو التمريض", True)
    french = next(result for result in search("infirmière", "fr") if result.kind == "occupation")
    assert not french.hub_translation  # ESCO's own French title


@pytest.mark.parametrize(
    ("query", "language"),
    [("ألمانيا", "ar"), ("المانيا", "ar"), ("Allemagne", "fr"), ("allemagne", "ar"), ("Deutschland", "en")],
)
def test_countries_are_found_by_their_name_in_every_language(query, language):
    countries = [result for result in search(query, language) if result.kind == "country"]
    assert countries[0].key == "DE"
    assert countries[0].title == {"ar": "ألمانيا", "fr": "Allemagne", "en": "Germany"}[language]


def test_a_country_found_in_another_language_names_the_name_that_matched():
    (hit,) = [result for result in search("Marokko", "fr") if result.kind == "country"]
    assert (hit.key, hit.title, hit.label, hit.label_language) == ("MA", "Maroc", "Marokko", "de")
    (own,) = [result for result in search("maroc", "fr") if result.kind == "country"]
    assert own.label == ""


def test_five_queries_whatever_the_size(demo_data, django_assert_num_queries):
    """One query per full-text kind (permits, agreements, agencies), one for occupations, one for countries."""
    assert len(SEARCHED) + len(MATCHED) == 5
    with django_assert_num_queries(len(SEARCHED) + len(MATCHED)):
        search("worker", "de")
    with django_assert_num_queries(len(SEARCHED) + len(MATCHED)):
        search("عامل منزلي", "ar")


@pytest.mark.stack
def test_postgresql_uses_full_text_with_each_languages_configuration(demo_data):
    assert uses_full_text()
    configs = {row[0] for row in _rows("SELECT cfgname FROM pg_ts_config")}
    assert set(LANGUAGE_CONFIGS.values()) <= configs
    # Stemming: plurals find the singular, in English and in French.
    assert "kw-work-permit-private-sector" in keys(search("permits", "en", limit=100), "permit")
    assert "fr-travailleur-saisonnier" in keys(search("saisonniers", "fr", limit=100), "permit")


@pytest.mark.stack
@pytest.mark.parametrize("language", list(LANGUAGE_CONFIGS))
def test_postgresql_answers_from_the_gin_indexes(demo_data, language):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: make the planner show its index choice
        for kind, queryset, _describe in search_sources():
            plan = full_text_queryset(kind, queryset, "work", language).explain()
            assert "Bitmap Index Scan" in plan, (kind, plan)
            assert "_search" in plan, (kind, plan)


def _rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()
