"""Readers' reports of wrong facts: filed under the fact's countries, seen in the admin and digests
only by those countries' focal points (and hub editors), closed with the reporter's email erased."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from core.fields import PublicationStatus
from submissions import reports, services
from submissions.models import Report
from tests.factories import AgreementFactory, PermitCategoryFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 2)
CHANGELIST = "admin:submissions_report_changelist"
# Session, user, permissions (2), memberships, the country filter, counts (2), the page, its countries, dates (2).
QUERIES = 12


@pytest.fixture(autouse=True)
def empty_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def focal_points(db):
    return {
        code: UserFactory(role="focal_point", countries=[code], email=f"{code.lower()}@example.org")
        for code in ("DE", "MA", "TN")
    }


@pytest.fixture
def german_permit(db):
    return PermitCategoryFactory(country_id="DE", code="de-skilled", publication_status=PublicationStatus.PUBLISHED)


def send_from_page(client, fact, language, message="The fee is wrong", **extra):
    """Send a report as a visitor does, from the fact's page in `language`."""
    with translation.override(language):
        url = reverse("guidance:report")
    query = f"?fact={fact._meta.label_lower}&key={fact.pk}&page=/{language}/"
    response = client.post(url + query, {"message": message, **extra})
    assert response.status_code == 302, response.content.decode()[:500]
    return Report.objects.latest("pk")


def listed(client, user):
    client.force_login(user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    return [report.pk for report in response.context["cl"].result_list]


def test_a_report_from_a_permit_page_in_arabic_reaches_only_that_countrys_focal_point(
    client, focal_points, hub_editor, german_permit
):
    report = send_from_page(client, german_permit, "ar", message="رسوم التأشيرة تغيرت", email="reader@example.org")
    assert sorted(c.pk for c in report.countries.all()) == ["DE"] and report.language == "ar"

    assert listed(client, focal_points["DE"]) == [report.pk]
    assert listed(client, hub_editor) == [report.pk]
    for code in ("MA", "TN"):
        assert listed(client, focal_points[code]) == []
        response = client.get(reverse("admin:submissions_report_change", args=[report.pk]))
        assert response.status_code == 302 and response.url == reverse("admin:index")

    assert services.digests_send(today=TODAY) == 1  # only the German focal point has something waiting
    (message,) = mail.outbox
    assert message.to == ["de@example.org"]
    assert f"Report #{report.pk} (DE, new): a reader says a fact of {report.object_repr} is wrong" in message.body


def test_a_report_on_an_agreement_reaches_each_partys_focal_point(client, focal_points):
    agreement = AgreementFactory(parties=["MA", "DE"], publication_status=PublicationStatus.PUBLISHED)
    report = send_from_page(client, agreement, "fr", message="La date d’entrée en vigueur est fausse")
    assert sorted(c.pk for c in report.countries.all()) == ["DE", "MA"]
    assert listed(client, focal_points["MA"]) == [report.pk] == listed(client, focal_points["DE"])
    assert listed(client, focal_points["TN"]) == []
    services.digests_send(today=TODAY)
    assert sorted(message.to[0] for message in mail.outbox) == ["de@example.org", "ma@example.org"]


def test_the_admin_row_links_to_the_facts_admin_page(client, focal_points, german_permit):
    report = send_from_page(client, german_permit, "en")
    client.force_login(focal_points["DE"])
    page = client.get(reverse("admin:submissions_report_change", args=[report.pk])).content.decode()
    assert reverse("admin:permits_permitcategory_change", args=[german_permit.pk]) in page


def test_closing_a_report_in_the_admin_erases_the_email_and_records_the_submission(
    client, focal_points, german_permit, submit
):
    report = send_from_page(client, german_permit, "de", email="leser@example.org")
    assert report.email == "leser@example.org"
    proposal = submit(focal_points["DE"], b"{}", country="DE")
    client.force_login(focal_points["DE"])
    change = reverse("admin:submissions_report_change", args=[report.pk])
    assert client.post(change, {"status": "checked", "submission": proposal.pk}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.email, report.submission_id) == ("checked", "leser@example.org", proposal.pk)

    assert client.post(change, {"status": "fixed", "submission": proposal.pk}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.email, report.submission_id) == ("fixed", "", proposal.pk)
    assert report.closed_at is not None
    services.digests_send(today=TODAY)
    assert not any(f"Report #{report.pk}" in message.body for message in mail.outbox)  # closed: not listed


def test_a_focal_point_cannot_close_another_countrys_report(client, focal_points, german_permit):
    report = send_from_page(client, german_permit, "en", email="reader@example.org")
    client.force_login(focal_points["MA"])
    client.post(reverse("admin:submissions_report_change", args=[report.pk]), {"status": "rejected"})
    report.refresh_from_db()
    assert (report.status, report.email) == ("new", "reader@example.org")


def test_report_close_refuses_an_open_status_and_erases_the_email(german_permit):
    report = reports.report_create(fact=german_permit, message="Wrong", email="reader@example.org")
    with pytest.raises(ValueError):
        reports.report_close(report=report, status=Report.Status.CHECKED)
    closed = reports.report_close(report=report, status=Report.Status.REJECTED)
    assert (closed.status, closed.email) == ("rejected", "")
    assert Report.objects.get(pk=report.pk).email == ""


def test_reports_are_not_written_to_the_public_change_log(german_permit):
    from core.models import ObjectChange

    before = ObjectChange.objects.count()
    reports.report_create(fact=german_permit, message="Wrong", email="reader@example.org")
    assert ObjectChange.objects.count() == before  # the change log would keep the email for ever


def test_the_admin_list_makes_the_same_queries_for_few_and_many_reports(
    client, focal_points, german_permit, django_assert_num_queries
):
    agreement = AgreementFactory(parties=["MA", "DE"], publication_status=PublicationStatus.PUBLISHED)
    client.force_login(focal_points["DE"])
    url = reverse(CHANGELIST)
    for count in (2, 8):
        while Report.objects.count() < count:
            reports.report_create(fact=german_permit, message="Wrong fee")
            reports.report_create(fact=agreement, message="Wrong date")
        with django_assert_num_queries(QUERIES):
            response = client.get(url)
        assert len(response.context["cl"].result_list) == count
