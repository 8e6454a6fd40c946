"""Every change to the data is recorded: who, when, what, why."""

import pytest
from django.urls import reverse

from core.changelog import change_context
from core.models import ObjectChange
from tests.factories import AgreementFactory, PermitCategoryFactory, permit_form_data

pytestmark = pytest.mark.django_db


def changes_of(obj):
    return ObjectChange.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk)).order_by("id")


def test_create_change_and_delete_are_logged(hub_editor):
    with change_context(user=hub_editor, reason="yearly update"):
        permit = PermitCategoryFactory(country_id="DE", name="Blue Card")
        permit.name = "EU Blue Card"
        permit.save()
        permit_pk = permit.pk
        permit.delete()
    permit.pk = permit_pk
    create, update, delete = changes_of(permit)
    assert create.action == "create" and create.changes["name_en"] == "Blue Card"
    assert update.action == "update"
    assert update.changes["name_en"] == ["Blue Card", "EU Blue Card"]
    assert delete.action == "delete"
    for change in (create, update, delete):
        assert change.user == hub_editor
        assert change.reason == "yearly update"
        assert list(change.countries.values_list("code", flat=True)) == ["DE"]


def test_saving_without_change_logs_nothing():
    permit = PermitCategoryFactory()
    before = ObjectChange.objects.count()
    permit.save()
    assert ObjectChange.objects.count() == before


def test_many_to_many_changes_are_logged():
    agreement = AgreementFactory(parties=["MA", "DE"])
    added = changes_of(agreement).filter(changes__has_key="parties").last()
    assert added.changes == {"parties": {"added": ["DE", "MA"]}}
    assert set(added.countries.values_list("code", flat=True)) == {"MA", "DE"}


def test_admin_edit_is_logged_with_user_and_request_id(client, hub_editor, settings):
    # The direct save a hub editor may make when the setting allows it (else an edit is a proposal).
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True
    client.force_login(hub_editor)
    response = client.post(
        reverse("admin:permits_permitcategory_add"),
        permit_form_data("DE"),
        HTTP_X_REQUEST_ID="2c1f7f0e-3a5b-4c55-9d7e-0f6c1a2b3c4d",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "2c1f7f0e-3a5b-4c55-9d7e-0f6c1a2b3c4d"
    change = ObjectChange.objects.filter(content_type__model="permitcategory").latest("id")
    assert change.user == hub_editor and change.user_name == hub_editor.username
    assert str(change.request_id) == "2c1f7f0e-3a5b-4c55-9d7e-0f6c1a2b3c4d"
