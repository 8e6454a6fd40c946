"""The public history starts at publication and never shows what a row held while unpublished."""

import json

import pytest

from core.changelog import change_context
from core.fields import PublicationStatus
from core.models import ObjectChange
from tests.factories import FeeFactory, LegalSourceFactory, PermitCategoryFactory

pytestmark = pytest.mark.django_db


def public_entries_of(row):
    return list(ObjectChange.objects.public().filter(object_id=str(row.pk), content_type__model=row._meta.model_name))


@pytest.fixture
def permit_published_after_a_draft():
    with change_context(reason="drafting"):
        permit = PermitCategoryFactory(country_id="MA", code="ma-history", description="Secret draft text")
        permit.description = "Second draft, still secret"
        permit.save()
        FeeFactory(permit=permit, name="Draft fee", amount=1, currency="MAD")
    with change_context(reason="published after review"):
        permit.description = "The published description"
        permit.publication_status = PublicationStatus.PUBLISHED
        permit.save()
    return permit


def test_the_first_public_entry_is_the_published_state(permit_published_after_a_draft):
    [published] = public_entries_of(permit_published_after_a_draft)
    assert published.action == ObjectChange.Action.PUBLISH
    assert published.changes["description"] == "The published description"
    assert published.changes["publication_status"] == "published"
    assert published.reason == "published after review"


def test_nothing_written_while_unpublished_reaches_the_api_or_the_feeds(client, permit_published_after_a_draft):
    bodies = [
        client.get("/api/v1/changes/", {"country": "MA", "page_size": 500}).content.decode(),
        client.get("/feeds/MA/changes.json").content.decode(),
        client.get("/feeds/MA/changes.atom").content.decode(),
    ]
    for body in bodies:
        assert "The published description" in body or "ma-history" in body or "publish" in body
        assert "Secret draft text" not in body and "still secret" not in body and "Draft fee" not in body
    # The internal history keeps everything.
    internal = json.dumps(list(ObjectChange.objects.values_list("changes", flat=True)))
    assert "Secret draft text" in internal and "Draft fee" in internal


def test_changes_while_published_are_public_and_a_withdrawal_shows_as_one(permit_published_after_a_draft):
    permit = permit_published_after_a_draft
    permit.max_age = 45
    permit.save()
    FeeFactory(permit=permit, name="Visa fee", amount=75, currency="EUR")
    permit.publication_status = PublicationStatus.ARCHIVED
    permit.description = "Rewritten after withdrawal"
    permit.save()
    entries = public_entries_of(permit)
    assert [entry.action for entry in entries] == ["update", "update", "publish"]  # newest first
    withdrawal, change, _published = entries
    assert withdrawal.changes == {"publication_status": ["published", "archived"]}
    assert change.changes == {"max_age": [None, 45]}
    assert (
        ObjectChange.objects.public().filter(content_type__model="fee").count() == 1
    )  # the fee of the published permit
    permit.description = "Edited while withdrawn"
    permit.save()
    assert len(public_entries_of(permit)) == 3


def test_always_public_rows_have_every_change_public():
    source = LegalSourceFactory(key="ma-code", title="Code du travail")
    source.title = "Code du travail (2004)"
    source.save()
    assert [entry.action for entry in public_entries_of(source)] == ["update", "create"]
