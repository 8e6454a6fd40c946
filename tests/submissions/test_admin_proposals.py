"""One reviewed path for every change: an admin form's add, change, delete, bulk delete or status change
is a proposal that publishes nothing until a second person approves, as an upload, an API submission
and a feed pull are; a row shared by several countries needs a hub editor; a proposal and an upload
of the same row conflict visibly."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.fields import PublicationStatus
from core.models import ObjectChange
from countries.models import Agreement, ContactPoint, Corridor, Country, LegalSource
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency
from recruiters.selectors import licence_check_get
from submissions import fetching, services
from submissions.format import FORMAT_VERSION
from submissions.models import FeedSource, Submission
from tests.factories import UserFactory
from tests.submissions.admin_forms import change_form_data
from tests.submissions.conftest import json_bytes

pytestmark = pytest.mark.django_db

PERMIT = "ma-work-contract-visa"
LICENCE = "EXAMPLE-MA-0001"
# An example agency of Morocco (the demo data holds real register entries only).
AGENCY = {
    "legal_name": "Example authorised private recruitment agency (Casablanca)",
    "licence_number": LICENCE,
    "status": "active",
    "is_example": True,
    "sources": ["ma-ilo-ceacr-c181-2020"],
    "last_confirmed": "2026-11-25",
}
SHARED = "ma-tn-social-security-2015"  # Morocco–Tunisia: Tunisia shares the row
OTHER_SHARED = "ma-tn-establishment-convention-1964"


def _demo(name):
    with open(settings.BASE_DIR / "demo_data" / name, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture
def morocco(db, media_root):
    """Morocco's demo permit, agency and regime, and the two Morocco–Tunisia agreements, published."""
    ma, origins = _demo("MA.json"), _demo("agreements_origins.json")
    services.document_import(
        document={
            "format_version": FORMAT_VERSION,
            "country": "MA",
            "sources": ma["sources"] + origins["sources"],
            "contacts": ma["contacts"],
            "permits": ma["permits"],
            "recruitment_regime": ma["recruitment_regime"],
            "agencies": [AGENCY],
        },
        reason="test data",
    )
    agreements = [row for row in origins["agreements"] if row["key"] in (SHARED, OTHER_SHARED)]
    services.document_import(document={"format_version": FORMAT_VERSION, "agreements": agreements}, reason="test data")


@pytest.fixture
def second_editor(db):
    return UserFactory(role="hub_editor")


def version(code="MA"):
    return Country.objects.get(pk=code).data_version


def proposal():
    return Submission.objects.get(source=Submission.Source.ADMIN_FORM)


