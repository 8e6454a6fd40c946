"""Rights on shared rows in the admin: international legal sources are kept by hub editors only; a
corridor or an agreement is a focal point's as soon as one of its countries is theirs. An admin save
of a source, a corridor or an agreement is a proposal a second person approves
(submissions.admin_proposals), but for the rows of no country (international sources), which hub
editors change directly."""

import json

import pytest
from django.urls import reverse

from countries.models import Agreement, Corridor, LegalSource
from submissions.models import Submission
from tests.factories import AgreementFactory, ContactPointFactory, LegalSourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_errors(response):
    """The errors of the admin form the response shows again (empty when the save went through)."""
    if response.status_code != 200 or "adminform" not in response.context:
        return {}
    return response.context["adminform"].form.errors


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # where the proposals' files are kept


def proposed(user, section):
    """The row a user's admin form proposed (nothing is saved until a second person approves)."""
    submission = Submission.objects.get(submitter=user, source=Submission.Source.ADMIN_FORM)
    with submission.file.open("rb") as handle:
        (row,) = json.load(handle)[section]
    return row


def corridor_data(origin, destination, notes=""):
    return {"origin": origin, "destination": destination, "notes_en": notes}


def source_data(key, country="", title="A law"):
    return {
        "key": key,
        "country": country,
        "title_en": title,
        "url": "https://example.org/law",
        "last_verified": "2026-11-30",
    }


def agreement_data(key, parties, **extra):
    return {
        "key": key,
        "type": "bla",
        "title_en": "An agreement",
        "parties": parties,
        "status": "in_force",
        "publication_status": "draft",
        **extra,
    }


# -- corridors ---------------------------------------------------------------------------------------


