"""Degrade, don't fail, on the real stack: with the cache pointed at a closed port every public list
endpoint and the main pages answer 200 (uncached), and an upload with a dead broker lands exactly once,
then the outbox sweep sends it on to a real worker.

Run by `make test-stack` (REQUIRE_STACK=1). The closed port is on loopback (127.0.0.1:1).
"""

import io
import logging
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import cache as fail_soft
from mobility_hub.api_urls import router
from mobility_hub.celery import app
from submissions import services
from submissions.models import Submission
from tests.factories import UserFactory
from tests.submissions.conftest import agency, json_bytes
from tests.submissions.test_stack_pipeline import status_of, wait_for, workers  # noqa: F401 (a fixture)

pytestmark = pytest.mark.stack
CLOSED_PORT = "redis://127.0.0.1:1/0"

EXTRA_ENDPOINTS = [
    ("/api/v1/licence-check/", {"country": "MA", "licence_number": "1234"}),
    ("/api/v1/eligibility/", {"nationality": "MA", "destination": "DE", "occupation": "2221"}),
    ("/api/v1/corridors/compare/", {"corridors": "MA-DE,TN-FR"}),
    ("/api/v1/schema/common-format/", {}),
]
PAGES = [
    "/en/",
    "/ar/search/?q=nurse",
    "/fr/countries/MA/",
    "/en/permits/",
    "/de/corridors/MA-DE/",
    "/en/agreements/",
    "/fr/licence-check/?country=MA&licence=1234",
    "/en/eligibility/?nationality=MA&destination=DE",
    "/en/compare/?corridor=MA-DE&corridor=TN-FR",
    "/en/changes/",
    "/feeds/changes.atom",
    "/feeds/MA/changes.json",
]


@pytest.fixture
def cache_down(settings, monkeypatch, db):
    with io.StringIO() as quiet:
        call_command("load_demo_data", stdout=quiet)
    settings.CACHES = {"default": {"BACKEND": "core.cache.FailSoftRedisCache", "LOCATION": CLOSED_PORT}}
    settings.API_CACHE_ENABLED = True
    # Throttles on as in production: they keep their counts in the (absent) cache too.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "page_anon": "1000/min"},
    }
    monkeypatch.setattr(fail_soft, "_down_until", {})


def list_urls():
    return [reverse(f"{basename}-list") for _prefix, _viewset, basename in router.registry]


def test_every_public_list_endpoint_answers_with_the_cache_down(cache_down, client):
    urls = list_urls()
    assert len(urls) == 12
    for url, params in [(url, {}) for url in urls] + EXTRA_ENDPOINTS:
        for accept in ("application/json", "text/csv"):
            if accept == "text/csv" and not url.startswith(tuple(urls)):
                continue
            response = client.get(url, params, HTTP_ACCEPT=accept)
            assert response.status_code == 200, (url, accept, response.content[:200])
    assert client.get("/api/v1/permits/de-eu-blue-card/").status_code == 200
    assert fail_soft._down_until, "the cache was never asked"


def test_pages_answer_with_the_cache_down(cache_down, client):
    for page in PAGES:
        assert client.get(page).status_code == 200, page
    assert fail_soft._down_until, "the cache was never asked (the page throttle keeps its counts there)"


@pytest.fixture
def dead_broker():
    """The test process sends its tasks to a broker on a closed port (the workers keep the real one);
    calling the fixture's value brings the real broker back."""
    previous = app.conf.broker_url

    def use(url):
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    use(CLOSED_PORT)
    yield lambda: use(previous)
    use(previous)


def test_an_upload_with_a_dead_broker_lands_exactly_once(workers, dead_broker, caplog):  # noqa: F811
    focal_point = UserFactory(role="focal_point", countries=["MA"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=focal_point).key}")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="submissions.services"):
        response = client.post(
            "/api/v1/submissions/",
            {"file": SimpleUploadedFile("ma.json", json_bytes({"agencies": [agency()]})), "country": "MA"},
            format="multipart",
        )
    assert response.status_code == 202 and response.json()["status"] == "received"
    assert time.monotonic() - started < 5  # the publish retries are bounded
    assert "left to the outbox sweep" in caplog.text  # the send did fail: the broker was down
    assert Submission.objects.count() == 1
    pk = response.json()["id"]

    dead_broker()  # the broker is back
    workers.start()
    assert services.submissions_sweep(stuck_after=timedelta(0)) == [pk]
    wait_for(lambda: status_of(pk) == "ready_for_review", "validation after the sweep")
    assert Submission.objects.count() == 1
