"""The public change feeds: Atom and JSON, overall and per country, the same changes as the page and the API."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.changelog import change_context
from tests.factories import RecruitmentAgencyFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published_agency():
    with change_context(reason="register of 2026-11"):
        return RecruitmentAgencyFactory(
            country_id="MA",
            legal_name="Example agency",
            licence_number="EXAMPLE-MA-9001",
            publication_status="published",
        )


def atom_titles(client, path):
    return [
        entry.find(f"{ATOM}title").text for entry in ET.fromstring(client.get(path).content).findall(f"{ATOM}entry")
    ]


def test_atom_feed_lists_published_changes_newest_first(client, published_agency):
    RecruitmentAgencyFactory(country_id="MA", legal_name="Draft agency")  # a draft: not in the feed
    response = client.get("/feeds/changes.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert entries[0].find(f"{ATOM}title").text == "created: recruitment agency Example agency (EXAMPLE-MA-9001)"
    assert "register of 2026-11" in entries[0].find(f"{ATOM}summary").text
    assert not any("Draft agency" in entry.find(f"{ATOM}title").text for entry in entries)


def test_country_feeds_only_hold_their_country(client, published_agency):
    assert "created: recruitment agency Example agency (EXAMPLE-MA-9001)" in atom_titles(
        client, "/feeds/MA/changes.atom"
    )
    assert not any("agency" in title for title in atom_titles(client, "/feeds/TN/changes.atom"))
    assert client.get("/feeds/XX/changes.atom").status_code == 404


def test_json_feed(client, published_agency):
    feed = client.get("/feeds/MA/changes.json").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    item = feed["items"][0]
    assert item["tags"] == ["MA"] and item["_mobility_hub"]["reason"] == "register of 2026-11"
    assert item["_mobility_hub"]["type"] == "recruitmentagency"
    assert all("MA" not in entry["tags"] for entry in client.get("/feeds/TN/changes.json").json()["items"])


def test_feed_query_count_does_not_grow_with_items(client, published_agency):
    def count():
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            items = client.get("/feeds/changes.json").json()["items"]
        return len(items), len(queries)

    before = count()
    for number in range(5):
        RecruitmentAgencyFactory(country_id="MA", publication_status="published", licence_number=f"EXAMPLE-X{number}")
    after = count()
    assert before[0] == after[0] == 50  # the latest 50 (the countries loaded for the tests are changes too)
    assert before[1] == after[1]


@pytest.mark.parametrize("path", ["/feeds/MA%00/changes.json", "/feeds/%00/changes.atom", "/feeds/changes.json?x=%00"])
def test_a_nul_character_in_a_feed_address_is_a_plain_400(client, path):
    # PostgreSQL cannot compare text holding NUL: the country lookup used to answer 500.
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "NUL character" in response.content.decode()


def test_an_unknown_country_feed_is_404(client):
    assert client.get("/feeds/XX/changes.json").status_code == 404


def test_the_feeds_and_the_change_api_state_the_same_data_version(client, published_agency, settings):
    settings.API_CACHE_ENABLED = False
    api = client.get("/api/v1/changes/")
    version = api["X-Data-Version"]
    _countries, last_change = version.split(".")
    assert int(last_change) > 0
    assert client.get("/feeds/changes.json").json()["_mobility_hub"]["data_version"] == version
    subtitle = ET.fromstring(client.get("/feeds/changes.atom").content).find(f"{ATOM}subtitle").text
    assert subtitle.endswith(f"Data version {version}.")
    # A publish moves it, in the header of a 304 too.
    RecruitmentAgencyFactory(country_id="MA", publication_status="published", licence_number="EXAMPLE-MA-9002")
    moved = client.get("/api/v1/changes/")["X-Data-Version"]
    assert moved != version
    assert client.get("/api/v1/changes/", HTTP_IF_NONE_MATCH=client.get("/api/v1/changes/")["ETag"]).status_code == 304
    assert (
        client.get("/api/v1/changes/", HTTP_IF_NONE_MATCH=client.get("/api/v1/changes/")["ETag"])["X-Data-Version"]
        == moved
    )