def test_focal_point_can_propose_a_corridor_from_own_country(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.post(reverse("admin:countries_corridor_add"), corridor_data("MA", "FR"))
    assert response.status_code == 302, form_errors(response)
    assert not Corridor.objects.filter(origin_id="MA", destination_id="FR").exists()  # proposed only
    assert proposed(focal_point_ma, "corridors") | {"origin": "MA", "destination": "FR"} == proposed(
        focal_point_ma, "corridors"
    )


def test_focal_point_can_propose_a_corridor_to_own_country(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.post(reverse("admin:countries_corridor_add"), corridor_data("EG", "MA"))
    assert response.status_code == 302, form_errors(response)
    assert (proposed(focal_point_ma, "corridors")["origin"], proposed(focal_point_ma, "corridors")["destination"]) == (
        "EG",
        "MA",
    )


def test_focal_point_is_offered_every_country_for_either_end_of_a_corridor(client, focal_point_ma):
    client.force_login(focal_point_ma)
    form = client.get(reverse("admin:countries_corridor_add")).context["adminform"].form
    for name in ("origin", "destination"):
        assert form.fields[name].queryset.count() > 200
    # A focal point of one country gets neither end filled in: MA → MA is no corridor.
    assert "origin" not in form.initial and "destination" not in form.initial


def test_focal_point_cannot_add_corridor_between_two_other_countries(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.post(reverse("admin:countries_corridor_add"), corridor_data("TN", "FR"))
    assert response.status_code == 200
    assert "MA" in " ".join(form_errors(response)["__all__"])
    assert not Corridor.objects.filter(origin_id="TN", destination_id="FR").exists()


def test_focal_point_cannot_move_a_corridor_out_of_own_country(client, focal_point_ma):
    corridor = Corridor.objects.create(origin_id="TN", destination_id="MA")
    client.force_login(focal_point_ma)
    form = client.get(reverse("admin:countries_corridor_change", args=[corridor.pk])).context["adminform"]
    assert {"origin", "destination"} <= set(form.readonly_fields)  # the ends name the row: not edited
    client.post(reverse("admin:countries_corridor_change", args=[corridor.pk]), corridor_data("TN", "FR"))
    corridor.refresh_from_db()
    assert corridor.destination_id == "MA"
    assert not Submission.objects.filter(submitter=focal_point_ma).exists()  # nothing changed, nothing proposed


def test_focal_point_cannot_edit_corridor_between_two_other_countries(client, focal_point_ma):
    corridor = Corridor.objects.create(origin_id="TN", destination_id="FR", notes="As it was.")
    client.force_login(focal_point_ma)
    url = reverse("admin:countries_corridor_change", args=[corridor.pk])
    assert client.get(url).status_code == 302  # outside the user's rows: answered as missing
    client.post(url, corridor_data("TN", "MA", notes="Taken over."))
    client.post(reverse("admin:countries_corridor_delete", args=[corridor.pk]), {"post": "yes"})
    corridor.refresh_from_db()
    assert (corridor.destination_id, corridor.notes) == ("FR", "As it was.")


def test_focal_point_lists_corridors_of_either_end(client, focal_point_ma):
    outward = Corridor.objects.create(origin_id="MA", destination_id="FR")
    inward = Corridor.objects.create(origin_id="TN", destination_id="MA")
    Corridor.objects.create(origin_id="TN", destination_id="FR")
    client.force_login(focal_point_ma)
    response = client.get(reverse("admin:countries_corridor_changelist"))
    assert {obj.pk for obj in response.context["cl"].result_list} == {outward.pk, inward.pk}


def test_corridor_refusal_is_in_the_users_language(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.post(
        reverse("admin:countries_corridor_add"), corridor_data("TN", "FR"), headers={"accept-language": "fr"}
    )
    assert "un de vos pays (MA)" in " ".join(form_errors(response)["__all__"])


# -- agreements --------------------------------------------------------------------------------------


def proposed_row(user):
    """The agreement a user's admin form proposed (nothing is published until a second person approves)."""
    submission = Submission.objects.get(submitter=user, source=Submission.Source.ADMIN_FORM)
    with submission.file.open("rb") as handle:
        (row,) = json.load(handle)["agreements"]
    return row


def test_focal_point_can_add_agreement_with_another_country(client, focal_point_ma, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(focal_point_ma)
    response = client.post(reverse("admin:countries_agreement_add"), agreement_data("ma-fr-new", ["MA", "FR"]))
    assert response.status_code == 302, form_errors(response)
    row = proposed_row(focal_point_ma)
    assert row["key"] == "ma-fr-new" and sorted(row["parties"]) == ["FR", "MA"]
    assert not Agreement.objects.filter(key="ma-fr-new").exists()


def test_focal_point_cannot_drop_own_country_from_agreement(client, focal_point_ma):
    agreement = AgreementFactory(parties=["MA", "DE"])
    client.force_login(focal_point_ma)
    url = reverse("admin:countries_agreement_change", args=[agreement.pk])
    response = client.post(url, agreement_data(agreement.key, ["TN", "DE"]))
    assert response.status_code == 200
    assert "parties" in form_errors(response)
    assert set(agreement.parties.values_list("code", flat=True)) == {"MA", "DE"}


def test_focal_point_editing_shared_agreement_keeps_the_other_partys_citations(
    client, focal_point_ma, hub_editor, settings, tmp_path
):
    """A hub editor linked France's intermediary and source to the Morocco–France agreement; Morocco's
    focal point cannot add such rows, but saving the agreement must not drop them, nor be refused."""
    ofii = ContactPointFactory(country_id="FR", key="fr-ofii")
    french_law = LegalSourceFactory(country_id="FR")
    agreement = AgreementFactory(parties=["MA", "FR"])
    agreement.intermediaries.set([ofii])
    agreement.legal_sources.set([french_law])
    settings.MEDIA_ROOT = tmp_path
    client.force_login(focal_point_ma)
    url = reverse("admin:countries_agreement_change", args=[agreement.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert ofii in form.fields["intermediaries"].queryset
    assert french_law in form.fields["legal_sources"].queryset
    # The browser sends them back only if the page shows them selected.
    assert f'<option value="{ofii.pk}" selected>' in page.text
    assert f'<option value="{french_law.pk}" selected>' in page.text
    response = client.post(
        url,
        agreement_data(
            agreement.key, ["MA", "FR"], title_en="Renamed", intermediaries=[ofii.pk], legal_sources=[french_law.pk]
        ),
    )
    assert response.status_code == 302, form_errors(response)
    row = proposed_row(focal_point_ma)  # the proposal keeps France's rows
    assert row["title"] == "Renamed" and row["intermediaries"] == [ofii.key] and row["sources"] == [french_law.key]
    agreement.refresh_from_db()
    assert agreement.title != "Renamed"
    assert list(agreement.intermediaries.all()) == [ofii]
    assert list(agreement.legal_sources.all()) == [french_law]
    # Another agreement of Morocco's is not offered France's rows.
    form = client.get(reverse("admin:countries_agreement_add")).context["adminform"].form
    assert ofii not in form.fields["intermediaries"].queryset
    assert french_law not in form.fields["legal_sources"].queryset


# -- legal sources -----------------------------------------------------------------------------------


def test_focal_point_cannot_create_international_source(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.post(reverse("admin:countries_legalsource_add"), source_data("ma-no-country"))
    assert response.status_code == 200
    assert "hub editor" in " ".join(form_errors(response)["country"])
    assert not LegalSource.objects.filter(key="ma-no-country").exists()


def test_international_source_refusal_is_in_the_users_language(client, focal_point_ma):
    client.force_login(focal_point_ma)
    response = client.post(
        reverse("admin:countries_legalsource_add"), source_data("ma-no-country"), headers={"accept-language": "fr"}
    )
    assert "éditeurs du hub" in " ".join(form_errors(response)["country"])


def test_focal_point_source_country_is_required_and_limited_to_own(client, focal_point_ma):
    client.force_login(focal_point_ma)
    field = client.get(reverse("admin:countries_legalsource_add")).context["adminform"].form.fields["country"]
    assert field.required
    assert [str(value) for value, _ in field.choices if value] == ["MA"]
    response = client.post(reverse("admin:countries_legalsource_add"), source_data("ma-in-tn", country="TN"))
    assert "country" in form_errors(response)
    response = client.post(reverse("admin:countries_legalsource_add"), source_data("ma-own", country="MA"))
    assert response.status_code == 302, form_errors(response)
    assert proposed(focal_point_ma, "sources")["country"] == "MA"
    assert not LegalSource.objects.filter(key="ma-own").exists()  # a proposal until approved


def test_focal_point_cannot_turn_own_source_international(client, focal_point_ma):
    source = LegalSourceFactory(country_id="MA")
    client.force_login(focal_point_ma)
    response = client.post(
        reverse("admin:countries_legalsource_change", args=[source.pk]), source_data(source.key, title=source.title)
    )
    assert response.status_code == 200
    assert "country" in form_errors(response)
    source.refresh_from_db()
    assert source.country_id == "MA"


def test_focal_points_sources_are_not_offered_to_other_countries(client, focal_point_ma):
    client.force_login(focal_point_ma)
    client.post(reverse("admin:countries_legalsource_add"), source_data("ma-attempt"))
    client.post(reverse("admin:countries_legalsource_add"), source_data("ma-law", country="MA"))
    focal_point_tn = UserFactory(role="focal_point", countries=["TN"])
    client.force_login(focal_point_tn)
    for url in (reverse("admin:permits_permitcategory_add"), reverse("admin:countries_agreement_add")):
        offered = client.get(url).context["adminform"].form.fields["legal_sources"].queryset
        assert not offered.filter(key__in=["ma-attempt", "ma-law"]).exists()


def test_focal_point_sees_international_sources_read_only(client, focal_point_ma):
    international = LegalSourceFactory(country_id=None, title="ILO Convention 181")
    moroccan = LegalSourceFactory(country_id="MA")
    LegalSourceFactory(country_id="TN")
    client.force_login(focal_point_ma)
    response = client.get(reverse("admin:countries_legalsource_changelist"))
    assert {obj.pk for obj in response.context["cl"].result_list} == {international.pk, moroccan.pk}
    url = reverse("admin:countries_legalsource_change", args=[international.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    client.post(url, source_data(international.key, title="Changed by Morocco"))
    response = client.post(reverse("admin:countries_legalsource_delete", args=[international.pk]), {"post": "yes"})
    assert response.status_code == 403
    international.refresh_from_db()
    assert (international.title, international.country_id) == ("ILO Convention 181", None)


def test_a_hub_editor_alone_changes_no_international_source(client, hub_editor):
    """A row of no country cannot be proposed (a proposal is filed under a country): it is read only,
    and a new one is refused, unless HUB_EDITORS_PUBLISH_OWN_EDITS lets a hub editor publish alone."""
    international = LegalSourceFactory(country_id=None, title="ILO Convention 181")
    client.force_login(hub_editor)
    response = client.post(
        reverse("admin:countries_legalsource_add"), source_data("ilo-c181", title="ILO C181"), follow=True
    )
    assert not LegalSource.objects.filter(key="ilo-c181").exists()
    assert any("cannot be proposed" in str(message) for message in response.context["messages"])
    url = reverse("admin:countries_legalsource_change", args=[international.pk])
    assert client.get(url).context["has_change_permission"] is False  # shown read only
    client.post(url, source_data(international.key, title="Changed alone"))
    client.post(reverse("admin:countries_legalsource_delete", args=[international.pk]), {"post": "yes"})
    international.refresh_from_db()
    assert international.title == "ILO Convention 181"


def test_hub_editor_keeps_international_sources_when_allowed_to_publish_alone(client, hub_editor, settings):
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True
    client.force_login(hub_editor)
    field = client.get(reverse("admin:countries_legalsource_add")).context["adminform"].form.fields["country"]
    assert not field.required
    response = client.post(reverse("admin:countries_legalsource_add"), source_data("ilo-c181", title="ILO C181"))
    assert response.status_code == 302, form_errors(response)
    source = LegalSource.objects.get(key="ilo-c181")
    assert source.country_id is None
    url = reverse("admin:countries_legalsource_change", args=[source.pk])
    response = client.post(url, source_data("ilo-c181", title="ILO Convention 181"))
    assert response.status_code == 302, form_errors(response)
    source.refresh_from_db()
    assert source.title == "ILO Convention 181"
    client.post(reverse("admin:countries_legalsource_delete", args=[source.pk]), {"post": "yes"})
    assert not LegalSource.objects.filter(key="ilo-c181").exists()


def test_reference_data_is_read_only_unless_a_hub_editor_may_publish_alone(client, hub_editor, settings):
    client.force_login(hub_editor)
    for name, args in (
        ("admin:countries_country_change", ["MA"]),
        ("admin:countries_sector_change", ["A"]),
        ("admin:permits_iscogroup_change", ["2221"]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200 and response.context["has_change_permission"] is False, name
    assert client.get(reverse("admin:countries_country_add")).status_code == 403
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True
    assert client.get(reverse("admin:countries_country_change", args=["MA"])).context["has_change_permission"]


def test_hub_editor_can_propose_a_corridor_between_any_countries(client, hub_editor):
    client.force_login(hub_editor)
    response = client.post(reverse("admin:countries_corridor_add"), corridor_data("TN", "FR"))
    assert response.status_code == 302, form_errors(response)
    row = proposed(hub_editor, "corridors")
    assert (row["origin"], row["destination"]) == ("TN", "FR")


def test_nobody_bulk_deletes_sources(client, focal_point_ma, hub_editor):
    """A country's source is cited by published rows and the common format has no withdrawal of one:
    no bulk delete, not even by a hub editor (an international one is deleted on its own page)."""
    international = LegalSourceFactory(country_id=None)
    moroccan = LegalSourceFactory(country_id="MA")
    bulk_delete = {"action": "delete_selected", "_selected_action": [international.pk, moroccan.pk], "post": "yes"}
    for user in (focal_point_ma, hub_editor):
        client.force_login(user)
        client.post(reverse("admin:countries_legalsource_changelist"), bulk_delete)
        assert LegalSource.objects.filter(pk__in=[international.pk, moroccan.pk]).count() == 2
    delete = reverse("admin:countries_legalsource_delete", args=[moroccan.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
