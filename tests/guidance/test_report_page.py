"""The public "Report a wrong or missing fact" page: linked from every fact page, in four languages,
without account or JavaScript; spam (honeypot, throttle) is turned away and stores nothing."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from core.fields import PublicationStatus
from submissions.models import Report
from tests.factories import RecruitmentAgencyFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<p class="report-fact"><a href="([^"]+)"')


@pytest.fixture(autouse=True)
def empty_throttle_cache(settings):
    cache.clear()
    yield
    cache.clear()


def rates(settings, **values):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": values}


def report_url(fact, language="en", page=""):
    with translation.override(language):
        base = reverse("guidance:report")
    return f"{base}?fact={fact._meta.label_lower}&key={fact.pk}&page={page}"


def link_on(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    found = LINK.findall(response.content.decode())
    assert len(found) == 1, path
    query = parse_qs(urlsplit(unescape(found[0])).query)
    return {name: values[0] for name, values in query.items()}


def test_every_fact_page_links_to_a_report_of_its_fact(client, corridor_data):
    permit, agreement = corridor_data["permit"], corridor_data["agreement"]
    agency = RecruitmentAgencyFactory(licence_number="MA-100", publication_status=PublicationStatus.PUBLISHED)
    corridor_link = link_on(client, "/en/corridors/MA-DE/")
    pages = {
        f"/en/permits/{permit.code}/": ("permits.permitcategory", str(permit.pk)),
        f"/en/agreements/{agreement.key}/": ("countries.agreement", str(agreement.pk)),
        "/en/countries/MA/": ("countries.country", "MA"),
        "/en/licence-check/?country=MA&licence=MA-100": ("recruiters.recruitmentagency", str(agency.pk)),
    }
    for path, (label, key) in pages.items():
        query = link_on(client, path)
        assert (query["fact"], query["key"]) == (label, key), path
        assert query["page"] == path.split("?")[0]
    assert corridor_link["fact"] == "countries.corridor"
    # The link leads to a working form.
    assert client.get(report_url(permit)).status_code == 200


@pytest.mark.parametrize(
    ("language", "heading", "privacy"),
    [
        ("en", "Report a wrong or missing fact", "erased when the report is closed"),
        ("fr", "Signaler un fait faux ou manquant", "effacé à la clôture du signalement"),
        ("ar", "الإبلاغ عن معلومة خاطئة أو ناقصة", "يُمحى عند إغلاق البلاغ"),
        ("de", "Falsche oder fehlende Angabe melden", "beim Abschluss der Meldung gelöscht"),
    ],
)
def test_the_form_is_in_each_language_and_says_how_long_the_email_is_kept(
    client, corridor_data, language, heading, privacy
):
    response = client.get(report_url(corridor_data["permit"], language))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in page and f"<h1>{heading}</h1>" in page
    assert privacy in page
    assert 'name="csrfmiddlewaretoken"' in page and '<form method="post"' in page  # no JavaScript needed
    assert re.search(r'<div class="field" hidden aria-hidden="true">\s*<label for="id_website">', page)


def test_a_report_is_stored_with_its_fact_countries_and_language(client, corridor_data):
    permit = corridor_data["permit"]
    url = report_url(permit, "ar", page=f"/ar/permits/{permit.code}/")
    response = client.post(url, {"message": "  الرسوم تغيرت  ", "source_url": "https://example.org/fees"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.object_key, report.content_type.model, report.language) == (str(permit.pk), "permitcategory", "ar")
    assert [c.pk for c in report.countries.all()] == ["DE"] and report.message == "الرسوم تغيرت"
    assert report.page == f"/ar/permits/{permit.code}/" and report.status == "new" and report.email == ""
    thanks = client.get(response.url)
    assert "<h2>شكرًا: أُرسل بلاغك.</h2>" in thanks.content.decode()


def test_an_empty_message_is_refused_in_the_visitors_language(client, corridor_data):
    response = client.post(report_url(corridor_data["permit"], "fr"), {"message": "  ", "email": "not-an-email"})
    page = response.content.decode()
    assert response.status_code == 400 and not Report.objects.exists()
    assert "Dites ce qui est faux ou manquant." in page
    assert "Saisissez une adresse e-mail valide." in page


def test_the_honeypot_is_turned_away_with_a_plain_message_and_nothing_stored(client, corridor_data):
    data = {"message": "Cheap pills", "website": "https://spam.example"}
    response = client.post(report_url(corridor_data["permit"], "ar"), data)
    assert response.status_code == 400
    assert "<h2>لم يُرسل بلاغك.</h2>" in response.content.decode()
    assert not Report.objects.exists()


def test_sending_is_throttled_with_the_sites_429_page(client, corridor_data, settings):
    rates(settings, report="2/min")
    url = report_url(corridor_data["permit"], "de")
    assert [client.post(url, {"message": f"Fehler {n}"}).status_code for n in range(2)] == [302, 302]
    throttled = client.post(url, {"message": "noch einer"})
    assert throttled.status_code == 429 and 0 < int(throttled["Retry-After"]) <= 60
    assert 'lang="de"' in throttled.content.decode()
    assert Report.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the form is not counted as sending


def test_unknown_kinds_keys_and_unpublished_facts_are_404(client, corridor_data):
    draft = corridor_data["draft"]
    base = reverse("guidance:report")
    for query in (
        "",
        "?fact=auth.user&key=1",
        "?fact=permits.permitcategory&key=not-a-number",
        "?fact=permits.permitcategory&key=999999",
        f"?fact=permits.permitcategory&key={draft.pk}",
        "?fact=countries.country&key=M%00A",
    ):
        assert client.get(base + query).status_code == 404, query
    assert client.post(base + f"?fact=permits.permitcategory&key={draft.pk}", {"message": "x"}).status_code == 404
    assert not Report.objects.exists()


def test_a_page_outside_the_site_is_not_kept(client, corridor_data):
    url = report_url(corridor_data["permit"]).replace("page=", "page=//evil.example/")
    client.post(url, {"message": "Wrong fee"})
    assert Report.objects.get().page == ""


def test_a_read_only_mirror_sends_readers_to_the_origin_hub(client, corridor_data, settings):
    settings.MIRROR_OF = "https://hub.example.org"
    url = report_url(corridor_data["permit"], "fr")
    page = client.get(url).content.decode()
    assert "miroir en lecture seule de https://hub.example.org" in page and "<form" not in page.split("<main")[-1]
    assert client.post(url, {"message": "Faux"}).status_code == 403
    assert not Report.objects.exists()
