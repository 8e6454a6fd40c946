"""The occupation picker (permits.selectors.occupation_matching_list / occupation_match_get), which the
eligibility check, the permit filter and search share: words in four languages, codes in any digits,
ranking, the label that matched, one query."""

import pytest
from django.utils import translation

from permits.models import IscoGroup
from permits.selectors import occupation_match_get, occupation_matching_list

pytestmark = pytest.mark.django_db


def codes(text, language, limit=20):
    return [group.code for group in occupation_matching_list(text, limit=limit, language=language)]


def test_nurse_finds_nursing_before_gardeners_and_nursery_growers():
    found = codes("nurse", "en", limit=100)
    assert found[0] == "2221"
    assert "6113" not in found or found.index("6113") > found.index("2221")
    # Nursing associate professionals have no ESCO occupation: their title finds them, before any nursery.
    nursing = codes("nursing", "en", limit=100)
    assert nursing.index("3221") < 3
    assert "6113" not in nursing[:3]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("infirmière", "fr"),
        ("INFIRMIERE", "fr"),
        ("infirmières", "fr"),
        ("ممرضة", "ar"),
        ("الممرضات", "ar"),
        ("مُمَرِّضَة", "ar"),
        ("Pflegefachkraft", "de"),
        ("Pflegefachkräfte", "de"),
    ],
)
def test_nursing_in_every_language_and_form(text, language):
    assert codes(text, language)[0] == "2221"


def test_the_visitors_language_comes_first():
    """ "chauffeur" is a French word and an English one: on each language's pages its own labels lead."""
    french = occupation_matching_list("chauffeur", limit=1, language="fr")[0]
    english = occupation_matching_list("chauffeur", limit=1, language="en")[0]
    assert french.matched_language == "fr" and english.matched_language == "en"


def test_german_compounds_are_reachable_by_their_parts():
    assert "2221" in codes("pfleger", "de", limit=40)  # Fachkrankenpfleger
    assert "8332" in codes("Lastkraftwagen", "de", limit=10)  # Lastkraftwagenfahrer


def test_a_code_in_any_digits_gives_its_unit_group_a_shorter_code_those_below_it():
    assert codes("2221", "en") == ["2221"]
    assert codes("٢٢٢١", "ar") == ["2221"]
    assert codes(" 222 ", "fr") == ["2221", "2222"]
    assert codes("9999", "en") == []


def test_each_group_names_the_label_that_matched_in_the_visitors_language():
    (group,) = occupation_matching_list("infirmière de soins généraux", limit=1, language="fr")
    assert (group.code, group.matched_label, group.matched_language) == ("2221", "infirmière de soins généraux", "fr")
    # Typed in English on the French pages: the same occupation's French name.
    (group,) = occupation_matching_list("nurse responsible for general care", limit=1, language="fr")
    assert group.matched_label == "infirmier de soins généraux/infirmière de soins généraux"
    assert group.matched_language == "fr"
    # The group's own title in the visitor's language: nothing more to say.
    (group,) = occupation_matching_list("Cadres infirmiers", limit=1, language="fr")
    assert group.matched_label is None


def test_of_two_genders_the_label_shown_is_spelt_as_typed():
    feminine = occupation_matching_list("ممرضة متخصصة", limit=1, language="ar")[0]
    masculine = occupation_matching_list("ممرض متخصص", limit=1, language="ar")[0]
    assert (feminine.matched_label, masculine.matched_label) == ("ممرضة متخصصة", "ممرض متخصص")


def test_the_hubs_synonyms_and_titles_are_marked():
    (group,) = occupation_matching_list("Pflegefachkraft", limit=1, language="de")
    assert (group.matched_label, group.matched_hub_translation) == ("Pflegefachkraft", True)
    (group,) = occupation_matching_list("Krankenschwester Allgemeine Krankenpflege", limit=1, language="de")
    assert not group.matched_hub_translation
    with translation.override("ar"):
        assert group.title == "اختصاصيو التمريض" and group.title_is_hub_translation
    with translation.override("fr"):
        assert group.title == "Cadres infirmiers" and not group.title_is_hub_translation


def test_the_active_language_is_the_default():
    with translation.override("fr"):
        (group,) = occupation_matching_list("nurse responsible for general care", limit=1)
    assert group.matched_language == "fr"


def test_one_query_whatever_the_words(django_assert_num_queries):
    for text, language in [("nurse", "en"), ("chauffeur poids lourd", "fr"), ("سائق شاحنة", "ar"), ("2221", "de")]:
        with django_assert_num_queries(1):
            occupation_matching_list(text, language=language)


@pytest.mark.parametrize("text", ["", "   ", "\x00", "%", "_", "' OR 1=1 --", "x" * 5000, "-/-", "ـ"])
def test_odd_input_finds_nothing_or_something_but_never_fails(text):
    assert isinstance(occupation_matching_list(text, language="en"), list)
    assert occupation_matching_list("%", language="en") == []


def test_match_get_chooses_a_code_or_a_single_candidate():
    chosen, candidates = occupation_match_get("٢٢٢١", language="ar")
    assert chosen.code == "2221" and [group.code for group in candidates] == ["2221"]
    chosen, candidates = occupation_match_get("infirmière", language="fr")
    assert chosen is None and candidates[0].code == "2221" and len(candidates) > 1
    assert occupation_match_get("", language="fr") == (None, [])
    chosen, candidates = occupation_match_get("Cadres infirmiers", language="fr")
    assert chosen == IscoGroup.objects.get(code="2221") and len(candidates) == 1
