"""The stack mode: PostgreSQL, a Redis broker and a real Celery worker.

These tests run in `make test-stack` (and CI), where a missing PostgreSQL or Redis fails the run
(see conftest.pytest_sessionstart); in the embedded `make test` they are deselected.
"""

import datetime
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from recruiters.models import RecruitmentAgency
from recruiters.tasks import agency_licences_expire

pytestmark = pytest.mark.stack


def test_database_is_postgresql(db):
    assert connection.vendor == "postgresql"


def test_redis_is_the_cache(db):
    from django.core.cache import cache

    cache.set("probe", "value", 10)
    assert redis.Redis.from_url(settings.REDIS_URL).ping()
    assert cache.get("probe") == "value"
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker process on the Redis broker, on a queue of its own, using the test database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_TASK_ALWAYS_EAGER": "0"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mobility_hub",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    yield queue
    worker.terminate()
    worker.wait(timeout=30)


def test_real_worker_runs_a_task_against_postgresql(celery_worker):
    with open(os.devnull, "w") as quiet:
        call_command("load_countries", stdout=quiet)  # a transactional test starts empty
    agency = RecruitmentAgency.objects.create(
        country_id="MA",
        legal_name="Example",
        licence_number="EXAMPLE-1",
        is_example=True,
        valid_until=datetime.date(2000, 1, 1),
    )
    result = agency_licences_expire.apply_async(queue=celery_worker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        agency.refresh_from_db()
        if agency.status == "expired":
            break
        time.sleep(0.5)
    assert agency.status == "expired", "the worker did not run the task within 60 s"
    assert result.id
