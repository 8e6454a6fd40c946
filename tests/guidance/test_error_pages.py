"""The 404 and 500 pages in production mode: the site's own layout, in the visitor's language, never Django's."""

import pytest
from django.template import loader
from django.utils import translation

from countries import selectors as country_selectors

pytestmark = pytest.mark.django_db

# (language, direction, "page not found" in it, "something went wrong" in it)
LANGUAGES = [
    ("en", "ltr", "Page not found", "Something went wrong"),
    ("fr", "ltr", "Page introuvable", "Une erreur s'est produite"),
    ("ar", "rtl", "الصفحة غير موجودة", "حدث خطأ ما"),
    ("de", "ltr", "Seite nicht gefunden", "Etwas ist schiefgelaufen"),
]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


@pytest.fixture
def failing_home(monkeypatch, client):
    """The home page's first read raises, as a broken database or a bug would; the client gets the response."""

    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(country_selectors, "origin_list", broken)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(("language", "direction", "not_found", "_"), LANGUAGES)
def test_missing_permit_gives_a_404_page_in_the_visitors_language(
    client, production, language, direction, not_found, _
):
    response = client.get(f"/{language}/permits/no-such-permit/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f"<h1>{not_found}</h1>" in html
    # The site's own layout: its stylesheet, navigation, language links and footer.
    assert 'rel="stylesheet" href="/static/css/hub.css"' in html
    assert '<nav class="main-nav wrap"' in html
    assert f'href="/{language}/about/"' in html
    assert f'action="/{language}/search/"' in html


def test_arabic_404_is_not_english(client, production):
    html = client.get("/ar/permits/no-such-permit/").content.decode()
    assert "Page not found" not in html
    assert "انتقل إلى المحتوى" in html  # the skip link, translated too


def test_unknown_address_under_a_language_prefix_is_a_404_in_that_language(client, production):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.content.decode()


def test_404_page_does_not_echo_the_address(client, production):
    html = client.get("/en/permits/%3Cscript%3Ealert(1)%3C/").content.decode()
    assert "<script" not in html


@pytest.mark.parametrize(("language", "direction", "_", "went_wrong"), LANGUAGES)
def test_a_view_that_raises_gives_the_500_page_in_the_visitors_language(
    failing_home, production, language, direction, _, went_wrong
):
    response = failing_home.get(f"/{language}/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f"<h1>{went_wrong}</h1>" in html
    assert 'rel="stylesheet" href="/static/css/hub.css"' in html
    assert f'href="/{language}/"' in html
    # Not Django's debug page, and nothing of the error shown to the visitor.
    assert "Traceback" not in html
    assert "the database went away" not in html
    assert "RuntimeError" not in html


def test_debug_mode_still_shows_the_debug_page(failing_home, settings):
    settings.DEBUG = True
    assert "the database went away" in failing_home.get("/en/").content.decode()


@pytest.mark.parametrize(("language", "direction", "_", "went_wrong"), LANGUAGES)
def test_500_page_renders_with_an_empty_context_and_no_request(language, direction, _, went_wrong):
    # Django's server_error view renders 500.html this way: no context, no request, no context processors.
    with translation.override(language):
        html = loader.get_template("500.html").render()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert went_wrong in html
    assert 'href="/static/css/hub.css"' in html


def test_500_page_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        loader.get_template("500.html").render()
