"""The submission API: token upload answered 202, scoped status, review, the published schema."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from recruiters.models import RecruitmentAgency
from submissions.models import Submission
from tests.factories import UserFactory
from tests.submissions.conftest import agency, json_bytes

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def upload(client, data, country="MA", name="agencies.json"):
    return client.post(
        "/api/v1/submissions/", {"file": SimpleUploadedFile(name, data), "country": country}, format="multipart"
    )


def test_upload_is_accepted_with_the_submission_url_then_validated(
    focal_point_ma, media_root, django_capture_on_commit_callbacks
):
    client = client_for(focal_point_ma)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, json_bytes({"agencies": [agency()]}), name="rows.csv")  # name is not trusted
    assert response.status_code == 202
    assert len(callbacks) == 1  # the validation task, enqueued after commit
    url = response.json()["url"]
    assert response["Location"] == url and url.endswith(f"/api/v1/submissions/{response.json()['id']}/")
    detail = client.get(url).json()
    assert detail["status"] == "ready_for_review" and detail["detected_format"] == "json"
    assert detail["progress"] == {"rows_read": 1, "rows_total": 1}
    assert detail["report"]["error_count"] == 0 and detail["report"]["summary"]["added"] == 1
    assert detail["report_url"] == f"{url}report/" and detail["diff_url"] == f"{url}diff/"
    assert client.get(detail["report_url"]).json()["results"] == []
    assert client.get(detail["diff_url"]).json()["results"][0]["key"] == "MA:EXAMPLE-MA-9001"


def test_report_language_follows_the_request(focal_point_ma, media_root, django_capture_on_commit_callbacks):
    client = client_for(focal_point_ma)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/submissions/",
            {
                "file": SimpleUploadedFile("a", json_bytes({"agencies": [agency(website="http://exa_mple")]})),
                "country": "MA",
            },
            format="multipart",
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    detail = client.get(response.json()["url"]).json()
    assert detail["language"] == "fr" and detail["status"] == "invalid"
    assert client.get(detail["report_url"]).json()["results"][0]["message"] == "Saisissez une URL valide."


def test_status_before_validation_has_no_report(focal_point_ma, media_root):
    response = upload(client_for(focal_point_ma), json_bytes({"agencies": [agency()]}))
    detail = client_for(focal_point_ma).get(response.json()["url"]).json()
    assert detail["status"] == "received" and detail["report"] is None and "diff" not in detail
    assert detail["progress"] == {"rows_read": 0, "rows_total": None}
    assert client_for(focal_point_ma).get(detail["diff_url"]).json()["results"] == []


def test_upload_needs_a_token(media_root):
    response = upload(APIClient(), json_bytes({"agencies": []}))
    assert response.status_code == 401


def test_upload_for_a_country_not_held_is_forbidden(focal_point_ma, media_root):
    response = upload(client_for(focal_point_ma), json_bytes({"agencies": []}), country="TN")
    assert response.status_code == 403 and "TN" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_upload_errors_are_400_not_500(focal_point_ma, media_root, settings):
    client = client_for(focal_point_ma)
    assert client.post("/api/v1/submissions/", {"country": "MA"}, format="multipart").status_code == 400
    assert upload(client, b"", country="MA").status_code == 400
    assert upload(client, b"{}", country="XX").status_code == 400
    settings.SUBMISSION_MAX_BYTES = 10
    response = upload(client, b"x" * 11)
    assert response.status_code == 400 and "too large" in response.json()["file"][0]


def test_submissions_are_visible_to_their_countries_and_hub_editors(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    focal_point_tn = UserFactory(role="focal_point", countries=["TN"])
    url = f"/api/v1/submissions/{submission.pk}/"
    assert client_for(focal_point_tn).get(url).status_code == 404
    assert client_for(hub_editor).get(url).status_code == 200
    assert client_for(focal_point_ma).get(url).json()["report"]["summary"]["added"] == 1
    assert client_for(focal_point_tn).get("/api/v1/submissions/").json()["results"] == []
    assert [row["id"] for row in client_for(focal_point_ma).get("/api/v1/submissions/").json()["results"]] == [
        submission.pk
    ]


def test_submission_list_query_count_is_fixed(focal_point_ma, submit, django_assert_num_queries):
    for _number in range(3):
        submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    client = client_for(focal_point_ma)
    # token and user, the two permission lookups of the hub-editor check, memberships, count, the page
    with django_assert_num_queries(6):
        rows = client.get("/api/v1/submissions/").json()["results"]
    assert len(rows) == 3 and "diff" not in rows[0] and rows[0]["status"] == "ready_for_review"


def test_review_through_the_api_enforces_four_eyes(hub_editor, submit, django_capture_on_commit_callbacks):
    submission = submit(hub_editor, json_bytes({"agencies": [agency()]}))
    response = client_for(hub_editor).post(f"/api/v1/submissions/{submission.pk}/approve/", {"reason": "ok"})
    assert response.status_code == 409 and "own submission" in response.json()["detail"]
    second_editor = UserFactory(role="hub_editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(second_editor).post(f"/api/v1/submissions/{submission.pk}/approve/", {"reason": "ok"})
    assert response.status_code == 200
    assert Submission.objects.get(pk=submission.pk).status == "published"
    assert RecruitmentAgency.objects.published().filter(licence_number="EXAMPLE-MA-9001").exists()


def test_focal_point_cannot_approve_through_the_api(focal_point_ma, submit):
    other = UserFactory(role="focal_point", countries=["MA"])
    submission = submit(other, json_bytes({"agencies": [agency()]}))
    response = client_for(focal_point_ma).post(f"/api/v1/submissions/{submission.pk}/approve/")
    assert response.status_code == 409 and "hub editor" in response.json()["detail"]


def test_common_format_schema_is_published(client):
    response = client.get("/api/v1/schema/common-format/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(":1.0")
    assert set(schema["$defs"]) >= {"permits", "documents", "fees", "salary_thresholds", "agreements", "agencies"}
    assert "licence_number" in schema["$defs"]["agencies"]["required"]


def test_common_format_documentation_page(client):
    response = client.get("/api/v1/schema/common-format/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="salary_thresholds"' in html and "<code>licence_number</code>" in html
    assert "zero_fee" in html  # the allowed values of worker_fee_rule


@pytest.fixture
def broker_down(monkeypatch):
    """Sending any pipeline task fails as it does when Redis (the broker) refuses connections."""
    from kombu.exceptions import OperationalError

    from submissions import tasks

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for task in (tasks.submission_validate, tasks.submission_publish):
        monkeypatch.setattr(task, "delay", refuse)
    return monkeypatch


def test_upload_with_the_broker_down_lands_once_and_the_sweep_sends_it_on(
    focal_point_ma, hub_editor, media_root, broker_down, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from submissions import services

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(focal_point_ma), json_bytes({"agencies": [agency()]}))
    assert response.status_code == 202 and response.json()["status"] == "received"
    submission = Submission.objects.get()  # exactly one row: a retry by the client is not needed

    broker_down.undo()  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submissions_sweep(stuck_after=timedelta(0)) == [submission.pk]
    assert Submission.objects.get().status == "ready_for_review"


def test_approval_with_the_broker_down_is_kept_and_published_by_the_sweep(
    focal_point_ma, hub_editor, submit, broker_down, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from submissions import services

    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hub_editor).post(f"/api/v1/submissions/{submission.pk}/approve/", {"reason": "ok"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    broker_down.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.submissions_sweep(stuck_after=timedelta(0))
    assert Submission.objects.get(pk=submission.pk).status == "published"


def test_admin_upload_with_the_broker_down_lands_once(
    client, focal_point_ma, media_root, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(focal_point_ma)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/submissions/submission/add/",
            {"country": "MA", "file": SimpleUploadedFile("a.json", json_bytes({"agencies": [agency()]}))},
        )
    assert response.status_code == 302
    assert Submission.objects.get().status == "received"


def test_api_has_no_http_basic_authentication(hub_editor, media_root):
    import base64

    hub_editor.set_password("a-real-password-123")
    hub_editor.save()
    basic = "Basic " + base64.b64encode(f"{hub_editor.username}:a-real-password-123".encode()).decode()
    response = APIClient().get("/api/v1/submissions/", HTTP_AUTHORIZATION=basic)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
