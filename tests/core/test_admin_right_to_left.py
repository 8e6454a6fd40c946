"""The admin's Arabic inputs are typed right to left (core.admin.ArabicRightToLeftMixin) in the forms of the
reference rows too: ISCO-08 groups, ESCO occupations, certification labels, sectors; the other languages' stay left
to right."""

import re

import pytest
from django.urls import reverse

from countries.models import Sector
from permits.models import EscoOccupation, IscoGroup
from recruiters.models import CertificationLabel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def form_inputs(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return {name: tag for tag, name in re.findall(r'(<(?:input|textarea)[^>]*name="([a-z_]+)"[^>]*>)', html)}


def change_url(instance):
    return reverse(f"admin:{instance._meta.app_label}_{instance._meta.model_name}_change", args=[instance.pk])


@pytest.fixture
def hub_editor_client(client):
    client.force_login(UserFactory(role="hub_editor"))
    return client


@pytest.mark.parametrize(
    ("instance", "field"),
    [
        (lambda: IscoGroup.objects.get(code="2221"), "title"),
        (lambda: EscoOccupation.objects.filter(isco_group_id="2221").first(), "title"),
        (lambda: CertificationLabel.objects.create(code="iris", name="IRIS", issuer="Example issuer"), "name"),
        (lambda: Sector.objects.get_or_create(code="Q", defaults={"name": "Human health and social work"})[0], "name"),
    ],
    ids=["isco-group", "esco-occupation", "certification-label", "sector"],
)
def test_arabic_inputs_of_reference_rows_are_typed_right_to_left(hub_editor_client, instance, field, settings):
    # Reference data is read only unless a hub editor may publish alone (submissions.admin_proposals).
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True
    inputs = form_inputs(hub_editor_client, change_url(instance()))
    assert 'dir="rtl"' in inputs[f"{field}_ar"]
    for language in ("en", "fr", "de"):
        assert 'dir="rtl"' not in inputs[f"{field}_{language}"]
