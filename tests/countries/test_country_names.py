"""Country names in four languages, checked against the ISO 3166 names: one name per country, the right one."""

import re

import pycountry
import pytest
from django.core.management.base import CommandError

from countries.management.commands.load_countries import (
    CORRECTED_NAMES,
    _catalogues,
    _refuse_shared_names,
    country_names,
)
from countries.models import Country

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr", "ar", "de")
ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_countries_share_a_name(language):
    names = list(Country.objects.values_list(f"name_{language}", flat=True))
    assert len(names) == 250  # 249 of ISO 3166-1, and Kosovo
    assert all(names)
    shared = sorted({name for name in names if names.count(name) > 1})
    assert not shared, f"{language}: {shared}"


@pytest.mark.parametrize(
    ("language", "code", "names"),
    [
        ("ar", "MD", {"مولدوفا"}),
        ("ar", "MV", {"جزر المالديف", "المالديف"}),
        ("ar", "MA", {"المغرب"}),
        ("ar", "DE", {"ألمانيا"}),
        ("ar", "EG", {"مصر"}),
        ("ar", "TR", {"تركيا"}),
        ("ar", "SY", {"سوريا"}),
        ("ar", "IR", {"إيران"}),
        ("ar", "KR", {"كوريا الجنوبية"}),
        ("ar", "XK", {"كوسوفو"}),
        ("fr", "DE", {"Allemagne"}),
        ("fr", "MA", {"Maroc"}),
        ("fr", "MD", {"Moldavie"}),
        ("fr", "IR", {"Iran"}),
        ("fr", "LA", {"Laos"}),
        ("fr", "EG", {"Égypte"}),
        ("de", "MA", {"Marokko"}),
        ("de", "MD", {"Moldau"}),
        ("de", "TW", {"Taiwan"}),
        ("de", "VE", {"Venezuela"}),
        ("de", "TN", {"Tunesien"}),
        ("en", "MD", {"Moldova"}),
        ("en", "MA", {"Morocco"}),
        ("en", "TR", {"Türkiye"}),
    ],
)
def test_known_names_are_right(language, code, names):
    assert getattr(Country.objects.get(code=code), f"name_{language}") in names


def test_every_arabic_name_is_written_in_arabic():
    latin = [
        (code, name)
        for code, name in Country.objects.values_list("code", "name_ar")
        if not ARABIC_LETTERS.search(name) or re.search("[A-Za-z]", name)
    ]
    assert not latin


@pytest.mark.parametrize("language", ("fr", "ar", "de"))
def test_each_correction_changes_what_the_catalogue_says(language):
    # The corrections are needed only where the catalogue is wrong or silent: each one changes something.
    lookup = _catalogues()[language]
    entries = {entry.alpha_2: entry for entry in pycountry.countries}
    for code, corrected in CORRECTED_NAMES.get(language, {}).items():
        entry = entries[code]
        common = getattr(entry, "common_name", None)
        assert corrected not in {lookup(common) if common else None, lookup(entry.name)}, code


def test_catalogue_name_of_another_country_is_refused():
    # The Arabic catalogue gives "المالديف" (the Maldives) for "Moldova": without the correction table,
    # the loader still refuses it, because it names part of another country's name ("جزر المالديف").
    names = country_names(list(pycountry.countries), _catalogues()["ar"], corrections={})
    assert names["MD"] != "المالديف" and "مولدوفا" in names["MD"]
    assert names["MV"] == "جزر المالديف"


def test_a_name_spelt_alike_in_both_languages_is_a_translation_not_a_gap():
    names = country_names(list(pycountry.countries), _catalogues()["fr"], corrections={})
    assert names["IR"] == "Iran"  # not "Iran, République islamique d'"


def test_loader_refuses_two_countries_with_one_name():
    rows = [
        {"code": "MD", "name": "Moldova", "names": {"fr": "Moldavie", "ar": "المالديف", "de": "Moldau"}},
        {"code": "MV", "name": "Maldives", "names": {"fr": "Maldives", "ar": "المالديف", "de": "Malediven"}},
    ]
    with pytest.raises(CommandError, match="MD and MV are both called 'المالديف' in ar"):
        _refuse_shared_names(rows)
