"""The changes between two data versions (issue 23: a change list derived from the change log)."""

import html
import re
from urllib.parse import parse_qs

import pytest

from core.api.versioning import change_id_of, changes_between, data_version_current
from core.models import ObjectChange
from countries.models import LegalSource

pytestmark = pytest.mark.django_db


def test_a_token_stands_for_its_last_change_id_and_anything_else_for_nothing():
    assert change_id_of("12.345") == 345
    assert change_id_of("") is None
    assert change_id_of("12") is None
    assert change_id_of("a.b") is None
    assert change_id_of("١٢.٣٤٥") == 345  # typed on an Arabic keyboard
    assert change_id_of("12.34x") is None


def test_the_changes_between_two_versions_are_those_after_the_first_up_to_the_second(client):
    before = data_version_current().token
    first = LegalSource.objects.create(
        key="between-a", title="A", url="https://example.org/a", last_verified="2026-01-01"
    )
    middle = data_version_current().token
    second = LegalSource.objects.create(
        key="between-b", title="B", url="https://example.org/b", last_verified="2026-01-01"
    )
    between = set(changes_between(ObjectChange.objects.all(), before, middle).values_list("object_id", flat=True))
    assert between == {str(first.pk)}
    response = client.get("/api/v1/changes/", {"after_version": middle})
    ids = [row["object_id"] for row in response.json()["results"]]
    assert str(second.pk) in ids and str(first.pk) not in ids


def test_the_changes_page_keeps_the_versions_on_its_other_pages(client):
    before = data_version_current().token
    for number in range(55):
        LegalSource.objects.create(
            key=f"paged-{number}",
            title=f"Paged source {number}",
            url="https://example.org/p",
            last_verified="2026-01-01",
        )
    up_to = data_version_current().token
    LegalSource.objects.create(
        key="paged-later", title="Later source", url="https://example.org/l", last_verified="2026-01-01"
    )
    first = client.get("/en/changes/", {"after_version": before, "up_to_version": up_to}).content.decode()
    assert "Page 1 of 2" in first and first.count("Paged source") == 50
    following = html.unescape(re.search(r'href="(\?[^"]*)" rel="next"', first).group(1))
    assert parse_qs(following[1:]) == {"after_version": [before], "up_to_version": [up_to], "page": ["2"]}
    second = client.get("/en/changes/" + following).content.decode()
    assert second.count("Paged source") == 5 and "Later source" not in second
