"""Scheduled jobs: feed pulls with conditional GET, the outbox sweep, stale data, digests, the beat schedule."""

import datetime
import http.server
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from mobility_hub.celery import app
from submissions import selectors, services
from submissions.models import FeedSource, Submission
from tests.factories import RecruitmentAgencyFactory, UserFactory
from tests.submissions.conftest import agency, json_bytes

pytestmark = pytest.mark.django_db


class FeedServer:
    """A local HTTP server (port 8200-8299) serving one body with an ETag, answering 304 to a match."""

    def __init__(self, body):
        self.body, self.etag, self.requests = body, '"v1"', []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(dict(self.headers))
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        for port in range(8200, 8300):
            try:
                self.httpd = http.server.HTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/ma.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer(json_bytes({"agencies": [agency()]}))
    yield server
    server.close()


def test_feed_pull_submits_once_then_uses_conditional_get(feed_server, focal_point_ma, media_root):
    feed = FeedSource.objects.create(country_id="MA", url=feed_server.url, submitter=focal_point_ma)
    submission = services.feed_pull(feed=feed)
    assert submission.source == "feed" and submission.status == "received"
    assert feed.etag == '"v1"' and feed.last_result == f"submitted as #{submission.pk}"

    assert services.feed_pull(feed=feed) is None
    assert feed_server.requests[-1]["If-None-Match"] == '"v1"'
    assert feed_server.requests[-1]["If-Modified-Since"] == "Wed, 25 Nov 2026 10:00:00 GMT"
    assert feed.last_result == "not modified"

    feed_server.etag = '"v2"'  # a new ETag but the same content: nothing to submit
    assert services.feed_pull(feed=feed) is None and feed.last_result == "unchanged"

    feed_server.etag, feed_server.body = '"v3"', json_bytes({"agencies": [agency(legal_name="New name")]})
    assert services.feed_pull(feed=feed).pk != submission.pk
    assert Submission.objects.filter(source="feed").count() == 2


def test_feed_pull_failures_are_recorded_not_raised(focal_point_ma, media_root):
    feed = FeedSource.objects.create(country_id="MA", url="http://127.0.0.1:8299/nothing", submitter=focal_point_ma)
    assert services.feed_pull(feed=feed, timeout=2) is None
    assert feed.last_result.startswith("unreachable")
    feed.url = "file:///etc/passwd"
    assert services.feed_pull(feed=feed) is None and feed.last_result.startswith("refused")


def test_sweep_enqueues_stuck_work_and_gives_up_after_the_attempts(
    focal_point_ma, media_root, submit, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    stuck = services.submission_create(
        submitter=focal_point_ma, country="MA", file=SimpleUploadedFile("a", json_bytes({"agencies": [agency()]}))
    )  # its validation message was lost (never run)
    Submission.objects.filter(pk=stuck.pk).update(status_changed=timezone.now() - timedelta(hours=1))
    fresh = submit(focal_point_ma, b"{")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.submissions_sweep() == [stuck.pk]
    assert Submission.objects.get(pk=stuck.pk).status == "ready_for_review"
    assert Submission.objects.get(pk=fresh.pk).status == "invalid"

    Submission.objects.filter(pk=stuck.pk).update(status="validating")
    for _attempt in range(settings.SUBMISSION_MAX_ATTEMPTS - 1):
        stuck.attempts.create(step="validate")
    assert services.submissions_sweep(stuck_after=timedelta(0)) == []
    stuck.refresh_from_db()
    assert stuck.status == "failed" and "Gave up after 3 attempts" in stuck.report["sweep_error"]


def test_stale_data_is_counted_per_country(db):
    today = datetime.date(2026, 11, 25)
    RecruitmentAgencyFactory(
        country_id="MA", publication_status="published", last_confirmed=datetime.date(2025, 11, 24)
    )
    RecruitmentAgencyFactory(
        country_id="MA", publication_status="published", last_confirmed=datetime.date(2025, 11, 25)
    )
    RecruitmentAgencyFactory(country_id="TN", publication_status="published", last_confirmed=None)
    RecruitmentAgencyFactory(country_id="TN", last_confirmed=None)  # a draft is not stale data
    assert selectors.stale_cutoff(today) == datetime.date(2025, 11, 25)
    assert selectors.stale_counts(today=today) == {"MA": {"recruitment agencies": 1}, "TN": {"recruitment agencies": 1}}
    assert selectors.months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)


def test_digest_tells_each_person_what_awaits_them(focal_point_ma, hub_editor, submit):
    focal_point_ma.email, hub_editor.email = "fp@example.org", "editor@example.org"
    focal_point_ma.save()
    hub_editor.save()
    UserFactory(role="focal_point", countries=["TN"], email="tn@example.org")  # nothing awaits: no email
    invalid = submit(focal_point_ma, b"{")
    ready = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    assert services.digests_send(today=datetime.date(2026, 11, 25)) == 2
    by_recipient = {message.to[0]: message.body for message in mail.outbox}
    assert f"Submission #{invalid.pk} (MA) has errors to fix." in by_recipient["fp@example.org"]
    assert f"Submission #{ready.pk} (MA) awaits a hub editor's review." in by_recipient["fp@example.org"]
    assert by_recipient["editor@example.org"] == f"Submission #{ready.pk} (MA) awaits your review."


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "submissions.tasks.feeds_pull",
        "submissions.tasks.submissions_sweep",
        "submissions.tasks.stale_data_count",
        "submissions.tasks.digests_send",
        "recruiters.tasks.agency_licences_expire",
    } <= scheduled
    assert scheduled <= set(app.tasks)


def test_task_time_limits_stay_below_the_visibility_timeout():
    from submissions.tasks import submission_publish

    assert submission_publish.acks_late and submission_publish.reject_on_worker_lost
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
