"""A focal point sees and edits only their own countries' rows; a hub editor sees all."""

import json

import pytest
from django.urls import reverse

from core.models import ObjectChange
from countries.models import LegalSource
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency
from submissions.models import Submission
from tests.factories import (
    AgreementFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    RecruitmentAgencyFactory,
    permit_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    """One row of Morocco and one of Tunisia for each kind of country-owned data."""
    return {
        "permitcategory": (PermitCategoryFactory(country_id="MA"), PermitCategoryFactory(country_id="TN")),
        "recruitmentagency": (RecruitmentAgencyFactory(country_id="MA"), RecruitmentAgencyFactory(country_id="TN")),
        "legalsource": (LegalSourceFactory(country_id="MA"), LegalSourceFactory(country_id="TN")),
        "agreement": (AgreementFactory(parties=["MA", "DE"]), AgreementFactory(parties=["TN", "FR"])),
    }


APP_OF = {
    "permitcategory": "permits",
    "recruitmentagency": "recruiters",
    "legalsource": "countries",
    "agreement": "countries",
}


@pytest.mark.parametrize("model", list(APP_OF))
def test_focal_point_lists_only_own_country(client, focal_point_ma, rows, model):
    client.force_login(focal_point_ma)
    response = client.get(reverse(f"admin:{APP_OF[model]}_{model}_changelist"))
    assert response.status_code == 200
    moroccan, _ = rows[model]
    assert [obj.pk for obj in response.context["cl"].result_list] == [moroccan.pk]


@pytest.mark.parametrize("model", list(APP_OF))
def test_focal_point_cannot_open_other_country(client, focal_point_ma, rows, model):
    client.force_login(focal_point_ma)
    _, tunisian = rows[model]
    response = client.get(reverse(f"admin:{APP_OF[model]}_{model}_change", args=[tunisian.pk]))
    # The admin answers a row outside the user's queryset by redirecting to the index with a message.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


@pytest.mark.parametrize("model", list(APP_OF))
def test_focal_point_can_open_own_country(client, focal_point_ma, rows, model):
    client.force_login(focal_point_ma)
    moroccan, _ = rows[model]
    response = client.get(reverse(f"admin:{APP_OF[model]}_{model}_change", args=[moroccan.pk]))
    assert response.status_code == 200


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def proposed_row(user, section):
    """The row a user's admin form proposed (an admin edit publishes nothing until a second person approves)."""
    submission = Submission.objects.get(submitter=user, source=Submission.Source.ADMIN_FORM)
    with submission.file.open("rb") as handle:
        (row,) = json.load(handle)[section]
    return submission, row


def rename_permit(client, permit, name):
    """The admin's complete change form of `permit`, as saved with a new name."""
    data = permit_form_data(permit.country_id, code=permit.code, name_en=name)
    return client.post(reverse("admin:permits_permitcategory_change", args=[permit.pk]), data)


def test_focal_point_can_change_own_country_permit(client, focal_point_ma, rows, media):
    client.force_login(focal_point_ma)
    moroccan, _ = rows["permitcategory"]
    response = rename_permit(client, moroccan, "Renamed by Morocco")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    submission, row = proposed_row(focal_point_ma, "permits")
    assert response.url == reverse("admin:submissions_submission_change", args=[submission.pk])
    assert (row["name"], row["skill_levels"], row["where_to_apply"]) == ("Renamed by Morocco", [3, 4], ["consulate"])
    moroccan.refresh_from_db()
    assert moroccan.name != "Renamed by Morocco"  # proposed, not published


def test_focal_point_cannot_change_other_country_permit(client, focal_point_ma, rows):
    client.force_login(focal_point_ma)
    _, tunisian = rows["permitcategory"]
    before = PermitCategory.objects.filter(pk=tunisian.pk).values().get()
    changes_before = ObjectChange.objects.count()
    response = rename_permit(client, tunisian, "Hijacked")
    # A row outside the user's queryset is answered as missing: back to the index, not to the list of a save.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert PermitCategory.objects.filter(pk=tunisian.pk).values().get() == before
    assert ObjectChange.objects.count() == changes_before


def test_hub_editor_can_change_any_country_permit(client, hub_editor, rows, settings):
    # The very post refused to Morocco's focal point above is valid: it is the permission that refuses it.
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True  # applied at once, to see it (else a proposal, as above)
    client.force_login(hub_editor)
    _, tunisian = rows["permitcategory"]
    response = rename_permit(client, tunisian, "Renamed by the hub")
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert response.url == reverse("admin:permits_permitcategory_changelist")
    tunisian.refresh_from_db()
    assert tunisian.name == "Renamed by the hub"


def test_focal_point_cannot_delete_other_country_agency(client, focal_point_ma, rows):
    client.force_login(focal_point_ma)
    _, tunisian = rows["recruitmentagency"]
    client.post(reverse("admin:recruiters_recruitmentagency_delete", args=[tunisian.pk]), {"post": "yes"})
    assert RecruitmentAgency.objects.filter(pk=tunisian.pk).exists()


def test_focal_point_is_offered_only_own_country(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.get(reverse("admin:permits_permitcategory_add"))
    choices = [value for value, _ in response.context["adminform"].form.fields["country"].choices if value]
    assert [str(value) for value in choices] == ["MA"]
    # Nationalities a permit is open to are not ownership: every country is offered.
    assert response.context["adminform"].form.fields["open_to"].queryset.count() > 200


def test_focal_point_cannot_create_other_country_permit(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.post(reverse("admin:permits_permitcategory_add"), permit_form_data("TN"))
    assert response.status_code == 200  # the form again, with its error
    assert "country" in response.context["adminform"].form.errors
    assert not PermitCategory.objects.filter(code="new-tn").exists()


def test_focal_point_can_create_own_country_permit(client, focal_point_ma, media):
    client.force_login(focal_point_ma)
    response = client.post(reverse("admin:permits_permitcategory_add"), permit_form_data("MA"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    submission, row = proposed_row(focal_point_ma, "permits")
    assert submission.country_id == "MA" and row["code"] == "new-ma"
    assert (row["skill_levels"], row["where_to_apply"]) == ([3, 4], ["consulate"])
    assert not PermitCategory.objects.filter(code="new-ma").exists()  # a draft until approved


def test_focal_point_of_one_country_gets_it_preselected(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.get(reverse("admin:permits_permitcategory_add"))
    assert response.context["adminform"].form.initial["country"] == "MA"
    response = client.get(reverse("admin:countries_agreement_add"))
    assert response.context["adminform"].form.initial["parties"] == ["MA"]


def test_focal_point_agreement_needs_own_country_among_parties(client, focal_point_ma):
    client.force_login(focal_point_ma)
    source = LegalSourceFactory(country_id="MA")
    data = {
        "key": "tn-fr-test",
        "type": "bla",
        "title_en": "Tunisia–France",
        "parties": ["TN", "FR"],
        "status": "in_force",
        "publication_status": "draft",
        "legal_sources": [source.pk],
    }
    response = client.post(reverse("admin:countries_agreement_add"), data)
    assert response.status_code == 200
    assert "parties" in response.context["adminform"].form.errors


def test_focal_point_cites_only_own_or_international_sources(client, focal_point_ma):
    moroccan = LegalSourceFactory(country_id="MA")
    LegalSourceFactory(country_id="TN")
    international = LegalSourceFactory(country_id=None)
    client.force_login(focal_point_ma)
    response = client.get(reverse("admin:permits_permitcategory_add"))
    offered = set(response.context["adminform"].form.fields["legal_sources"].queryset.values_list("pk", flat=True))
    assert offered == {moroccan.pk, international.pk}


def test_focal_point_cannot_edit_international_source(client, focal_point_ma):
    international = LegalSourceFactory(country_id=None)
    client.force_login(focal_point_ma)
    url = reverse("admin:countries_legalsource_change", args=[international.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    client.post(
        url, {"key": international.key, "title_en": "Changed", "url": international.url, "last_verified": "2026-01-01"}
    )
    assert LegalSource.objects.get(pk=international.pk).title != "Changed"


def test_hub_editor_sees_every_country(client, hub_editor, rows):
    client.force_login(hub_editor)
    response = client.get(reverse("admin:permits_permitcategory_changelist"))
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert listed == {permit.pk for permit in rows["permitcategory"]}
    tunisian = rows["permitcategory"][1]
    assert client.get(reverse("admin:permits_permitcategory_change", args=[tunisian.pk])).status_code == 200


def test_focal_point_change_history_is_scoped(client, focal_point_ma, rows):
    client.force_login(focal_point_ma)
    response = client.get(reverse("admin:core_objectchange_changelist"))
    assert response.status_code == 200
    changes = list(response.context["cl"].result_list)
    assert changes
    for change in changes:
        assert "MA" in set(change.countries.values_list("code", flat=True))
