"""The one normalisation search compares words with (core.search_text), rule by rule, and the ranking of a
match, in Python and as the database expression (which must agree)."""

import pytest

from core.search_text import (
    ALL_WORDS,
    EQUAL,
    HAS_WORDS,
    INSIDE_A_WORD,
    STARTS_WITH,
    STARTS_WITH_WORDS,
    WHOLE_WORDS,
    WORD_PART,
    WORD_PREFIX,
    WORD_STARTS_WITH,
    WORDS_APART,
    fold,
    match_kind,
    match_kind_expression,
    match_tier,
    match_tier_expression,
    search_text,
    stem,
)


class TestFold:
    def test_case_and_accents(self):
        assert fold("Infirmière") == fold("infirmiere") == fold("INFIRMIERE") == fold("INFIRMIÈRE") == "infirmiere"
        assert fold("Ägypten Élève ñandú") == "agypten eleve nandu"

    def test_letters_that_are_not_accents(self):
        assert fold("Straße") == "strasse"
        assert fold("œuvre Æsop") == "oeuvre aesop"

    def test_punctuation_and_spaces_separate_words(self):
        assert fold("LKW-Fahrer") == "lkw fahrer"
        assert fold("  agent d’entretien,  (niveau) ") == "agent d entretien niveau"
        assert fold("a_b/c") == "a b c"

    def test_arabic_hamza_forms_of_alef_are_alef(self):
        assert fold("أحمد") == "احمد"
        assert fold("إدارة")[0] == fold("آلة")[0] == fold("ٱلعمل")[0] == "ا"
        # The hamza is a combining mark: on waw and yaa it goes too.
        assert fold("مؤسسة بائع") == "موسسه بايع"

    def test_arabic_alef_maqsura_and_taa_marbuta(self):
        assert fold("مستشفى") == "مستشفي"
        assert fold("ممرضة") == "ممرضه"

    def test_arabic_diacritics_and_tatweel_are_removed(self):
        assert fold("مُمَرِّضَة") == fold("ممرضة")
        assert fold("ممـــرضة") == fold("ممرضة")
        assert fold("عَامِلٌ") == "عامل"

    def test_persian_letters(self):
        assert fold("کار") == "كار"
        assert fold("ی") == "ي"

    def test_arabic_indic_and_persian_digits(self):
        assert fold("١٤٧٠") == fold("۱۴۷۰") == "1470"


class TestStem:
    @pytest.mark.parametrize(
        ("plural", "singular"),
        [("nurses", "nurse"), ("electricians", "electrician"), ("nurseries", "nursery"), ("drivers", "driver")],
    )
    def test_english_plurals(self, plural, singular):
        assert stem(plural, "en") == stem(singular, "en")

    @pytest.mark.parametrize("word", ["glass", "bus", "analysis", "cook"])
    def test_english_words_that_only_look_plural_keep_their_s(self, word):
        assert stem(word, "en") == word

    @pytest.mark.parametrize(
        ("plural", "singular"),
        [("infirmieres", "infirmiere"), ("chevaux", "cheval"), ("generaux", "general"), ("bureaux", "bureau")],
    )
    def test_french_plurals(self, plural, singular):
        assert stem(plural, "fr") == stem(singular, "fr")

    @pytest.mark.parametrize(
        ("plural", "singular"),
        [
            ("pflegefachkrafte", "pflegefachkraft"),
            ("haushaltshilfen", "haushaltshilfe"),
            ("krankenschwestern", "krankenschwester"),
            ("elektrikerinnen", "elektrikerin"),
            ("koche", "koch"),
        ],
    )
    def test_german_plurals(self, plural, singular):
        assert stem(plural, "de") == stem(singular, "de")

    @pytest.mark.parametrize(
        ("word", "stemmed"),
        [
            ("الممرض", "ممرض"),  # the article
            ("والممرض", "ممرض"),  # and + the article
            ("بالمستشفي", "مستشفي"),  # with + the article
            ("للعمال", "عمال"),  # for + the article
            ("ممرضات", "ممرض"),  # feminine plural
            ("مهندسون", "مهندس"),  # masculine plural
            ("مهندسين", "مهندس"),
            ("ممرضه", "ممرض"),  # feminine (taa marbuta, folded to haa)
            ("وممرض", "ممرض"),  # and
        ],
    )
    def test_arabic_article_prefixes_and_endings(self, word, stemmed):
        assert stem(word, "ar") == stemmed

    @pytest.mark.parametrize("word", ["وزير", "وكيل", "كهربايي", "بايع", "فني", "الم", "اله"])
    def test_arabic_words_too_short_or_whose_first_letter_is_their_own_are_kept(self, word):
        assert stem(word, "ar") == word

    def test_arabic_words_are_stemmed_as_arabic_in_any_language(self):
        assert stem("ممرضات", "fr") == "ممرض"

    def test_digits_are_kept(self):
        assert stem("2221", "fr") == "2221"


