"""The admin: upload for one's own countries, the report, review by another hub editor, templates."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.models import Submission
from submissions.parsing import parse
from submissions.validation import validate_document
from tests.factories import UserFactory
from tests.submissions.conftest import agency, json_bytes

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/submissions/submission/add/"


def test_focal_point_uploads_for_own_country_and_reads_the_report(
    client, focal_point_ma, media_root, django_capture_on_commit_callbacks
):
    client.force_login(focal_point_ma)
    form = client.get(ADD_URL)
    assert form.status_code == 200
    choices = [value for value, _label in form.context["adminform"].form.fields["country"].choices if value]
    assert [str(value) for value in choices] == ["MA"]
    bad = json_bytes({"agencies": [agency(valid_from="2025-05-01", valid_until="2025-01-01")]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, {"country": "MA", "file": SimpleUploadedFile("a.json", bad)})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.submitter == focal_point_ma and submission.status == "invalid"
    page = client.get(f"/admin/submissions/submission/{submission.pk}/change/").content.decode()
    assert "A licence must end after it starts." in page and "valid_until" in page


def test_focal_point_cannot_upload_for_another_country(client, focal_point_ma, media_root):
    client.force_login(focal_point_ma)
    response = client.post(ADD_URL, {"country": "TN", "file": SimpleUploadedFile("a.json", b"{}")})
    assert response.status_code == 200 and response.context["adminform"].form.errors["country"]
    assert not Submission.objects.exists()


def test_focal_point_does_not_see_other_countries_submissions(client, submit):
    focal_point_tn = UserFactory(role="focal_point", countries=["TN"])
    submission = submit(UserFactory(role="focal_point", countries=["MA"]), json_bytes({"agencies": [agency()]}))
    client.force_login(focal_point_tn)
    assert client.get("/admin/submissions/submission/").context["cl"].result_count == 0
    assert client.get(f"/admin/submissions/submission/{submission.pk}/change/").status_code == 302


def test_hub_editor_approves_in_the_admin(
    client, hub_editor, focal_point_ma, submit, django_capture_on_commit_callbacks
):
    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    client.force_login(hub_editor)
    page = client.get(f"/admin/submissions/submission/{submission.pk}/change/").content.decode()
    assert "Approve and publish" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/submissions/submission/{submission.pk}/review/", {"approve": "1", "reason": "ok"})
    submission.refresh_from_db()
    assert submission.status == "published" and submission.reviewer == hub_editor


def test_submitter_gets_no_review_buttons_and_cannot_review_by_post(client, hub_editor, submit):
    submission = submit(hub_editor, json_bytes({"agencies": [agency()]}))
    client.force_login(hub_editor)
    page = client.get(f"/admin/submissions/submission/{submission.pk}/change/").content.decode()
    assert "Approve and publish" not in page
    response = client.post(f"/admin/submissions/submission/{submission.pk}/review/", {"approve": "1"}, follow=True)
    assert "cannot review your own submission" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "ready_for_review"


def test_focal_point_cannot_review_by_post(client, focal_point_ma, submit):
    submission = submit(UserFactory(role="focal_point", countries=["MA"]), json_bytes({"agencies": [agency()]}))
    client.force_login(focal_point_ma)
    response = client.post(f"/admin/submissions/submission/{submission.pk}/review/", {"approve": "1"}, follow=True)
    assert "Only a hub editor" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == "ready_for_review"


def test_csv_template_has_the_columns_and_published_rows_as_examples(client, hub_editor, demo_data):
    client.force_login(hub_editor)
    response = client.get("/admin/submissions/submission/template/agencies.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["country", "legal_name", "licence_number"]
    # A hub editor keeps no country: Morocco has no published agency, the first published one stands as the example.
    assert rows[1][:3] == ["EG", "أبو غازي (Abu Ghazi)", "150"]
    assert client.get("/admin/submissions/submission/template/colours.csv").status_code == 404


def test_xlsx_template_validates_as_it_is(client, hub_editor, demo_data):
    client.force_login(hub_editor)
    response = client.get("/admin/submissions/submission/template.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:4] == ["permits", "salary_thresholds", "documents", "fees"]
    # Morocco has no published agency: Egypt's stand as the agencies' examples.
    result = validate_document(parse(response.content), country="MA", held_codes={"MA", "EG"})
    assert result.errors == []
    assert result.diff["unchanged"] >= 3  # the Moroccan examples are what is published


def test_templates_need_a_role(client, db):
    client.force_login(UserFactory())
    assert client.get("/admin/submissions/submission/template.xlsx").status_code == 403


def test_focal_point_registers_a_feed_for_own_country_only(client, focal_point_ma):
    from submissions.models import FeedSource

    client.force_login(focal_point_ma)
    url = "/admin/submissions/feedsource/add/"
    refused = client.post(url, {"country": "TN", "url": "https://example.org/tn.json", "active": "on"})
    assert refused.status_code == 200 and "country" in refused.context["adminform"].form.errors
    response = client.post(url, {"country": "MA", "url": "https://example.org/ma.json", "active": "on"})
    assert response.status_code == 302
    feed = FeedSource.objects.get()
    assert (feed.country_id, feed.submitter) == ("MA", focal_point_ma)
