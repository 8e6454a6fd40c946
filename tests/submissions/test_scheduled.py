"""Scheduled jobs: the outbox sweep, attempt deadlines, stale data, digests, the beat schedule."""

import datetime
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from core import freshness
from mobility_hub.celery import app
from submissions import selectors, services
from submissions.models import Submission
from tests.factories import RecruitmentAgencyFactory, UserFactory
from tests.submissions.conftest import agency, json_bytes

pytestmark = pytest.mark.django_db


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
    assert freshness.stale_before(today) == datetime.date(2025, 11, 25)
    assert selectors.stale_counts(today=today) == {"MA": {"recruitment agencies": 1}, "TN": {"recruitment agencies": 1}}
    assert freshness.months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)


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


def test_attempt_past_its_deadline_is_failed_and_the_step_retried(
    focal_point_ma, hub_editor, submit, settings, django_capture_on_commit_callbacks
):
    # A publish whose worker was killed (SIGKILL) leaves its attempt "started" for ever.
    from submissions.models import SubmissionAttempt

    submission = submit(focal_point_ma, json_bytes({"agencies": [agency()]}))
    services.submission_approve(submission=submission, reviewer=hub_editor)  # its message is not sent here
    long_ago = timezone.now() - timedelta(minutes=settings.SUBMISSION_ATTEMPT_DEADLINE_MINUTES + 1)
    dead = submission.attempts.create(step="publish")
    recent = submission.attempts.create(step="publish")
    SubmissionAttempt.objects.filter(pk=dead.pk).update(started=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.submissions_sweep(stuck_after=timedelta(0)) == [submission.pk]
    dead.refresh_from_db()
    recent.refresh_from_db()
    assert dead.outcome == "failed" and dead.finished is not None
    assert "Did not finish within 10 minutes" in dead.message
    assert recent.outcome == "started"  # still within its deadline: it may be running
    assert Submission.objects.get(pk=submission.pk).status == "published"


def test_attempt_deadline_is_longer_than_the_task_time_limit():
    assert settings.SUBMISSION_ATTEMPT_DEADLINE_MINUTES * 60 > settings.CELERY_TASK_TIME_LIMIT