class TestSearchText:
    def test_singular_and_plural_meet_in_each_language(self):
        assert search_text("Infirmières", "fr") == search_text("infirmière", "fr") == "infirmiere"
        assert search_text("الممرضات", "ar") == search_text("ممرضة", "ar") == search_text("مُمَرِّض", "ar") == "ممرض"
        assert search_text("Pflegefachkräfte", "de") == search_text("Pflegefachkraft", "de")
        assert search_text("nurses", "en") == search_text("Nurse", "en") == "nurse"

    def test_both_genders_of_an_arabic_title_meet(self):
        assert search_text("عاملة منزلية", "ar") == search_text("عامل منزلي", "ar") == "عامل منزلي"

    def test_german_compound_parts_are_inside_the_normalised_word(self):
        assert search_text("Pfleger", "de") in search_text("Krankenpfleger", "de")

    def test_empty_and_odd_input(self):
        assert search_text("", "en") == search_text(None, "fr") == search_text(" -/- ", "de") == ""
        assert search_text("\x00 nurse", "en") == "nurse"


class TestMatchTier:
    @pytest.mark.parametrize(
        ("query", "label", "tier"),
        [
            ("nurse", "nurse", EQUAL),
            ("nurse", "nurse assistant", STARTS_WITH_WORDS),
            ("nurse", "specialist nurse", HAS_WORDS),
            ("nurse", "specialist nurse educator", HAS_WORDS),
            ("nurs", "nursing associate", STARTS_WITH),
            ("nurs", "specialist nursing", WORD_STARTS_WITH),
            ("pfleger", "krankenpfleger", INSIDE_A_WORD),
            ("poid lourd", "chauffeur de poid lourd", HAS_WORDS),
            ("chauffeur lourd", "chauffeur de poid lourd", ALL_WORDS),
            ("nurse", "gardener", None),
            ("", "nurse", None),
        ],
    )
    def test_tiers(self, query, label, tier):
        assert match_tier(query, label) == tier

    @pytest.mark.django_db
    @pytest.mark.parametrize(
        "label",
        ["nurse", "nurse assistant", "specialist nurse", "nursing associate", "specialist nursing", "a nurseb"],
    )
    def test_the_database_expression_agrees(self, label):
        from django.db.models import CharField, Value

        from permits.models import OccupationLabel

        # The expression ranks rows already filtered on holding the query's words.
        expected = {query: match_tier(query, label) for query in ("nurse", "nurs") if query in label}
        found = {
            query: OccupationLabel.objects.annotate(candidate=Value(label, output_field=CharField()))
            .annotate(tier=match_tier_expression("candidate", query))
            .values_list("tier", flat=True)
            .first()
            for query in expected
        }
        assert found == expected


class TestMatchKind:
    @pytest.mark.parametrize(
        ("query", "label", "kind"),
        [
            ("krankenpfleger", "krankenpfleger", WHOLE_WORDS),
            ("krankenpfleger", "krankenpfleger allgemeine krankenpflege", WHOLE_WORDS),
            ("krankenpfleger", "akademischer krankenpfleger", WHOLE_WORDS),
            ("krankenpfleger", "krankenpflegerin", WORD_PREFIX),
            ("krankenpfleger", "gesundheits und krankenpflegerin", WORD_PREFIX),
            ("krankenpfleger", "fachkrankenpfleger", WORD_PART),
            ("chauffeur lourd", "chauffeur de poid lourd", WORDS_APART),
        ],
    )
    def test_kinds(self, query, label, kind):
        assert match_kind(match_tier(query, label)) == kind

    def test_the_kinds_keep_the_order_of_the_tiers(self):
        tiers = [EQUAL, STARTS_WITH_WORDS, HAS_WORDS, STARTS_WITH, WORD_STARTS_WITH, INSIDE_A_WORD, ALL_WORDS]
        kinds = [match_kind(tier) for tier in tiers]
        assert kinds == sorted(kinds) and set(kinds) == {WHOLE_WORDS, WORD_PREFIX, WORD_PART, WORDS_APART}
        assert match_kind(None) is None

    @pytest.mark.django_db
    def test_the_database_expression_agrees(self):
        from django.db.models import IntegerField, Value

        from permits.models import OccupationLabel

        tiers = [EQUAL, STARTS_WITH_WORDS, HAS_WORDS, STARTS_WITH, WORD_STARTS_WITH, INSIDE_A_WORD, ALL_WORDS]
        found = [
            OccupationLabel.objects.annotate(tier=Value(tier, output_field=IntegerField()))
            .annotate(kind_of_match=match_kind_expression("tier"))
            .values_list("kind_of_match", flat=True)
            .first()
            for tier in tiers
        ]
        assert found == [match_kind(tier) for tier in tiers]
