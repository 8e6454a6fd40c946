"""The public pages: published data only, sources and freshness, languages, odd input, query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.changelog import change_context
from core.fields import PublicationStatus
from recruiters.models import RecruitmentRegime
from tests.factories import (
    AgreementFactory,
    ContactPointFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    RecruitmentRegimeFactory,
)

pytestmark = pytest.mark.django_db


# Each page lives in the app its data belongs to (guidance holds what spans the apps).
PAGE_APPS = {
    **dict.fromkeys(("home", "eligibility", "compare", "search", "changes"), "guidance"),
    **dict.fromkeys(("country", "corridors", "corridor", "agreements", "agreement"), "countries"),
    **dict.fromkeys(("permits", "permit"), "permits"),
    "licence_check": "recruiters",
}


def url(name, *args, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"{PAGE_APPS[name]}:{name}", args=args, kwargs=kwargs)


class TestBase:
    def test_arabic_pages_are_right_to_left(self, client):
        html = client.get("/ar/").content.decode()
        assert '<html lang="ar" dir="rtl">' in html

    @pytest.mark.parametrize("language", ["en", "fr", "de"])
    def test_other_languages_are_left_to_right(self, client, language):
        html = client.get(f"/{language}/").content.decode()
        assert f'<html lang="{language}" dir="ltr">' in html

    def test_skip_link_leads_to_main(self, client):
        html = client.get("/en/").content.decode()
        assert '<a class="skip" href="#main">' in html
        assert '<main id="main"' in html

    def test_language_switcher_links_to_the_same_page_in_the_other_languages(self, client, corridor_data):
        html = client.get(url("permit", "de-skilled")).content.decode()
        for language in ("fr", "ar", "de"):
            assert f'href="/{language}/permits/de-skilled/" lang="{language}"' in html
        assert 'href="/en/permits/de-skilled/"' not in html

    def test_switcher_keeps_the_query(self, client):
        html = client.get("/en/permits/?occupation=nurse").content.decode()
        assert 'href="/fr/permits/?occupation=nurse"' in html

    def test_no_third_party_requests_or_web_fonts(self, client, corridor_data):
        for page in ("/en/", url("permit", "de-skilled"), url("corridor", "MA", "DE")):
            html = client.get(page).content.decode()
            # The only script is structured data (schema.org JSON-LD), which a browser never runs.
            assert not re.search(r'<script(?! type="application/ld\+json">)', html)
            assert "https://fonts" not in html
            assert 'rel="stylesheet" href="/static/css/hub.css"' in html

    def test_interface_is_translated(self, client):
        assert "Vérifier une licence" in client.get("/fr/").content.decode()
        assert "Lizenz prüfen" in client.get("/de/").content.decode()


class TestHome:
    def test_ways_in_list_destinations_and_origins(self, client, corridor_data):
        html = client.get("/en/").content.decode()
        assert 'href="/en/countries/DE/"' in html
        assert 'href="/en/corridors/?origin=MA"' in html
        assert 'action="/en/search/"' in html and 'name="q"' in html

    def test_query_count(self, client, corridor_data, django_assert_max_num_queries):
        with django_assert_max_num_queries(5):
            assert client.get("/en/").status_code == 200


class TestPermitPage:
    def test_shows_requirements_checklist_fees_and_source(self, client, corridor_data):
        html = client.get(url("permit", "de-skilled")).content.decode()
        assert "Skilled worker" in html
        assert "Valid passport" in html and "Recognition notice" in html
        assert "Apostille needed" in html and "Certified translation needed" in html
        assert "National visa fee" in html and '<span class="amount"><bdi>75.00</bdi> <bdi>EUR</bdi></span>' in html
        assert '<span class="amount"><bdi>43,470.00</bdi> <bdi>EUR</bdi></span>' in html
        assert "Aufenthaltsgesetz" in html and "§ 18a" in html and 'href="https://example.org/aufenthg"' in html
        assert "Last verified:" in html
        assert "Possibly out of date" not in html

    def test_draft_permit_is_not_found(self, client, corridor_data):
        assert client.get(url("permit", "de-draft")).status_code == 404

    def test_unknown_permit_is_not_found(self, client, db):
        assert client.get("/en/permits/no-such-permit/").status_code == 404

    def test_old_verification_is_marked_possibly_out_of_date(self, client, corridor_data, settings):
        settings.STALE_AFTER_MONTHS = 12
        permit = corridor_data["permit"]
        permit.last_verified = datetime.date.today() - datetime.timedelta(days=400)
        permit.save()
        html = client.get(url("permit", "de-skilled")).content.decode()
        assert '<strong class="stale">Possibly out of date</strong>' in html

    def test_missing_translation_says_it_is_english(self, client, corridor_data):
        html = client.get(url("permit", "de-skilled", language="fr")).content.decode()
        assert '<bdi lang="en">Skilled worker</bdi> <small class="fallback">(en anglais)</small>' in html

    def test_the_hubs_translation_says_so(self, client, corridor_data):
        html = client.get(url("permit", "de-skilled", language="de")).content.decode()
        assert "<h1><bdi>Fachkraft</bdi>" in html
        assert "(Übersetzung des Hubs)" in html

    def test_an_official_name_is_shown_without_a_note(self, client, corridor_data):
        permit = corridor_data["permit"]
        permit.text_origin = {"official_texts": ["name_de"]}
        permit.save()
        html = client.get(url("permit", "de-skilled", language="de")).content.decode()
        assert "<h1><bdi>Fachkraft</bdi></h1>" in html

    def test_query_count(self, client, corridor_data, django_assert_max_num_queries):
        # One of them: the occupations the destination has recognition rows for (none here).
        with django_assert_max_num_queries(12):
            assert client.get(url("permit", "de-skilled")).status_code == 200


class TestPermitList:
    def test_lists_only_published(self, client, corridor_data):
        html = client.get(url("permits")).content.decode()
        assert "Skilled worker" in html
        assert "Secret draft permit" not in html

    def test_occupation_words_offer_a_choice_of_groups(self, client, corridor_data):
        html = client.get(url("permits"), {"occupation": "nursing"}).content.decode()
        assert "Which occupation do you mean?" in html
        assert "occupation=2221" in html

    def test_occupation_code_filters_permits(self, client, corridor_data):
        corridor_data["closed"].occupations.set(["7411"])
        html = client.get(url("permits"), {"occupation": "2221"}).content.decode()
        assert "Skilled worker" in html  # open to any occupation
        assert "Closed to Moroccans" not in html  # electricians only

    @pytest.mark.parametrize("query", [{"occupation": "x" * 500}, {"destination": "ZZ"}, {"page": "-1"}, {"page": "x"}])
    def test_odd_input_is_not_an_error(self, client, corridor_data, query):
        assert client.get(url("permits"), query).status_code == 200

    def test_pagination(self, client, db):
        for n in range(25):
            PermitCategoryFactory(code=f"p-{n:02d}", name=f"Permit {n:02d}", publication_status="published")
        first = client.get(url("permits")).content.decode()
        second = client.get(url("permits"), {"page": 2}).content.decode()
        assert "Page 1 of 2" in first and 'rel="next"' in first
        assert first.count('href="/en/permits/p-') == 20
        assert second.count('href="/en/permits/p-') == 5


class TestCountryPage:
    def test_shows_permits_agreements_rules_and_freshness(self, client, corridor_data):
        html = client.get(url("country", "DE")).content.decode()
        assert "Skilled worker" in html and "Secret draft permit" not in html
        assert "Germany–Morocco social security" in html and "Draft agreement" not in html
        assert "How current is this data?" in html

    def test_recruiter_rules_and_contacts_of_origin(self, client, corridor_data):
        html = client.get(url("country", "MA")).content.decode()
        assert "no fee may be charged to workers" in html
        assert "ANAPEC" in html

    def test_lower_case_code_redirects(self, client, corridor_data):
        response = client.get("/en/countries/de/")
        assert response.status_code == 301 and response["Location"] == "/en/countries/DE/"

    def test_unknown_country_is_not_found(self, client, db):
        assert client.get("/en/countries/QQ/").status_code == 404
        assert client.get("/en/countries/%00/").status_code == 404

    def test_query_count(self, client, corridor_data, django_assert_max_num_queries):
        with django_assert_max_num_queries(9):  # the share of facts on official sources is one of them
            assert client.get(url("country", "DE")).status_code == 200


class TestCorridorPage:
    def test_permits_open_to_the_nationality(self, client, corridor_data):
        html = client.get(url("corridor", "MA", "DE")).content.decode()
        assert "Skilled worker" in html
        assert "Closed to Moroccans" not in html
        # The only agreement in force is a social-security one: it opens no labour route.
        assert "Seasonal under an agreement" not in html
        assert "Secret draft permit" not in html

    def test_permit_needing_an_agreement_is_listed_with_a_labour_agreement_in_force(self, client, corridor_data):
        AgreementFactory(
            key="de-ma-bla", title="Germany–Morocco placement agreement", type="bla", publication_status="published"
        )
        html = client.get(url("corridor", "MA", "DE")).content.decode()
        assert "Seasonal under an agreement" in html

    def test_permit_needing_an_agreement_is_hidden_without_one(self, client, corridor_data):
        AgreementFactory(key="de-ma-bla", title="Germany–Morocco placement agreement", type="bla", status="suspended")
        corridor_data["agreement"].status = "suspended"
        corridor_data["agreement"].save()
        html = client.get(url("corridor", "MA", "DE")).content.decode()
        assert "Seasonal under an agreement" not in html
        assert "No agreement between these two countries is in force." in html

    def test_visa_agreements_recruiter_rules_and_before_you_go(self, client, corridor_data):
        html = client.get(url("corridor", "MA", "DE")).content.decode()
        assert "visa required" in html and "Passport Index" in html
        assert "Germany–Morocco social security" in html
        assert "Draft agreement" not in html
        assert "Before you go" in html
        assert "no fee may be charged to workers" in html
        assert "ANAPEC" in html
        assert "Aufenthaltsgesetz" in html  # the agreement's source

    @pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
    def test_an_advice_centre_is_listed_as_a_service_not_as_an_agreement(self, client, corridor_data, language):
        AgreementFactory(
            key="de-ma-centre",
            title="Migration advice centre (Casablanca)",
            type="service",
            publication_status="published",
        )
        for page in (url("corridor", "MA", "DE"), url("country", "MA")):
            with translation.override(language):
                html = client.get(page.replace("/en/", f"/{language}/", 1)).content.decode()
                services = html.index(str(translation.gettext("Services for workers (not agreements)")))
            assert html.index("Migration advice centre (Casablanca)") > services, page
        html = client.get(url("corridor", "MA", "DE")).content.decode()
        agreements = html[html.index('id="agreements"') : html.index("Services for workers")]
        assert "Germany–Morocco social security" in agreements and "advice centre" not in agreements
        assert "Seasonal under an agreement" not in html  # a service opens no route
        before_you_go = html[html.index('id="before"') :]
        assert "advice centre" not in before_you_go  # no "rights under the agreements" from a service

    @pytest.mark.parametrize("path", ["/en/corridors/%00-DE/", "/en/corridors/MA-%00/", "/en/corridors/MAR-DEU/"])
    def test_odd_codes_are_not_found(self, client, db, path):
        assert client.get(path).status_code == 404

    def test_same_country_twice_is_not_found(self, client, db):
        assert client.get("/en/corridors/MA-MA/").status_code == 404

    def test_lower_case_redirects(self, client, corridor_data):
        response = client.get("/en/corridors/ma-de/")
        assert response.status_code == 301 and response["Location"] == "/en/corridors/MA-DE/"

    def test_corridor_list_filters_by_origin(self, client, corridor_data):
        html = client.get(url("corridors"), {"origin": "MA"}).content.decode()
        assert 'href="/en/corridors/MA-DE/"' in html
        assert client.get(url("corridors"), {"origin": "ZZ"}).status_code == 200

    def test_query_count(self, client, corridor_data, django_assert_max_num_queries):
        with django_assert_max_num_queries(17):
            assert client.get(url("corridor", "MA", "DE")).status_code == 200


class TestAgreements:
    def test_list_and_detail_show_only_published(self, client, corridor_data):
        html = client.get(url("agreements")).content.decode()
        assert "Germany–Morocco social security" in html and "Draft agreement" not in html
        detail = client.get(url("agreement", "de-ma-social")).content.decode()
        assert "Aufenthaltsgesetz" in detail and "Last verified:" in detail
        assert client.get(url("agreement", "de-ma-draft")).status_code == 404

    def test_list_filters_by_country(self, client, corridor_data):
        AgreementFactory(
            key="fr-tn", title="France–Tunisia", parties=["FR", "TN"], publication_status=PublicationStatus.PUBLISHED
        )
        html = client.get(url("agreements"), {"country": "TN"}).content.decode()
        assert "France–Tunisia" in html and "Germany–Morocco social security" not in html
        for odd in ("<script>", "\x00\x00", "M\x00"):
            assert client.get(url("agreements"), {"country": odd}).status_code == 200

    def test_query_count(self, client, corridor_data, django_assert_max_num_queries):
        with django_assert_max_num_queries(5):
            assert client.get(url("agreements")).status_code == 200


class TestLicenceCheck:
    @pytest.mark.parametrize(
        ("number", "answer"),
        [
            ("MA-100", "Valid licence"),
            (" ma-100 ", "Valid licence"),
            ("MA-200", "Licence suspended"),
            ("MA-300", "Licence revoked"),
            ("MA-400", "Licence expired"),
            # Morocco's agencies here cite no official list: an absent licence is not "not found".
            ("MA-500", "The hub cannot check this licence"),  # a draft is not published
            ("MA-999", "The hub cannot check this licence"),
        ],
    )
    def test_answers(self, client, agencies, number, answer):
        html = client.get(url("licence_check"), {"country": "MA", "licence": number}).content.decode()
        assert f'<h2 id="answer">{answer}</h2>' in html
        assert "What to do next" in html

    def test_valid_answer_gives_the_date_the_register_was_confirmed(self, client, agencies):
        html = client.get(url("licence_check"), {"country": "MA", "licence": "MA-100"}).content.decode()
        assert "The register was last confirmed on" in html
        assert "example entry, not a real agency" in html

    @pytest.mark.parametrize(
        ("language", "answer", "says"),
        [
            (
                "fr",
                "Le hub ne peut pas vérifier cette licence",
                "Le hub ne détient aucune liste officielle des agences autorisées de Maroc : "
                "il ne peut pas dire si la licence 1234 est valide.",
            ),
            (
                "ar",
                "لا تستطيع المنصة التحقق من هذا الترخيص",
                "لا تملك المنصة أي قائمة رسمية بالوكالات المرخّصة في المغرب: "
                "لا يمكنها أن تقول إن كان الترخيص 1234 ساريًا.",
            ),
        ],
    )
    def test_without_an_official_list_the_page_says_it_cannot_answer(self, client, language, answer, says):
        authority = ContactPointFactory(name="Ministère de l'Emploi", url="https://www.emploi.gov.ma")
        RecruitmentRegimeFactory(country_id="MA", publication_status="published", licensing_authority=authority)
        response = client.get(url("licence_check", language=language), {"country": "MA", "licence": "1234"})
        html = response.content.decode()
        assert f'<h2 id="answer">{answer}</h2>' in html
        assert says in html
        assert 'href="https://www.emploi.gov.ma"' in html

    def test_absent_from_an_official_list_is_not_found_in_that_list(self, client, agencies):
        source = LegalSourceFactory(title="Liste des agences autorisées", url="https://www.emploi.gov.ma/liste.pdf")
        RecruitmentRegime.objects.filter(country_id="MA").update(public_list_url=source.url)
        agencies["valid"].legal_sources.add(source)
        html = client.get(url("licence_check"), {"country": "MA", "licence": "MA-999"}).content.decode()
        assert '<h2 id="answer">Licence not found</h2>' in html
        assert (
            "Licence MA-999 was not found in the official list of Morocco (Liste des agences autorisées, read on "
            '<time datetime="2026-11-25">25 November 2026</time>).'
        ) in html

    @pytest.mark.parametrize(
        "query",
        [
            {"country": "MA", "licence": "\x00"},
            {"country": "MA", "licence": "x" * 10_000},
            {"country": "ZZ", "licence": "1"},
            {"country": "", "licence": ""},
            {"country": "MA"},
            {"licence": "MA-100"},
            {"country": ["MA", "DE"], "licence": ["a", "b"]},
        ],
    )
    def test_odd_input_is_a_form_error_not_a_crash(self, client, agencies, query):
        response = client.get(url("licence_check"), query)
        assert response.status_code == 200
        assert '<h2 id="answer">' not in response.content.decode()

    def test_query_count(self, client, agencies, django_assert_max_num_queries):
        with django_assert_max_num_queries(10):
            client.get(url("licence_check"), {"country": "MA", "licence": "MA-100"})


class TestChanges:
    def test_shows_changes_to_published_rows_only(self, client, corridor_data):
        permit = corridor_data["permit"]
        draft = corridor_data["draft"]
        with change_context(reason="test"):
            permit.processing_days_max = 90
            permit.save()
            draft.name = "Still secret"
            draft.save()
        html = client.get(url("changes")).content.decode()
        assert 'href="/en/permits/de-skilled/"' in html
        assert "processing time, maximum (days)" in html
        assert "Secret draft permit" not in html and "Still secret" not in html

    def test_odd_page_numbers(self, client, corridor_data):
        for page in ("0", "9999", "abc"):
            assert client.get(url("changes"), {"page": page}).status_code == 200

    def test_query_count(self, client, corridor_data, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):
            assert client.get(url("changes")).status_code == 200


class TestChangesByCountry:
    def test_filter_by_country_and_feed_links(self, client, corridor_data):
        french = PermitCategoryFactory(
            code="fr-x", name="French permit", country_id="FR", publication_status="published"
        )
        with change_context(reason="test"):
            french.processing_days_max = 10
            french.save()
        html = client.get(url("changes"), {"country": "FR"}).content.decode()
        assert 'href="/en/permits/fr-x/"' in html and 'href="/en/permits/de-skilled/"' not in html
        assert 'href="/feeds/FR/changes.atom"' in html
        for odd in ("%%", "\x00\x00", "F"):
            assert client.get(url("changes"), {"country": odd}).status_code == 200
