import io
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

# The public reference data shipped in the repository; REFERENCE_DATA points the tests at another copy.
REFERENCE_DATA = Path(os.environ.get("REFERENCE_DATA", Path(__file__).resolve().parents[1] / "reference_data"))

# The suite leaves nothing in the checkout: the caches of Hypothesis (.hypothesis/) and schemathesis
# (.schemathesis/), which both default to the current folder, go to a temporary folder removed at the end.
CACHES = Path(tempfile.mkdtemp(prefix="mobility-hub-test-caches-"))
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(CACHES / "hypothesis"))


def _schemathesis_cache_outside_the_checkout():
    from schemathesis.core import storage

    assert hasattr(storage, "DEFAULT_ROOT"), (
        "schemathesis moved its storage root: keep .schemathesis/ out of the checkout"
    )
    storage.DEFAULT_ROOT = CACHES / "schemathesis"


_schemathesis_cache_outside_the_checkout()


def pytest_unconfigure(config):
    shutil.rmtree(CACHES, ignore_errors=True)


def pytest_sessionstart(session):
    """In the stack run (REQUIRE_STACK=1) a missing PostgreSQL or Redis fails the run; it is never skipped."""
    if os.environ.get("REQUIRE_STACK") != "1":
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
        pytest.exit("Stack run, but: " + "; ".join(problems), returncode=3)


def pytest_collection_modifyitems(config, items):
    """The tests marked `stack` belong to `make test-stack`; the embedded `make test` leaves them out."""
    if os.environ.get("REQUIRE_STACK") == "1":
        return
    kept = [item for item in items if not item.get_closest_marker("stack")]
    deselected = [item for item in items if item.get_closest_marker("stack")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def reference_data_folder():
    if not REFERENCE_DATA.is_dir():
        pytest.fail(f"The reference data folder is missing: {REFERENCE_DATA} (set REFERENCE_DATA).")
    return REFERENCE_DATA


@pytest.fixture(scope="session")
def reference_data():
    """The folder of the public reference data (reference_data/ in the repository)."""
    return reference_data_folder()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Countries and ISCO-08 groups are reference data every test may need: loaded once per run."""
    with django_db_blocker.unblock(), open(os.devnull, "w") as quiet:
        call_command("load_countries", stdout=quiet)
        call_command("load_occupations", str(reference_data_folder() / "esco-isco08"), stdout=quiet)


@pytest.fixture
def hub_editor(db):
    from tests.factories import UserFactory

    return UserFactory(role="hub_editor")


@pytest.fixture
def focal_point_ma(db):
    from tests.factories import UserFactory

    return UserFactory(role="focal_point", countries=["MA"])


@pytest.fixture(autouse=True)
def default_language(settings):
    """Each test starts in the default language, whatever an earlier request left active: the test
    client's requests leave theirs (LocaleMiddleware does not deactivate it), so messages checked in
    English would otherwise depend on the order the tests ran in."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def no_throttles(settings):
    """No throttle unless a test sets its rate: the suite sends hundreds of requests a minute from one
    address, and a throttle's history would carry over from test to test."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}


@pytest.fixture(autouse=True)
def tasks_inline(settings):
    """Eager tasks run inside the call, not in the embedded mode's background thread, whose own
    connection would not see the test's transaction (tests/submissions' `background` fixture turns
    the thread on where a test means it)."""
    settings.SUBMISSION_EMBEDDED_BACKGROUND = False


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo data, loaded once for a module inside a transaction undone at its end (for modules
    whose tests only read it: loading it for each test would cost seconds each)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo_data", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def data_packages_elsewhere(settings, tmp_path):
    """Data packages are written to the test's temporary folder, never into the checkout, and a publish
    builds none unless a test asks (tests/guidance/test_datapackage.py's `package_root` does): building
    the whole package after every publish of the suite would only slow it down."""
    settings.DATA_PACKAGE_ROOT = tmp_path / "datapackages"
    settings.DATA_PACKAGE_ON_PUBLISH = False


# What the stub resolver answers: a public-looking address for the example names (only ever checked,
# never connected to: the feed tests allow connections to loopback only), nothing for other names.
FAKE_DNS = {"example.org": ["93.184.215.14"], "feeds.example.org": ["93.184.215.14", "2606:2800:21f:cb07::1"]}


@pytest.fixture(autouse=True)
def fake_dns(monkeypatch):
    """No test resolves a name through the real DNS: feed URLs are resolved by this stub, which a test
    may extend (fake_dns["name"] = ["10.0.0.5"])."""
    answers = {name: list(addresses) for name, addresses in FAKE_DNS.items()}

    def resolve(host, port):
        if host not in answers:
            raise OSError(f"the test resolver does not know {host}")
        return answers[host]

    monkeypatch.setattr("submissions.fetching.resolve", resolve)
    return answers
