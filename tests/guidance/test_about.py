"""The About page: what the hub is, who keeps which country's data, the datasets' licences and attribution,
how to report a wrong fact, the hub's own data licence; linked from every page; in the four languages."""

import re
from importlib.metadata import version
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from countries import selectors
from guidance.datasets import REFERENCE_DATASETS
from tests.factories import ContactPointFactory, UserFactory

pytestmark = pytest.mark.django_db

ESCO_STATEMENT = "This service uses the ESCO classification of the European Commission."
SCHENGEN_STATEMENT = "Source: European Commission, DG Migration and Home Affairs"
PASSPORT_COPYRIGHT = "Copyright (c) 2019 Ilya Ilyankou"


def about(client, language="en"):
    response = client.get(f"/{language}/about/")
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    """The <section> whose heading has this id, with the sections nested in it."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    depth = 1
    for tag in re.finditer(r"<section\b|</section>", html[start:]):
        depth += 1 if tag.group() == "<section" else -1
        if depth == 0:
            return html[start : start + tag.end()]
    raise AssertionError(f"section {heading_id} is not closed")


def focal_point_list(html):
    return section(html, "keepers")


class TestAttribution:
    def test_licence_statements_are_quoted_exactly_in_english(self, client):
        html = about(client)
        assert f'<blockquote lang="en" dir="ltr">{ESCO_STATEMENT}</blockquote>' in html
        assert f'<blockquote lang="en" dir="ltr">{SCHENGEN_STATEMENT}</blockquote>' in html

    def test_passport_index_mit_notice_and_link_to_the_licence_text(self, client):
        html = section(about(client), "dataset-passport-index")
        assert PASSPORT_COPYRIGHT in html
        assert "MIT licence" in html
        assert 'href="https://github.com/ilyankou/passport-index-dataset/blob/HEAD/LICENSE"' in html

    def test_country_names_come_from_iso_3166_via_pycountry_under_the_lgpl(self, client):
        html = section(about(client), "dataset-iso-3166")
        assert "ISO 3166" in html
        assert f"pycountry {version('pycountry')}" in html
        assert "LGPL-2.1" in html

    def test_every_dataset_shows_its_source_licence_and_version(self, client):
        html = about(client)
        for dataset in REFERENCE_DATASETS:
            part = section(html, f"dataset-{dataset.key}")
            assert f'href="{dataset.source_url}"' in part
            assert f'href="{dataset.licence_url}"' in part
            assert str(dataset.version) in part

    def test_dataset_facts_live_in_one_place_not_in_the_template(self):
        template = (Path(django_settings.BASE_DIR) / "templates/pages/about.html").read_text(encoding="utf-8")
        for fact in ("ESCO", "Ilyankou", "2011/833", "pycountry", "DG Migration", "creativecommons.org"):
            assert fact not in template

    def test_hub_data_licence_is_cc_by_and_distinct_from_the_reference_data_licences(self, client):
        html = section(about(client), "licence")
        assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener"' in html
        assert "CC BY 4.0" in html
        assert "does not cover the public datasets" in html
        assert "CC BY" not in section(about(client), "datasets")


class TestFocalPoints:
    def test_countries_of_active_focal_points_are_listed_by_name(self, client):
        UserFactory(role="focal_point", countries=["TN", "MA"])
        UserFactory(role="focal_point", countries=["EG"], is_active=False)
        UserFactory(role="hub_editor", countries=["DE"])
        UserFactory(countries=["FR"])  # a membership without the focal-point role
        html = focal_point_list(about(client))
        links = re.findall(r'<a href="/en/countries/([A-Z]{2})/">([^<]+)</a>', html)
        assert links == [("MA", "Morocco"), ("TN", "Tunisia")]
        assert "No country has a focal point yet" not in html

    def test_no_focal_point_is_said_plainly(self, client):
        html = focal_point_list(about(client))
        assert "No country has a focal point yet." in html
        assert "/countries/" not in html

    def test_selector_is_one_query_and_lists_each_country_once(self, django_assert_num_queries):
        UserFactory(role="focal_point", countries=["MA"])
        UserFactory(role="focal_point", countries=["MA", "EG"])
        with django_assert_num_queries(1):
            assert [country.pk for country in selectors.focal_point_country_list()] == ["EG", "MA"]


class TestReportingAWrongFact:
    def test_links_to_the_country_pages_with_contact_points(self, client):
        ContactPointFactory(country_id="MA")
        ContactPointFactory(country_id="MA")
        html = section(about(client), "report")
        assert html.count('href="/en/countries/MA/#contacts"') == 1
        assert "/en/countries/DE/" not in html

    def test_gives_the_hubs_contact_address_from_settings(self, client, settings):
        settings.HUB_CONTACT_EMAIL = "facts@hub.example.org"
        html = section(about(client), "report")
        assert 'href="mailto:facts@hub.example.org"' in html

    def test_default_contact_address_is_a_placeholder(self):
        assert django_settings.HUB_CONTACT_EMAIL == "contact@mobility-hub.example"


def test_query_count(client, django_assert_max_num_queries):
    UserFactory(role="focal_point", countries=["MA", "TN"])
    ContactPointFactory(country_id="MA")
    ContactPointFactory(country_id="EG")
    with django_assert_max_num_queries(2):
        about(client)


# (language, the page's heading, the ESCO statement's translation shown beside the English one)
TRANSLATED = [
    ("fr", "À propos de Mobility Hub", "Ce service utilise la classification ESCO de la Commission européenne."),
    ("ar", "عن منصة التنقل", "تستخدم هذه الخدمة تصنيف ESCO التابع للمفوضية الأوروبية."),
    ("de", "Über Mobility Hub", "Dieser Dienst verwendet die ESCO-Klassifikation der Europäischen Kommission."),
]


@pytest.mark.parametrize(("language", "heading", "esco_translation"), TRANSLATED)
def test_about_page_is_translated_with_the_english_statement_kept(client, language, heading, esco_translation):
    html = about(client, language)
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert esco_translation in html
    assert f'<blockquote lang="en" dir="ltr">{ESCO_STATEMENT}</blockquote>' in html
    assert f'<blockquote lang="en" dir="ltr">{SCHENGEN_STATEMENT}</blockquote>' in html
    assert PASSPORT_COPYRIGHT in html
    assert "Mobility Hub is a free, public source" not in html
    assert "No country has a focal point yet" not in html


def test_english_page_shows_no_translation_beside_the_statements(client):
    assert "Translation:" not in about(client)


# Each kind of page, one URL each (on the corridor_data fixture).
PAGES = [
    "/en/",
    "/en/about/",
    "/en/permits/",
    "/en/permits/de-skilled/",
    "/en/countries/DE/",
    "/en/corridors/",
    "/en/corridors/MA-DE/",
    "/en/agreements/",
    "/en/agreements/de-ma-social/",
    "/en/licence-check/",
    "/en/eligibility/",
    "/en/compare/",
    "/en/search/?q=nurse",
    "/en/changes/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_to_about_from_its_footer(client, corridor_data, path):
    response = client.get(path)
    assert response.status_code == 200
    footer = response.content.decode().split('<footer class="site">', 1)[1]
    assert '<a href="/en/about/">About the hub, its sources and licences</a>' in footer
