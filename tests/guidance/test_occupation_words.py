"""Naming your job in your own words: every word of occupation_words.json (at least 30 per language, both
genders, with and without accents or diacritics, singular and plural, Arabic with the article) finds its
ISCO-08 unit group among the first three hits, in the occupation picker (eligibility check, permit filter)
and in search; the words marked "first" (nursing, in every language) find it as the first hit. The same
test on SQLite (make test) and PostgreSQL (make test-stack): the matching is done on normalised columns,
with nothing particular to either database."""

import json
from collections import Counter
from pathlib import Path

import pytest

from guidance.search import search
from permits.selectors import occupation_matching_list

pytestmark = pytest.mark.django_db

WORDS = json.loads((Path(__file__).parent / "occupation_words.json").read_text(encoding="utf-8"))["words"]
CASES = [pytest.param(w["language"], w["word"], w["isco"], id=f"{w['language']}-{w['word']}") for w in WORDS]
FIRST = [case for case, word in zip(CASES, WORDS, strict=True) if word.get("first")]


def test_at_least_thirty_words_in_each_language():
    counts = Counter(word["language"] for word in WORDS)
    assert set(counts) == {"en", "fr", "de", "ar"}
    assert min(counts.values()) >= 30
    assert len({(word["language"], word["word"]) for word in WORDS}) == len(WORDS)


@pytest.mark.parametrize(("language", "word", "isco"), CASES)
def test_the_picker_finds_the_occupation_among_the_first_three(language, word, isco):
    codes = [group.code for group in occupation_matching_list(word, limit=3, language=language)]
    assert isco in codes, f"{word!r} ({language}) → {codes}"


@pytest.mark.parametrize(("language", "word", "isco"), CASES)
def test_search_finds_the_occupation_among_the_first_three(language, word, isco):
    codes = [result.key for result in search(word, language) if result.kind == "occupation"][:3]
    assert isco in codes, f"{word!r} ({language}) → {codes}"


def test_words_that_must_come_first_in_every_language():
    assert {word["language"] for word in WORDS if word.get("first")} == {"en", "fr", "de", "ar"}


@pytest.mark.parametrize(("language", "word", "isco"), FIRST)
def test_the_picker_finds_the_occupation_first(language, word, isco):
    codes = [group.code for group in occupation_matching_list(word, limit=3, language=language)]
    assert codes[:1] == [isco], f"{word!r} ({language}) → {codes}"


@pytest.mark.parametrize(("language", "word", "isco"), FIRST)
def test_search_finds_the_occupation_first(language, word, isco):
    codes = [result.key for result in search(word, language) if result.kind == "occupation"][:3]
    assert codes[:1] == [isco], f"{word!r} ({language}) → {codes}"
