"""Degrade, don't fail: the cache down (a closed port on loopback), the API and pages answer uncached,
the outage is logged once, and /health/ says what is down."""

import logging

import pytest
from django.core.cache import cache

from core import cache as fail_soft
from core.fields import PublicationStatus
from tests.factories import LegalSourceFactory, PermitCategoryFactory

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache_down(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    monkeypatch.setattr(fail_soft, "_down_until", {})
    return cache


def test_a_cache_that_is_down_answers_like_an_empty_one_and_logs_once(cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        cache.set("key", "value")
        assert cache.get("key") is None
        assert cache.get("key", "default") == "default"
        assert cache.add("key", "value") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.get_or_set("key", "computed") == "computed"
        cache.delete("key")
        cache.clear()
    assert [record.getMessage() for record in caplog.records] == [
        "The cache (Redis) is unavailable (ConnectionError): answering uncached until it is back."
    ]


def test_the_cache_is_tried_again_after_a_pause(cache_down, monkeypatch):
    from django.core.cache.backends.redis import RedisCacheClient

    calls = []
    original = RedisCacheClient.get

    def counting_get(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RedisCacheClient, "get", counting_get)
    for _ in range(5):
        cache.get("key")
    assert len(calls) == 1  # then Redis is left alone for retry_after seconds
    monkeypatch.setattr(fail_soft, "_down_until", {key: 0.0 for key in fail_soft._down_until})
    cache.get("key")
    assert len(calls) == 2


def test_api_answers_with_the_cache_down(cache_down, settings, client):
    settings.API_CACHE_ENABLED = True
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100/min"}}
    PermitCategoryFactory(publication_status=PublicationStatus.PUBLISHED, legal_sources=[LegalSourceFactory()])
    for _ in range(2):
        response = client.get("/api/v1/permits/")
        assert response.status_code == 200 and response.json()["count"] == 1


def test_pages_answer_with_the_cache_down(cache_down, settings, client):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"page_anon": "100/min"}}
    assert client.get("/en/").status_code == 200
    assert client.get("/feeds/changes.json").status_code == 200


def test_health_reports_a_cache_outage_as_degraded(client, settings):
    settings.REDIS_URL = CLOSED_PORT
    settings.CELERY_BROKER_URL = CLOSED_PORT
    response = client.get("/health/")
    assert response.status_code == 200  # the web processes still answer: keep them in the load balancer
    assert response.json() == {"status": "degraded", "database": "ok", "redis": "error: ConnectionError"}


def test_health_checks_a_broker_of_its_own(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/1"
    body = client.get("/health/").json()
    assert body["status"] == "degraded" and body["broker"].startswith("error")


def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    from core import views

    monkeypatch.setattr(views, "_database_state", lambda: "error: OperationalError")
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"
