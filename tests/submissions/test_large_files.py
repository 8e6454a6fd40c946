"""Large files: read as a stream, checked in bounded memory, errors capped, the report and the diff
read a page at a time in the API and the admin, and in the embedded mode validated after the
response, with progress."""

import csv
import threading
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import ObjectChange
from recruiters.models import RecruitmentAgency
from submissions import services, validation
from submissions.models import Submission
from submissions.parsing import SheetRows, parse_stored
from submissions.validation import validate_document
from tests.submissions.conftest import agencies_csv, agency, diff_of, json_bytes

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def opener_of(data):
    import io

    return lambda: io.BytesIO(data)


def test_a_stored_csv_is_read_row_by_row_not_into_a_list():
    data = agencies_csv(2500)
    parsed = parse_stored(opener_of(data), len(data))
    rows = parsed.document["agencies"]
    assert isinstance(rows, SheetRows) and parsed.locations == {}
    assert rows.count() == 2500
    first = next(iter(rows))
    assert first[0] == 2 and first[1]["licence_number"] == "EXAMPLE-MA-000000"


def test_checking_a_large_csv_keeps_memory_bounded(focal_point_ma, media_root):
    """Validation with the diff written to the database a chunk at a time: its peak allocation grows
    with the keys of the file, not with its rows (the whole-file path held every row thrice)."""
    sizes = {}
    for rows in (2_000, 8_000):
        data = agencies_csv(rows, start=rows)
        submission = services.submission_create(
            submitter=focal_point_ma, country="MA", file=SimpleUploadedFile("a.csv", data)
        )
        tracemalloc.start()
        services.submission_validate(submission_id=submission.pk)
        sizes[rows] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert Submission.objects.get(pk=submission.pk).report["summary"]["added"] == rows
    # Four times the rows: the peak grows by far less than four times (a chunk is 1,000 rows).
    assert sizes[8_000] < 2 * sizes[2_000], sizes


def test_progress_is_reported_a_chunk_at_a_time(focal_point_ma, submit):
    data = agencies_csv(2500)
    seen = []
    result = validate_document(
        parse_stored(opener_of(data), len(data)), country="MA", held_codes={"MA"}, progress=seen.append
    )
    assert seen == [1000, 2000, 2500] and result.rows == 2500
    submission = submit(focal_point_ma, data)
    assert (submission.rows_read, submission.rows_total) == (2500, 2500)


def test_errors_are_capped_per_sheet_with_their_counts(focal_point_ma, submit, monkeypatch):
    monkeypatch.setattr(validation, "MAX_ERRORS_PER_SHEET", 5)
    submission = submit(focal_point_ma, agencies_csv(30, bad=range(0, 30, 2)))
    report = submission.report
    assert submission.status == Submission.Status.INVALID
    assert [error["row"] for error in report["errors"]] == [2, 4, 6, 8, 10]  # the first ones, in order
    assert report["error_count"] == 15 and report["error_counts"] == {"agencies": 15}
    assert report["errors_truncated"] is True
    assert diff_of(submission) == {}  # an invalid file has no diff


def test_a_csv_that_breaks_down_the_middle_is_invalid_with_one_message(focal_point_ma, submit):
    lines = agencies_csv(1500).decode().splitlines()
    lines[1200] = lines[1200].replace("Agency 1199", '"' + "x" * 200_000 + '"')
    previous = csv.field_size_limit(131_072)  # the csv module's own limit (core.loading lifts it)
    try:
        submission = submit(focal_point_ma, ("\n".join(lines) + "\n").encode())
    finally:
        csv.field_size_limit(previous)
    assert submission.status == Submission.Status.INVALID
    [error] = submission.report["errors"]
    assert error["message"].startswith("This is not a readable CSV file: field larger than field limit")
    assert diff_of(submission) == {} and not submission.diff_entries.exists()


@pytest.fixture
def large(focal_point_ma, submit):
    """A valid submission of 2,500 agencies."""
    return submit(focal_point_ma, agencies_csv(2500))


def test_the_detail_answer_of_a_large_submission_is_small(large, focal_point_ma, django_assert_num_queries):
    client = client_for(focal_point_ma)
    # token with user, the hub-editor check's two permission lookups, memberships, the submission
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/submissions/{large.pk}/")
    assert len(response.content) < 2000  # the whole diff inline was 600 KB for these 2,500 rows
    detail = response.json()
    assert detail["report"]["summary"] == {"added": 2500, "changed": 0, "withdrawn": 0, "unchanged": 0}
    assert "errors" not in detail["report"] and "diff" not in detail
    assert detail["progress"] == {"rows_read": 2500, "rows_total": 2500}


def test_the_diff_is_read_a_page_at_a_time(large, focal_point_ma, django_assert_num_queries):
    client = client_for(focal_point_ma)
    url = f"/api/v1/submissions/{large.pk}/diff/"
    # token with user, the hub-editor check's two permission lookups, memberships, the submission, its
    # summary, count, the page
    with django_assert_num_queries(8):
        first = client.get(url).json()
    assert first["count"] == 2500 and len(first["results"]) == 100 and first["previous"] is None
    assert first["summary"]["added"] == 2500 and first["status"] == "ready_for_review"
    assert first["results"][0] == {
        "position": 1,
        "kind": "added",
        "sheet": "agencies",
        "key": "MA:EXAMPLE-MA-000000",
        "values": first["results"][0]["values"],
        "fields": None,
        "label": "Agency 0 (EXAMPLE-MA-000000)",
    }
    assert first["results"][0]["values"]["legal_name"] == "Agency 0"
    with django_assert_num_queries(8):
        last = client.get(first["next"].replace("page=2", "page=25")).json()
    assert last["next"] is None and last["results"][-1]["key"] == "MA:EXAMPLE-MA-002499"
    assert client.get(url, {"page": 26}).status_code == 404
    assert client.get(url, {"page_size": 1000}).json()["results"][999]["position"] == 1000
    assert client.get(url, {"kind": "withdrawn"}).json()["count"] == 0
    assert client.get(url, {"kind": "everything"}).status_code == 400


