"""Countries found by their name in any of the hub's four languages (countries.selectors.country_matching_list),
the same way on every database: one query, the visitor's language first, the name that matched."""

import pytest
from django.utils import translation

from countries.selectors import country_matching_list

pytestmark = pytest.mark.django_db


def first(text, language):
    found = country_matching_list(text, language=language)
    return found[0].code if found else None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ألمانيا", "DE"),
        ("المانيا", "DE"),  # the hamza left out
        ("Allemagne", "DE"),
        ("allemagne", "DE"),
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("المغرب", "MA"),
        ("مغرب", "MA"),  # without the article
        ("Maroc", "MA"),
        ("Marokko", "MA"),
        ("مصر", "EG"),
        ("Égypte", "EG"),
        ("egypte", "EG"),
        ("Ägypten", "EG"),
        ("تونس", "TN"),
        ("Tunesien", "TN"),
        ("السعودية", "SA"),
        ("Arabie saoudite", "SA"),
        ("الكويت", "KW"),
        ("Koweït", "KW"),
        ("قطر", "QA"),
        ("Émirats", "AE"),
        ("Belgique", "BE"),
        ("بلجيكا", "BE"),
        ("فرنسا", "FR"),
    ],
)
@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_a_name_in_any_language_finds_the_country_on_any_page(text, code, language):
    assert first(text, language) == code


def test_the_name_that_matched_is_named_when_it_is_not_the_visitors():
    (germany,) = country_matching_list("Deutschland", language="fr")
    assert (germany.matched_label, germany.matched_language) == ("Deutschland", "de")
    (own,) = country_matching_list("Allemagne", language="fr")
    assert own.matched_label is None
    with translation.override("fr"):
        assert own.name == "Allemagne"


def test_better_matches_first_and_a_limit():
    found = [country.code for country in country_matching_list("guinée", language="fr")]
    assert found[0] == "GN"  # Guinée, before Guinée-Bissau, Guinée équatoriale, Papouasie-Nouvelle-Guinée
    assert {"GW", "GQ", "PG"} <= set(found)
    assert len(country_matching_list("a", language="en", limit=3)) == 3


def test_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        country_matching_list("Allemagne", language="fr")


@pytest.mark.parametrize("text", ["", "   ", "\x00", "%", "' OR 1=1 --", "x" * 5000, "nurse"])
def test_odd_input_finds_nothing(text):
    assert country_matching_list(text, language="en") == []


def test_an_unknown_language_counts_as_english():
    assert [country.code for country in country_matching_list("Germany", language="xx")] == ["DE"]