def approve(submission, reviewer, capture):
    with capture(execute=True):
        services.submission_approve(submission=submission, reviewer=reviewer)
    submission.refresh_from_db()
    return submission


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def post_change(client, obj, capture, **changes):
    """Post `obj`'s admin change form as shown, with `changes`."""
    url = change_url(obj)
    data = change_form_data(client.get(url), **changes)
    with capture(execute=True):
        return client.post(url, data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_admin_change_publishes_nothing_until_a_second_person_approves(
    client, focal_point_ma, hub_editor, morocco, django_capture_on_commit_callbacks
):
    permit = PermitCategory.objects.get(code=PERMIT)
    before, name = version(), permit.name
    client.force_login(focal_point_ma)
    response = post_change(client, permit, django_capture_on_commit_callbacks, name_en="Renamed by Morocco")
    submission = proposal()
    assert response.redirect_chain[-1][0] == reverse("admin:submissions_submission_change", args=[submission.pk])
    (message,) = messages_of(response)
    assert "awaits a second person" in message and f"/admin/submissions/submission/{submission.pk}/change/" in message
    permit.refresh_from_db()
    assert permit.name == name and version() == before  # nothing published
    assert submission.submitter == focal_point_ma and submission.status == Submission.Status.READY_FOR_REVIEW
    assert [(entry.kind, entry.key, list(entry.data["fields"])) for entry in submission.diff_entries.all()] == [
        ("changed", PERMIT, ["name"])
    ]
    submission = approve(submission, hub_editor, django_capture_on_commit_callbacks)
    assert submission.status == Submission.Status.PUBLISHED
    permit.refresh_from_db()
    assert permit.name == "Renamed by Morocco" and version() == before + 1  # one bump
    changes = ObjectChange.objects.filter(
        object_id=str(permit.pk), action="update", reason__startswith=f"submission {submission.pk}:"
    )
    assert changes and all(
        change.user == hub_editor and focal_point_ma.username in change.reason for change in changes
    )  # both people


def test_admin_add_is_not_public_until_approved(
    client, focal_point_ma, hub_editor, morocco, django_capture_on_commit_callbacks
):
    permit = PermitCategory.objects.get(code=PERMIT)
    client.force_login(focal_point_ma)
    data = change_form_data(client.get(change_url(permit)), code="ma-new-permit", name_en="A new permit")
    for prefix in ("salary_thresholds", "language_requirements", "documents", "fees"):
        data = {key: value for key, value in data.items() if not key.startswith(f"{prefix}-")}
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:permits_permitcategory_add"), data, follow=True)
    assert "awaits a second person" in messages_of(response)[0]
    assert not PermitCategory.objects.filter(code="ma-new-permit").exists()
    assert client.get("/api/v1/permits/?country=MA").json()["count"] == 1
    submission = approve(proposal(), hub_editor, django_capture_on_commit_callbacks)
    assert submission.status == Submission.Status.PUBLISHED, submission.report
    new = PermitCategory.objects.get(code="ma-new-permit")
    assert new.publication_status == PublicationStatus.PUBLISHED and new.name == "A new permit"


def test_focal_point_cannot_publish_by_choosing_the_status(client, focal_point_ma, morocco):
    client.force_login(focal_point_ma)
    form = client.get(reverse("admin:permits_permitcategory_add")).context["adminform"].form
    assert "publication_status" not in form.fields  # publication is the review's decision
    permit = PermitCategory.objects.get(code=PERMIT)
    form = client.get(change_url(permit)).context["adminform"].form
    assert "code" not in form.fields and "publication_status" not in form.fields  # the key names the row


def test_licence_revocation_is_a_proposal(
    client, focal_point_ma, hub_editor, morocco, django_capture_on_commit_callbacks
):
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    client.force_login(focal_point_ma)
    response = post_change(client, agency, django_capture_on_commit_callbacks, status="revoked")
    assert "awaits a second person" in messages_of(response)[0]
    today = timezone.localdate()
    morocco_country = Country.objects.get(pk="MA")
    assert licence_check_get(country=morocco_country, licence_number=LICENCE, today=today).outcome != "revoked"
    approve(proposal(), hub_editor, django_capture_on_commit_callbacks)
    agency.refresh_from_db()
    assert agency.status == "revoked"


def test_admin_delete_proposes_a_withdrawal(
    client, focal_point_ma, hub_editor, morocco, django_capture_on_commit_callbacks
):
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    client.force_login(focal_point_ma)
    url = reverse("admin:recruiters_recruitmentagency_delete", args=[agency.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"}, follow=True)
    assert "awaits a second person" in messages_of(response)[0]
    agency.refresh_from_db()
    assert agency.publication_status == PublicationStatus.PUBLISHED
    submission = proposal()
    assert submission.withdrawals == {"agencies": [f"MA:{LICENCE}"]}
    assert [(entry.kind, entry.key) for entry in submission.diff_entries.all()] == [("withdrawn", f"MA:{LICENCE}")]
    approve(submission, hub_editor, django_capture_on_commit_callbacks)
    agency.refresh_from_db()
    assert agency.publication_status == PublicationStatus.ARCHIVED


def test_bulk_delete_is_one_proposal_and_the_plain_delete_action_is_gone(
    client, focal_point_ma, hub_editor, morocco, django_capture_on_commit_callbacks
):
    agreements = Agreement.objects.filter(key__in=[SHARED, OTHER_SHARED])
    client.force_login(focal_point_ma)
    changelist = reverse("admin:countries_agreement_changelist")
    actions = [value for value, _label in client.get(changelist).context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions and "propose_withdrawal" in actions
    data = {"action": "propose_withdrawal", "_selected_action": [str(obj.pk) for obj in agreements]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, data, follow=True)
    assert "awaits a second person" in messages_of(response)[-1]
    assert agreements.filter(publication_status=PublicationStatus.PUBLISHED).count() == 2
    submission = proposal()
    assert sorted(entry.key for entry in submission.diff_entries.all()) == sorted([SHARED, OTHER_SHARED])
    before = version()
    approve(submission, hub_editor, django_capture_on_commit_callbacks)
    assert agreements.filter(publication_status=PublicationStatus.ARCHIVED).count() == 2
    assert version() == before + 1 and version("TN") > 0


def test_shared_agreement_withdrawal_by_morocco_needs_a_hub_editor(
    client, focal_point_ma, hub_editor, morocco, django_capture_on_commit_callbacks
):
    agreement = Agreement.objects.get(key=SHARED)
    client.force_login(focal_point_ma)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:countries_agreement_delete", args=[agreement.pk]), {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = proposal()
    another_moroccan = UserFactory(role="focal_point", countries=["MA"])
    tunisian = UserFactory(role="focal_point", countries=["TN"])
    for reviewer in (focal_point_ma, another_moroccan, tunisian):
        with pytest.raises(services.SubmissionError):
            services.submission_approve(submission=submission, reviewer=reviewer)
    agreement.refresh_from_db()
    assert agreement.publication_status == PublicationStatus.PUBLISHED
    approve(submission, hub_editor, django_capture_on_commit_callbacks)
    agreement.refresh_from_db()
    assert agreement.publication_status == PublicationStatus.ARCHIVED


def test_hub_editors_edit_is_a_proposal_that_another_person_approves(
    client, hub_editor, second_editor, morocco, django_capture_on_commit_callbacks
):
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    client.force_login(hub_editor)
    post_change(client, agency, django_capture_on_commit_callbacks, status="suspended")
    agency.refresh_from_db()
    assert agency.status == "active"
    submission = proposal()
    with pytest.raises(services.SubmissionError, match="cannot review your own submission"):
        services.submission_approve(submission=submission, reviewer=hub_editor)
    approve(submission, second_editor, django_capture_on_commit_callbacks)
    agency.refresh_from_db()
    assert agency.status == "suspended"


@pytest.mark.parametrize("superuser", [False, True])
def test_setting_lets_hub_editors_publish_their_own_edits(
    client, settings, hub_editor, focal_point_ma, morocco, django_capture_on_commit_callbacks, superuser
):
    settings.HUB_EDITORS_PUBLISH_OWN_EDITS = True
    editor = UserFactory(is_superuser=True) if superuser else hub_editor
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    client.force_login(editor)
    post_change(client, agency, django_capture_on_commit_callbacks, status="suspended")
    agency.refresh_from_db()
    assert agency.status == "suspended" and not Submission.objects.exists()
    client.force_login(focal_point_ma)  # a focal point's edits stay proposals
    post_change(client, agency, django_capture_on_commit_callbacks, status="active")
    agency.refresh_from_db()
    assert agency.status == "suspended" and proposal().submitter == focal_point_ma


def test_upload_api_and_feed_publish_nothing_until_approved(
    focal_point_ma, hub_editor, morocco, submit, monkeypatch, django_capture_on_commit_callbacks
):
    agencies = [{**AGENCY, "status": "suspended"}]
    document = {"format_version": FORMAT_VERSION, "country": "MA", "agencies": agencies}
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    # An upload in the admin (or the API: the same service) and a feed pull.
    uploaded = submit(focal_point_ma, json_bytes(document))
    from tests.submissions.test_api import client_for

    with django_capture_on_commit_callbacks(execute=True):
        api = client_for(focal_point_ma).post(
            "/api/v1/submissions/",
            {"file": SimpleUploadedFile("a.json", json_bytes(document)), "country": "MA"},
            format="multipart",
        )
    assert api.status_code == 202
    body = json_bytes(document)
    monkeypatch.setattr(fetching, "fetch", lambda url, **kwargs: fetching.Fetched(200, body, "", ""))
    feed = FeedSource.objects.create(country_id="MA", url="https://feeds.example.org/ma.json", submitter=focal_point_ma)
    with django_capture_on_commit_callbacks(execute=True):
        pulled = services.feed_pull(feed=feed)
    for submission in Submission.objects.filter(pk__in=[uploaded.pk, api.json()["id"], pulled.pk]):
        assert submission.status == Submission.Status.READY_FOR_REVIEW
    agency.refresh_from_db()
    assert agency.status == "active"  # none of the three published anything
    with pytest.raises(services.SubmissionError):
        services.submission_approve(submission=pulled, reviewer=focal_point_ma)
    approve(pulled, hub_editor, django_capture_on_commit_callbacks)
    agency.refresh_from_db()
    assert agency.status == "suspended"


def test_proposal_and_upload_of_the_same_row_conflict_visibly(
    client, focal_point_ma, hub_editor, morocco, submit, django_capture_on_commit_callbacks
):
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    client.force_login(focal_point_ma)
    post_change(client, agency, django_capture_on_commit_callbacks, status="revoked")
    proposed = proposal()
    upload = {
        "format_version": FORMAT_VERSION,
        "country": "MA",
        "agencies": [{**AGENCY, "legal_name": "Renamed"}],
    }
    uploaded = submit(focal_point_ma, json_bytes(upload))
    assert uploaded.status == Submission.Status.READY_FOR_REVIEW
    approve(uploaded, hub_editor, django_capture_on_commit_callbacks)  # the upload is published first
    with pytest.raises(services.SubmissionError, match=f"MA:{LICENCE} \\(agencies\\) changed after it was checked"):
        services.submission_approve(submission=proposed, reviewer=hub_editor)
    proposed.refresh_from_db()
    agency.refresh_from_db()
    assert proposed.status == Submission.Status.READY_FOR_REVIEW  # refused, not silently published
    assert agency.legal_name == "Renamed" and agency.status == "active"


def test_upload_approved_after_a_proposal_of_the_same_row_is_refused(
    client, focal_point_ma, hub_editor, morocco, submit, django_capture_on_commit_callbacks
):
    upload = {
        "format_version": FORMAT_VERSION,
        "country": "MA",
        "agencies": [{**AGENCY, "legal_name": "Renamed"}],
    }
    uploaded = submit(focal_point_ma, json_bytes(upload))
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    client.force_login(focal_point_ma)
    post_change(client, agency, django_capture_on_commit_callbacks, status="revoked")
    approve(proposal(), hub_editor, django_capture_on_commit_callbacks)
    client.force_login(hub_editor)
    page = client.post(
        reverse("admin:submissions_submission_review", args=[uploaded.pk]), {"approve": "1"}, follow=True
    )
    assert any("changed after it was checked" in message for message in messages_of(page))
    agency.refresh_from_db()
    assert agency.status == "revoked" and agency.legal_name != "Renamed"


def test_confirm_as_still_correct_sets_last_verified_only(client, focal_point_ma, morocco, django_assert_num_queries):
    agreements = Agreement.objects.filter(key__in=[SHARED, OTHER_SHARED])
    agreements.update(last_verified=datetime.date(2024, 1, 1))
    stamps = dict(agreements.values_list("pk", "last_updated"))
    before = version()
    client.force_login(focal_point_ma)
    data = {"action": "confirm_still_correct", "_selected_action": [str(obj.pk) for obj in agreements]}
    response = client.post(reverse("admin:countries_agreement_changelist"), data, follow=True)
    assert "Confirmed 2 rows" in messages_of(response)[-1]
    today = timezone.localdate()
    assert set(agreements.values_list("last_verified", flat=True)) == {today}
    assert dict(agreements.values_list("pk", "last_updated")) == stamps  # no fact changed
    assert version() == before + 1 and not Submission.objects.exists()
    logged = ObjectChange.objects.filter(content_type__model="agreement", action="update", user=focal_point_ma)
    assert sorted(change.changes["last_verified"][1] for change in logged) == [today.isoformat()] * 2


@pytest.mark.parametrize("rows", [1, 2])
def test_confirm_as_still_correct_costs_the_same_queries_for_any_selection(
    focal_point_ma, morocco, django_assert_num_queries, rows
):
    from core.changelog import change_context
    from submissions.proposals import rows_confirm_still_correct

    keys = [SHARED, OTHER_SHARED][:rows]
    Agreement.objects.filter(key__in=keys).update(last_verified=datetime.date(2024, 1, 1))
    # select + prefetch of the parties, update, the change log and its countries, the version bump
    with change_context(user=focal_point_ma), django_assert_num_queries(8):
        assert rows_confirm_still_correct(queryset=Agreement.objects.filter(key__in=keys)) == rows


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_proposal_works_in_every_language_of_the_admin(
    client, focal_point_ma, morocco, django_capture_on_commit_callbacks, language
):
    agency = RecruitmentAgency.objects.get(licence_number=LICENCE)
    client.force_login(focal_point_ma)
    url = change_url(agency)
    data = change_form_data(client.get(url, HTTP_ACCEPT_LANGUAGE=language), status="suspended")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    submission = proposal()
    assert response.status_code == 302 and response.url.endswith(f"/submission/{submission.pk}/change/")
    assert submission.language == language and submission.status == Submission.Status.READY_FOR_REVIEW
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200 and page.headers["Content-Language"] == language


# The reference rows the published ones cite: a legal source, a contact point.

SOURCE = "ma-code-travail-512-515"
CONTACT = "ma-ministry-employment"


@pytest.mark.parametrize(
    ("model", "key", "field", "value"),
    [
        (LegalSource, SOURCE, "article", "Art. 512 to 515 (checked again)"),
        (ContactPoint, CONTACT, "phone", "+212 5 00 00 00 00"),
    ],
)
def test_an_admin_edit_of_a_source_or_contact_is_a_proposal_too(
    client, focal_point_ma, hub_editor, morocco, django_capture_on_commit_callbacks, model, key, field, value
):
    obj = model.objects.get(key=key)
    before, version_before = getattr(obj, field), version()
    client.force_login(focal_point_ma)
    response = post_change(client, obj, django_capture_on_commit_callbacks, **{field: value})
    assert "awaits a second person" in messages_of(response)[0]
    obj.refresh_from_db()
    assert getattr(obj, field) == before and version() == version_before  # nothing changed yet
    submission = proposal()
    assert submission.status == Submission.Status.READY_FOR_REVIEW, submission.report
    assert [(entry.kind, entry.key) for entry in submission.diff_entries.all()] == [("changed", key)]
    submission = approve(submission, hub_editor, django_capture_on_commit_callbacks)
    assert submission.status == Submission.Status.PUBLISHED, submission.report
    obj.refresh_from_db()
    assert getattr(obj, field) == value and version() == version_before + 1


def test_a_hub_editor_edit_of_a_source_is_a_proposal_and_nobody_deletes_a_cited_source_alone(
    client, hub_editor, second_editor, morocco, django_capture_on_commit_callbacks
):
    source = LegalSource.objects.get(key=SOURCE)
    client.force_login(hub_editor)
    post_change(client, source, django_capture_on_commit_callbacks, article="Art. 512")
    source.refresh_from_db()
    assert source.article != "Art. 512"
    delete = reverse("admin:countries_legalsource_delete", args=[source.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert LegalSource.objects.filter(key=SOURCE).exists()
    submission = approve(proposal(), second_editor, django_capture_on_commit_callbacks)
    assert submission.status == Submission.Status.PUBLISHED, submission.report
    source.refresh_from_db()
    assert source.article == "Art. 512"


def test_a_focal_point_cannot_propose_a_source_of_another_country(
    client, focal_point_ma, morocco, django_capture_on_commit_callbacks
):
    source = LegalSource.objects.get(key=SOURCE)
    client.force_login(focal_point_ma)
    post_change(client, source, django_capture_on_commit_callbacks, country="FR")
    source.refresh_from_db()
    assert source.country_id == "MA"
    assert not Submission.objects.filter(status=Submission.Status.READY_FOR_REVIEW).exists()


def test_a_corridors_notes_change_once_a_second_person_approves(
    client, focal_point_ma, hub_editor, django_capture_on_commit_callbacks
):
    corridor = Corridor.objects.create(origin_id="TN", destination_id="MA")
    client.force_login(focal_point_ma)
    url = reverse("admin:countries_corridor_change", args=[corridor.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"origin": "TN", "destination": "MA", "notes_en": "Seasonal work in agriculture."})
    assert response.status_code == 302, response.content[:300]
    corridor.refresh_from_db()
    assert corridor.notes == ""  # nothing published yet
    submission = Submission.objects.get(submitter=focal_point_ma)
    assert submission.status == Submission.Status.READY_FOR_REVIEW, submission.report
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission=submission, reviewer=hub_editor)
    corridor.refresh_from_db()
    assert (corridor.origin_id, corridor.destination_id, corridor.notes) == (
        "TN",
        "MA",
        "Seasonal work in agriculture.",
    )
    page = client.get(reverse("countries:corridor", kwargs={"origin": "TN", "destination": "MA"}))
    assert "Seasonal work in agriculture." in page.content.decode()