def test_the_report_is_read_a_page_at_a_time(focal_point_ma, submit, django_assert_num_queries):
    submission = submit(focal_point_ma, agencies_csv(250, bad=range(250)))
    client = client_for(focal_point_ma)
    url = f"/api/v1/submissions/{submission.pk}/report/"
    with django_assert_num_queries(5):  # as the detail: the errors are in the report
        first = client.get(url).json()
    assert first["count"] == 250 and first["error_count"] == 250 and first["errors_truncated"] is False
    assert [error["row"] for error in first["results"]][:3] == [2, 3, 4] and len(first["results"]) == 100
    assert first["results"][0]["field"] == "valid_from" and first["results"][0]["value"] == "someday"
    third = client.get(url, {"page": 3}).json()
    assert len(third["results"]) == 50 and third["next"] is None and third["results"][-1]["row"] == 251


def test_the_admin_page_shows_the_first_page_and_links_to_the_next(large, client, focal_point_ma):
    client.force_login(focal_point_ma)
    page = client.get(f"/admin/submissions/submission/{large.pk}/change/").content.decode()
    assert "2500 of 2500 rows read." in page
    assert "MA:EXAMPLE-MA-000049" in page and "MA:EXAMPLE-MA-000050" not in page
    assert "Page 1 of 50 (2500 rows)" in page and '?diff_page=2&amp;errors_page=1#diff" rel="next"' in page
    second = client.get(f"/admin/submissions/submission/{large.pk}/change/", {"diff_page": 2}).content.decode()
    assert "MA:EXAMPLE-MA-000050" in second and "MA:EXAMPLE-MA-000049" not in second
    assert 'http-equiv="refresh"' not in page  # the validation is done


def test_the_admin_page_of_a_submission_being_checked_reloads_itself(client, focal_point_ma, media_root):
    submission = services.submission_create(
        submitter=focal_point_ma, country="MA", file=SimpleUploadedFile("a.csv", agencies_csv(3))
    )
    client.force_login(focal_point_ma)
    page = client.get(f"/admin/submissions/submission/{submission.pk}/change/").content.decode()
    assert "Waiting to be validated." in page and 'http-equiv="refresh"' in page


def test_a_large_publish_is_still_one_transaction(focal_point_ma, hub_editor, submit):
    """Rows are saved a chunk at a time while the file is checked again; a diff found changed at the
    end undoes every chunk saved before."""
    submission = submit(focal_point_ma, agencies_csv(2500))
    services.submission_approve(submission=submission, reviewer=hub_editor)
    RecruitmentAgency.objects.create(
        country_id="MA",
        legal_name="Other",
        licence_number="EXAMPLE-MA-7",
        is_example=True,
        publication_status="published",
    )
    submission = services.submission_publish(submission_id=submission.pk)
    assert submission.status == Submission.Status.FAILED
    assert "changed after this file was checked" in submission.report["publish_error"]
    assert list(RecruitmentAgency.objects.values_list("licence_number", "publication_status")) == [
        ("EXAMPLE-MA-7", "published")
    ]
    assert not ObjectChange.objects.filter(reason=f"submission {submission.pk}").exists()


def test_a_large_file_is_published_whole(focal_point_ma, hub_editor, submit):
    submission = submit(focal_point_ma, agencies_csv(2500))
    services.submission_approve(submission=submission, reviewer=hub_editor)
    assert services.submission_publish(submission_id=submission.pk).status == Submission.Status.PUBLISHED
    assert RecruitmentAgency.objects.published().filter(country="MA").count() == 2500
    # A second file that leaves out 10 of them withdraws those 10 (4 %: not held).
    second = submit(focal_point_ma, agencies_csv(2490))
    assert second.report["summary"] == {"added": 0, "changed": 0, "withdrawn": 10, "unchanged": 2490}
    assert [entry["key"] for entry in diff_of(second)["withdrawn"]][:1] == ["MA:EXAMPLE-MA-002490"]


def test_embedded_upload_returns_before_validation_and_the_thread_validates(background, focal_point_ma, media_root):
    """The embedded mode as it runs: the request stores the file and answers 202 while the
    validation waits its turn in the background thread; the detail then shows it done."""
    release = threading.Event()
    validate = services.submission_validate

    def held_back(**kwargs):
        assert release.wait(30)
        return validate(**kwargs)

    services.submission_validate, restore = held_back, services.submission_validate
    try:
        client = client_for(focal_point_ma)
        response = client.post(
            "/api/v1/submissions/",
            {"file": SimpleUploadedFile("a.json", json_bytes({"agencies": [agency()]})), "country": "MA"},
            format="multipart",
        )
        assert response.status_code == 202 and response.json()["status"] == "received"
        assert client.get(response.json()["url"]).json()["status"] == "received"
    finally:
        release.set()
        services.submission_validate = restore
    assert background.wait()
    detail = client.get(response.json()["url"]).json()
    assert detail["status"] == "ready_for_review" and detail["report"]["summary"]["added"] == 1
