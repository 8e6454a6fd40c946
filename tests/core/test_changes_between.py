"""The changes between two data versions (issue 23: a change list derived from the change log)."""

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
