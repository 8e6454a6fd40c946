import os
from pathlib import Path

import pytest
from django.core.management import call_command

SHARED_DATA = Path(os.environ.get("SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def pytest_sessionstart(session):
    """In the services run (REQUIRE_SERVICES=1) a missing service fails the run; it is never skipped."""
    if os.environ.get("REQUIRE_SERVICES") != "1":
        return
    import redis
    from django.conf import settings

    problems = []
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    else:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at {settings.REDIS_URL} does not answer: {error}")
    if problems:
        pytest.exit("Services run, but: " + "; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config, items):
    """The services tests belong to `make test-services`; the embedded `make test` leaves them out."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        return
    kept = [item for item in items if "services" not in item.keywords]
    deselected = [item for item in items if "services" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.fail(f"The public data folder is missing: {SHARED_DATA} (set SHARED_DATA).")
    return SHARED_DATA


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, shared_data):
    """Countries and ISCO-08 groups are reference data every test may need: loaded once per run."""
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_countries", stdout=quiet)
        call_command("load_occupations", str(shared_data / "esco-isco08"), stdout=quiet)


@pytest.fixture
def hub_editor(db):
    from tests.factories import UserFactory

    return UserFactory(role="hub_editor")


@pytest.fixture
def focal_point_ma(db):
    from tests.factories import UserFactory

    return UserFactory(role="focal_point", countries=["MA"])
