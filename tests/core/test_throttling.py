"""Throttles that hold: one trusted-proxy setting, pages and feeds throttled too, signed-in users at a
higher rate, and no HTTP Basic authentication (whose failures used to lock admin accounts)."""

import base64

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from core.throttling import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def rates(settings, **values):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": values}


def test_a_new_x_forwarded_for_does_not_reset_the_budget(settings):
    rates(settings, anon="2/min")
    client = APIClient()
    statuses = [
        client.get("/api/v1/countries/MA/", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code
        for number in range(5)
    ]
    assert statuses == [200, 200, 429, 429, 429]


def test_behind_one_trusted_proxy_the_address_it_appended_counts(settings, rf):
    settings.NUM_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7", REMOTE_ADDR="172.18.0.5")
    assert client_address(request) == "203.0.113.7"  # what the client wrote before it is not trusted
    assert client_address(rf.get("/", REMOTE_ADDR="172.18.0.5")) == "172.18.0.5"
    settings.NUM_PROXIES = 0
    assert client_address(request) == "172.18.0.5"

    settings.NUM_PROXIES = 1
    rates(settings, anon="2/min")
    client = APIClient()
    spoofed = [
        client.get("/api/v1/countries/MA/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7").status_code
        for number in range(3)
    ]
    assert spoofed == [200, 200, 429]
    assert client.get("/api/v1/countries/MA/", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_signed_in_users_have_a_budget_of_their_own_and_a_higher_one(settings, hub_editor):
    rates(settings, anon="1/min", user="3/min")
    anonymous = APIClient()
    assert [anonymous.get("/api/v1/countries/MA/").status_code for _ in range(2)] == [200, 429]
    signed_in = APIClient()
    signed_in.force_login(hub_editor)
    assert [signed_in.get("/api/v1/countries/MA/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_eligibility_and_comparison_endpoints_are_throttled(settings):
    rates(settings, anon="1/min")
    client = APIClient()
    query = {"nationality": "MA", "destination": "DE"}
    assert client.get("/api/v1/eligibility/", query).status_code == 200
    assert client.get("/api/v1/eligibility/", query).status_code == 429


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/search/?q=nurse", "/en/licence-check/?country=MA&licence=1", "/feeds/changes.json", "/en/permits/"],
)
def test_pages_search_feeds_and_the_licence_check_are_throttled(settings, client, path):
    rates(settings, page_anon="2/min")
    assert [client.get(path).status_code for _ in range(2)] == [200, 200]
    throttled = client.get(path)
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    page = throttled.content.decode()
    assert "<h1>Request was throttled.</h1>" in page and "Try again in" in page


def test_the_429_page_is_in_the_visitors_language(settings, client):
    rates(settings, page_anon="1/min")
    client.get("/fr/")
    page = client.get("/fr/agreements/")
    assert page.status_code == 429
    assert 'lang="fr"' in page.content.decode() and "Requête ralentie." in page.content.decode()


def test_signed_in_visitors_get_the_higher_page_rate(settings, client, hub_editor):
    rates(settings, page_anon="1/min", page_user="3/min")
    client.force_login(hub_editor)
    assert [client.get("/en/").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_api_the_admin_and_health_are_not_counted_as_pages(settings, client):
    rates(settings, page_anon="1/min")
    for path in ("/api/v1/countries/MA/", "/admin/login/", "/health/", "/api/v1/countries/MA/"):
        assert client.get(path).status_code == 200, path


def test_http_basic_is_not_accepted_and_its_failures_lock_no_one(client, hub_editor, settings):
    hub_editor.set_password("a-real-password-123")
    hub_editor.save()
    wrong = "Basic " + base64.b64encode(f"{hub_editor.username}:wrong".encode()).decode()
    right = "Basic " + base64.b64encode(f"{hub_editor.username}:a-real-password-123".encode()).decode()
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert api.get("/api/v1/countries/MA/", HTTP_AUTHORIZATION=wrong).status_code == 200  # read as anonymous
    assert not AccessAttempt.objects.exists()
    # Not a way in either: a write with the right password is still unauthenticated.
    assert api.get("/api/v1/submissions/", HTTP_AUTHORIZATION=right).status_code == 401
    response = client.post(reverse("admin:login"), {"username": hub_editor.username, "password": "a-real-password-123"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(hub_editor.pk)


def test_the_admin_lockout_ignores_a_forged_x_forwarded_for(client, hub_editor, settings):
    hub_editor.set_password("a-real-password-123")
    hub_editor.save()
    url = reverse("admin:login")
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url, {"username": hub_editor.username, "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}"
        )
    response = client.post(
        url, {"username": hub_editor.username, "password": "a-real-password-123"}, HTTP_X_FORWARDED_FOR="10.0.1.1"
    )
    assert response.status_code == 429


def test_the_429_page_carries_the_security_headers(settings, client):
    rates(settings, page_anon="1/min")
    client.get("/en/")
    throttled = client.get("/en/")
    assert throttled.status_code == 429
    assert "default-src 'self'" in throttled["Content-Security-Policy"] and throttled["X-Frame-Options"] == "DENY"
