"""The pipeline on the real stack: PostgreSQL, a Redis broker and real Celery worker processes.

Run by `make test-stack` (REQUIRE_STACK=1). Each worker listens on a queue of its own, and the
test process sends the pipeline's tasks to that queue.
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.versioning import data_version_current
from core.models import ObjectChange
from countries.models import Country
from guidance import datapackage
from mobility_hub.celery import app
from recruiters.models import RecruitmentAgency
from submissions import services
from submissions.format import FORMAT_VERSION
from submissions.models import Submission
from submissions.tasks import submission_publish
from tests.factories import UserFactory
from tests.mobility_hub.test_stack import database_url
from tests.submissions.conftest import agencies_csv, agency, json_bytes

pytestmark = pytest.mark.stack
ROWS = [agency(licence_number=f"EXAMPLE-MA-{number:04d}", legal_name=f"Agency {number}") for number in range(20)]


class Workers:
    def __init__(self, queue, media_root, log_dir):
        self.queue, self.media_root, self.log_dir, self.processes = queue, media_root, log_dir, []

    def start(self, loglevel="WARNING", **extra_env):
        log = self.log_dir / f"worker-{len(self.processes)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "MEDIA_ROOT": str(self.media_root),
            **extra_env,
        }
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "mobility_hub", "worker", "--pool=solo", "-Q", self.queue),
                *("--without-gossip", "--without-mingle", "--without-heartbeat", f"--loglevel={loglevel}"),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process, log

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    with open(os.devnull, "w") as quiet:
        call_command("load_countries", stdout=quiet)  # a transactional test starts from an empty database
    settings.MEDIA_ROOT = tmp_path / "media"
    queue = f"test-pipeline-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue  # the tasks this test process enqueues go to its workers
    pool = Workers(queue, settings.MEDIA_ROOT, tmp_path)
    yield pool
    pool.stop()
    app.conf.task_default_queue = previous


def wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def status_of(pk):
    return Submission.objects.get(pk=pk).status


def test_upload_validate_review_publish_on_real_worker(workers, settings):
    workers.start()
    focal_point = UserFactory(role="focal_point", countries=["MA"])
    editor = UserFactory(role="hub_editor")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=focal_point).key}")

    response = client.post(
        "/api/v1/submissions/",
        {"file": SimpleUploadedFile("ma.json", json_bytes({"agencies": ROWS})), "country": "MA"},
        format="multipart",
    )
    assert response.status_code == 202
    pk = response.json()["id"]
    wait_for(lambda: status_of(pk) == "ready_for_review", "validation by the worker")
    assert client.get(response.json()["url"]).json()["report"]["summary"]["added"] == 20
    assert not RecruitmentAgency.objects.exists()

    bad = client.post(
        "/api/v1/submissions/",
        {"file": SimpleUploadedFile("x.json", json_bytes({"agencies": [agency(country="TN")]})), "country": "MA"},
        format="multipart",
    ).json()["id"]
    wait_for(lambda: status_of(bad) == "invalid", "the wrong-country file to be refused")
    assert "You do not keep the data of TN" in Submission.objects.get(pk=bad).report["errors"][0]["message"]

    malformed = client.post(
        "/api/v1/submissions/",
        {"file": SimpleUploadedFile("m.json", b'{"agencies": [{"legal_name": }]}'), "country": "MA"},
        format="multipart",
    ).json()["id"]
    wait_for(lambda: status_of(malformed) == "invalid", "the malformed file to be refused")
    assert Submission.objects.get(pk=malformed).report["errors"][0]["message"].startswith("This is not valid JSON")

    settings.SUBMISSION_MAX_BYTES = 100
    oversized = client.post(
        "/api/v1/submissions/", {"file": SimpleUploadedFile("big.csv", b"x" * 101), "country": "MA"}, format="multipart"
    )
    assert oversized.status_code == 400 and "too large" in oversized.json()["file"][0]

    services.submission_approve(submission=Submission.objects.get(pk=pk), reviewer=editor, reason="checked")
    wait_for(lambda: status_of(pk) == "published", "publishing by the worker")
    assert RecruitmentAgency.objects.published().filter(country="MA").count() == 20
    assert ObjectChange.objects.filter(reason=f"submission {pk}").count() == 20
    assert Country.objects.get(pk="MA").data_version == 1


def test_worker_killed_while_publishing_leaves_data_unchanged_and_retry_publishes_once(workers):
    paused, log = workers.start(SUBMISSION_TEST_PUBLISH_PAUSE="60")
    focal_point = UserFactory(role="focal_point", countries=["MA"])
    editor = UserFactory(role="hub_editor")
    submission = services.submission_create(
        submitter=focal_point, country="MA", file=SimpleUploadedFile("ma.json", json_bytes({"agencies": ROWS}))
    )
    pk = submission.pk
    wait_for(lambda: status_of(pk) == "ready_for_review", "validation")
    services.submission_approve(submission=Submission.objects.get(pk=pk), reviewer=editor)

    wait_for(lambda: "pausing inside the transaction" in log.read_text(), "the worker to be inside the publish")
    paused.send_signal(signal.SIGKILL)
    paused.wait(timeout=10)

    # The transaction died with the worker: nothing was published, the submission waits, the attempt shows.
    assert status_of(pk) == "approved"
    assert not RecruitmentAgency.objects.exists()
    assert not ObjectChange.objects.filter(reason=f"submission {pk}").exists()
    assert Country.objects.get(pk="MA").data_version == 0
    assert list(Submission.objects.get(pk=pk).attempts.filter(step="publish").values_list("outcome", flat=True)) == [
        "started"
    ]

    workers.start()
    assert services.submissions_sweep(stuck_after=timedelta(0)) == [pk]  # the outbox sweep re-enqueues it
    wait_for(lambda: status_of(pk) == "published", "the retry to publish")
    submission_publish.apply_async(args=[pk])  # and a duplicate delivery on top
    wait_for(
        lambda: Submission.objects.get(pk=pk).attempts.filter(step="publish", outcome="skipped").exists(),
        "the duplicate to be handled",
    )
    assert RecruitmentAgency.objects.count() == 20
    assert ObjectChange.objects.filter(reason=f"submission {pk}").count() == 20
    assert Country.objects.get(pk="MA").data_version == 1


def test_large_csv_is_validated_by_the_worker_with_progress_and_pages(workers):
    workers.start()
    focal_point = UserFactory(role="focal_point", countries=["MA"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=focal_point).key}")
    response = client.post(
        "/api/v1/submissions/",
        # No sectors: they come from a migration, which a transactional test's flush empties.
        {"file": SimpleUploadedFile("agencies.csv", agencies_csv(3000, sectors="")), "country": "MA"},
        format="multipart",
    )
    assert response.status_code == 202 and response.json()["status"] == "received"
    pk = response.json()["id"]
    wait_for(lambda: status_of(pk) == "ready_for_review", "validation of 3,000 rows by the worker", seconds=180)
    detail = client.get(response.json()["url"])
    assert len(detail.content) < 2000
    assert detail.json()["progress"] == {"rows_read": 3000, "rows_total": 3000}
    page = client.get(detail.json()["diff_url"], {"page": 30}).json()
    assert page["count"] == 3000 and page["results"][-1]["key"] == "MA:EXAMPLE-MA-002999"


def test_publishes_in_a_row_schedule_one_data_package_build_after_the_countdown(workers, settings, tmp_path):
    """Two publishes give one build, run by the worker once the countdown has passed and reading the data
    of both; the build releases the lock, so that the next publish schedules the next build."""
    settings.DATA_PACKAGE_ROOT = root = tmp_path / "packages"  # the worker writes there (its env below)
    settings.DATA_PACKAGE_ON_PUBLISH = True
    settings.DATA_PACKAGE_DEBOUNCE_SECONDS = countdown = 3
    datapackage.schedule_release()  # no lock left in the shared cache by an earlier run
    _process, log = workers.start(loglevel="INFO", DATA_PACKAGE_ROOT=str(root))
    wait_for(lambda: "ready." in log.read_text(), "the worker to start")  # then the countdown is its own

    def publish(rows):
        services.document_import(
            document={"format_version": FORMAT_VERSION, "country": "MA", "agencies": rows}, reason="stack test"
        )

    def builds(outcome):
        """The builds the worker logged as received, or as succeeded."""
        return re.findall(rf"Task guidance\.tasks\.datapackage_build\[[^]]+\] {outcome}", log.read_text())

    scheduled_at = time.monotonic()
    publish(ROWS[:10])
    publish(ROWS[10:])
    assert cache.get(datapackage.SCHEDULE_LOCK) is not None and not datapackage.package_list()
    [entry] = wait_for(datapackage.package_list, "the data package build")
    assert time.monotonic() - scheduled_at >= countdown
    assert entry["data_version"] == data_version_current().token  # both publishes are in it
    wait_for(lambda: builds("succeeded"), "the worker to log the build")
    assert len(builds("received")) == len(builds("succeeded")) == 1
    assert cache.get(datapackage.SCHEDULE_LOCK) is None  # released by the build

    publish([agency(licence_number="EXAMPLE-MA-LATER", legal_name="Later agency")])
    wait_for(lambda: len(datapackage.package_list()) == 2, "the next publish's build")
    wait_for(lambda: len(builds("succeeded")) == 2, "the worker to log the second build")
    assert len(builds("received")) == 2
