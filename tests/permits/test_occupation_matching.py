"""The occupation picker (permits.selectors.occupation_matching_list / occupation_match_get), which the
eligibility check, the permit filter and search share: words in four languages, codes in any digits,
ranking, the label that matched, one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.search_text import search_text
from permits.models import IscoGroup, OccupationLabel
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


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Krankenpfleger", "de"),
        ("Krankenschwester", "de"),
        ("Pflegefachkraft", "de"),
        ("infirmier", "fr"),
        ("ممرض", "ar"),
        ("nurse", "en"),
    ],
)
def test_the_word_a_nurse_types_ranks_nursing_first(text, language):
    assert codes(text, language)[0] in {"2221", "3221"}


def test_a_nurses_name_ranks_before_a_nurse_assistants_alternative_label_equal_to_the_word():
    """ESCO gives nurse assistants (5321) the alternative label "Krankenpfleger"; nurses (2221) are named
    "Krankenpfleger Allgemeine Krankenpflege"."""
    (first, second) = occupation_matching_list("Krankenpfleger", limit=2, language="de")
    assert (first.code, first.matched_label) == ("2221", "Krankenpfleger Allgemeine Krankenpflege")
    assert second.code == "5321"


def label(group, text, kind, language="de"):
    return OccupationLabel.objects.create(
        isco_group_id=group, language=language, kind=kind, text=text, search_text=search_text(text, language)
    )


def test_the_ranking_rule_whole_words_then_a_word_starting_then_inside_a_word_names_before_other_labels():
    Kind = OccupationLabel.Kind
    # The same kind of match: a name (ISCO-08 title, ESCO preferred label, the hub's synonym) before an
    # alternative label, before a search term, however exactly these match.
    label("7111", "Zorbler", Kind.HIDDEN)
    label("7112", "Zorbler", Kind.ALTERNATIVE)
    label("7113", "Geprüfter Zorbler im Bau", Kind.PREFERRED)
    label("7114", "Zorbler Hochbau", Kind.HUB_SYNONYM)
    assert codes("Zorbler", "de") == ["7114", "7113", "7112", "7111"]
    # The kind of match before what the label is: the words whole, then a word starting with them, then
    # inside a word (a German compound), then apart.
    label("7111", "Quaxelbauer", Kind.PREFERRED)
    label("7112", "Oberquaxel", Kind.PREFERRED)
    label("7113", "Quaxel", Kind.HIDDEN)
    assert codes("Quaxel", "de") == ["7113", "7111", "7112"]
    label("7114", "Wumpe Bau Flonk", Kind.ISCO_TITLE)
    label("7115", "Wumpe Flonk", Kind.ALTERNATIVE)
    assert codes("Wumpe Flonk", "de") == ["7115", "7114"]
    # Among names: equal, then starting with the words, then holding them.
    label("7121", "Brelle Dach", Kind.PREFERRED)
    label("7122", "Ober Brelle", Kind.ISCO_TITLE)
    label("7123", "Brelle", Kind.HUB_SYNONYM)
    assert codes("Brelle", "de") == ["7123", "7121", "7122"]


def test_the_visitors_language_comes_first():
    """ "chauffeur" is a French word and an English one: on each language's pages its own labels lead."""
    french = occupation_matching_list("chauffeur", limit=1, language="fr")[0]
    english = occupation_matching_list("chauffeur", limit=1, language="en")[0]
    # No label named: the group's own title in the visitor's language found it ("Chauffeurs de taxi…").
    assert french.matched_language == "fr" or french.matched_label is None
    assert "chauffeur" in french.title_fr.casefold()
    assert english.matched_language == "en"


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


@pytest.mark.stack
@pytest.mark.parametrize(
    ("text", "language"), [("nurse", "en"), ("infirmière", "fr"), ("ممرضة", "ar"), ("LKW-Fahrer", "de")]
)
def test_postgresql_finds_the_labels_through_the_trigram_index(text, language):
    """The query the ORM sends (LIKE '%word%' on the normalised column) is served by the GIN trigram index
    of migration 0007, not by reading the 70,000 labels."""
    with CaptureQueriesContext(connection) as queries:
        occupation_matching_list(text, language=language)
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # small test tables: make the planner show its choice
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on occupation_label_search_trgm" in plan, plan
