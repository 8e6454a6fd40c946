"""A file that would withdraw more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT of a table is held until the
submitter and the reviewer both confirm it: in the pipeline, the API and the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from recruiters.models import RecruitmentAgency
from submissions import services, spreadsheets
from submissions.models import Submission
from tests.submissions.conftest import agency, diff_of, json_bytes

pytestmark = pytest.mark.django_db

FIVE = [agency(licence_number=f"EXAMPLE-MA-{number}", legal_name=f"Agency {number}") for number in range(5)]


@pytest.fixture
def five_published(focal_point_ma, hub_editor, submit):
    first = submit(focal_point_ma, json_bytes({"agencies": FIVE}))
    services.submission_approve(submission=first, reviewer=hub_editor)
    services.submission_publish(submission_id=first.pk)
    assert RecruitmentAgency.objects.published().filter(country="MA").count() == 5


def header_only_csv():
    return spreadsheets.template_csv("agencies").splitlines()[0] + b"\n"


def published_count():
    return RecruitmentAgency.objects.published().filter(country="MA").count()


def test_header_only_csv_that_withdraws_everything_is_held(five_published, focal_point_ma, hub_editor, submit):
    held = submit(focal_point_ma, header_only_csv())
    assert held.status == Submission.Status.INVALID and held.report["rows"] == 0
    assert held.report["withdrawal_hold"] == [
        {"sheet": "agencies", "country": "MA", "withdrawn": 5, "published": 5, "percent": 100}
    ]
    (error,) = held.report["errors"]
    assert error["field"] == "confirm_withdrawal"
    assert error["message"].startswith(
        "Held: this file would withdraw 5 of the 5 published rows of agencies of MA (100 %, more than 20 %)"
    )
    assert len(diff_of(held)["withdrawn"]) == 5  # what would go is shown
    with pytest.raises(services.SubmissionError, match="ready for review"):
        services.submission_approve(submission=held, reviewer=hub_editor, confirm_withdrawal=True)
    assert published_count() == 5


def test_confirmed_by_both_the_withdrawal_is_published(five_published, focal_point_ma, hub_editor, submit):
    confirmed = submit(focal_point_ma, header_only_csv(), confirm_withdrawal=True)
    assert confirmed.status == Submission.Status.READY_FOR_REVIEW and confirmed.withdrawal_confirmed
    assert "The submitter confirmed it; the reviewer must confirm it too." in confirmed.report["warnings"][0]
    with pytest.raises(services.SubmissionError, match="confirm that you mean to withdraw them"):
        services.submission_approve(submission=confirmed, reviewer=hub_editor)
    assert Submission.objects.get(pk=confirmed.pk).status == Submission.Status.READY_FOR_REVIEW

    services.submission_approve(submission=confirmed, reviewer=hub_editor, confirm_withdrawal=True)
    assert services.submission_publish(submission_id=confirmed.pk).status == Submission.Status.PUBLISHED
    assert published_count() == 0


def test_withdrawing_up_to_the_share_is_not_held(five_published, focal_point_ma, submit):
    one_less = submit(focal_point_ma, json_bytes({"agencies": FIVE[1:]}))  # 1 of 5: 20 %, not more
    assert one_less.status == Submission.Status.READY_FOR_REVIEW
    assert "withdrawal_hold" not in one_less.report
    two_less = submit(focal_point_ma, json_bytes({"agencies": FIVE[2:]}))  # 40 %
    assert two_less.status == Submission.Status.INVALID
    assert two_less.report["withdrawal_hold"][0]["percent"] == 40


def test_the_share_is_a_setting(five_published, focal_point_ma, submit, settings):
    settings.SUBMISSION_WITHDRAWAL_HOLD_PERCENT = 50
    assert submit(focal_point_ma, json_bytes({"agencies": FIVE[2:]})).status == Submission.Status.READY_FOR_REVIEW


def test_a_first_file_withdraws_nothing_and_is_not_held(focal_point_ma, submit):
    assert submit(focal_point_ma, header_only_csv()).status == Submission.Status.READY_FOR_REVIEW


def api_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_the_api_takes_both_confirmations(
    five_published, focal_point_ma, hub_editor, media_root, django_capture_on_commit_callbacks
):
    focal_point, editor = api_client(focal_point_ma), api_client(hub_editor)

    def upload(**extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = focal_point.post(
                "/api/v1/submissions/",
                {"file": SimpleUploadedFile("agencies.csv", header_only_csv()), "country": "MA", **extra},
                format="multipart",
            )
        assert response.status_code == 202
        return focal_point.get(response.json()["url"]).json()

    held = upload()
    assert held["status"] == "invalid" and held["withdrawal_confirmed"] is False
    assert held["report"]["withdrawal_hold"][0]["withdrawn"] == 5

    confirmed = upload(confirm_withdrawal="true")
    assert confirmed["status"] == "ready_for_review" and confirmed["withdrawal_confirmed"] is True
    approve = f"/api/v1/submissions/{confirmed['id']}/approve/"
    refused = editor.post(approve, {"reason": "checked"}, format="json")
    assert refused.status_code == 409 and "confirm that you mean to withdraw" in refused.json()["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        approved = editor.post(approve, {"reason": "checked", "confirm_withdrawal": True}, format="json")
    assert approved.status_code == 200
    assert Submission.objects.get(pk=confirmed["id"]).status == Submission.Status.PUBLISHED
    assert published_count() == 0


def test_the_admin_asks_both_people(
    client, five_published, focal_point_ma, hub_editor, media_root, django_capture_on_commit_callbacks
):
    client.force_login(focal_point_ma)
    assert "I mean to withdraw these rows" in client.get("/admin/submissions/submission/add/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/submissions/submission/add/",
            {
                "country": "MA",
                "file": SimpleUploadedFile("agencies.csv", header_only_csv()),
                "withdrawal_confirmed": "on",
            },
        )
    assert response.status_code == 302
    submission = Submission.objects.latest("pk")
    assert submission.withdrawal_confirmed and submission.status == Submission.Status.READY_FOR_REVIEW

    client.force_login(hub_editor)
    page = client.get(f"/admin/submissions/submission/{submission.pk}/change/").content.decode()
    assert "This file withdraws 5 of the 5 published rows of agencies of MA (100 %)." in page
    assert 'name="confirm_withdrawal"' in page
    review = f"/admin/submissions/submission/{submission.pk}/review/"
    refused = client.post(review, {"approve": "1", "reason": "ok"}, follow=True)
    assert "confirm that you mean to withdraw them" in refused.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.READY_FOR_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"approve": "1", "reason": "ok", "confirm_withdrawal": "on"})
    assert Submission.objects.get(pk=submission.pk).status == Submission.Status.PUBLISHED
    assert published_count() == 0
