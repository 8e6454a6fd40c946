"""The public change feeds: Atom and JSON, overall and per country."""

import xml.etree.ElementTree as ET

import pytest

from submissions import services
from tests.factories import RecruitmentAgencyFactory
from tests.submissions.conftest import agency, json_bytes

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published_submission(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    services.submission_approve(submission=submission, reviewer=hub_editor)
    return services.submission_publish(submission_id=submission.pk)


def test_atom_feed_lists_published_changes(client, published_submission):
    RecruitmentAgencyFactory(country_id="MA", legal_name="Draft agency")  # a draft: not in the feed
    response = client.get("/feeds/changes.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == ["created: recruitment agency Example agency (EXAMPLE-MA-9001)"]
    assert f"submission {published_submission.pk}" in entries[0].find(f"{ATOM}summary").text


def test_country_feeds_only_hold_their_country(client, published_submission):
    assert len(ET.fromstring(client.get("/feeds/MA/changes.atom").content).findall(f"{ATOM}entry")) == 1
    assert ET.fromstring(client.get("/feeds/TN/changes.atom").content).findall(f"{ATOM}entry") == []
    assert client.get("/feeds/XX/changes.atom").status_code == 404


def test_json_feed(client, published_submission):
    feed = client.get("/feeds/MA/changes.json").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    [item] = feed["items"]
    assert item["tags"] == ["MA"] and item["_mobility_hub"]["reason"] == f"submission {published_submission.pk}"
    assert client.get("/feeds/TN/changes.json").json()["items"] == []
    assert len(client.get("/feeds/changes.json").json()["items"]) == 1


def test_feed_query_count_does_not_grow_with_items(client, published_submission):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            items = client.get("/feeds/changes.json").json()["items"]
        return len(items), len(queries)

    one = count()
    for number in range(5):
        RecruitmentAgencyFactory(country_id="MA", publication_status="published", licence_number=f"EXAMPLE-X{number}")
    six = count()
    # the changes with their countries (2), the country lookup is skipped overall, 8 content types (cached later)
    assert one == (1, 10) and six == (6, 10)
