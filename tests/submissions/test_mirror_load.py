"""A mirror from a download (issue 23): `manage.py mirror_load` loads a package of the demo data into
an empty hub, which then answers the public API as the first one did, and refuses writes."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from countries.models import Agreement, ContactPoint, Corridor, LegalSource
from guidance import datapackage
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency, RecruitmentRegime

# The public API lists a mirror answers with the same rows. What may differ between two hubs: the
# database ids, the times rows were written, and each country's data version (a count of publishes).
ENDPOINTS = (
    "/api/v1/permits/",
    "/api/v1/agreements/",
    "/api/v1/corridors/",
    "/api/v1/legal-sources/",
    "/api/v1/recruitment-regimes/",
    "/api/v1/agencies/",
)
LOCAL_KEYS = {"id", "created", "last_updated", "data_version"}


@pytest.fixture
def package(demo_loaded, db, settings, tmp_path):
    settings.DATA_PACKAGE_ROOT = tmp_path / "packages"
    settings.API_CACHE_ENABLED = False
    entry = datapackage.datapackage_build()
    return settings.DATA_PACKAGE_ROOT / entry["file"]


def _without_local(value):
    if isinstance(value, dict):
        return {key: _without_local(item) for key, item in value.items() if key not in LOCAL_KEYS}
    if isinstance(value, list):
        return [_without_local(item) for item in value]
    return value


def _answers(client):
    answers = {}
    for endpoint in ENDPOINTS:
        rows, url = [], f"{endpoint}?page_size=500"
        while url:
            response = client.get(url, HTTP_ACCEPT="application/json")
            assert response.status_code == 200, (url, response.status_code)
            body = response.json()
            rows += body["results"]
            url = body["next"]
        answers[endpoint] = _without_local(rows)
    return answers


def _empty_the_hub():
    """What a fresh hub holds after load_countries and load_occupations: no data of its own."""
    RecruitmentAgency._base_manager.all().delete()
    RecruitmentRegime._base_manager.all().delete()
    PermitCategory._base_manager.all().delete()
    Agreement._base_manager.all().delete()
    Corridor._base_manager.all().delete()
    ContactPoint._base_manager.all().delete()
    LegalSource._base_manager.all().delete()


def test_a_hub_loaded_from_the_package_answers_the_public_api_like_the_first(package):
    before = _answers(Client())
    assert all(before.values()), {endpoint: len(rows) for endpoint, rows in before.items()}
    _empty_the_hub()
    assert not any(_answers(Client()).values())
    call_command("mirror_load", str(package), stdout=io.StringIO())
    after = _answers(Client())
    differences = {endpoint: _differences(before[endpoint], after[endpoint]) for endpoint in ENDPOINTS}
    assert not any(differences.values()), {endpoint: found[:5] for endpoint, found in differences.items() if found}


def _differences(before, after, path=""):
    """The paths where two answers differ (the first few)."""
    if type(before) is not type(after):
        return [path]
    if isinstance(before, dict):
        keys = sorted(set(before) | set(after))
        return [found for key in keys for found in _differences(before.get(key), after.get(key), f"{path}.{key}")]
    if isinstance(before, list):
        if len(before) != len(after):
            return [f"{path} ({len(before)} != {len(after)} items)"]
        return [
            found
            for index, pair in enumerate(zip(before, after, strict=True))
            for found in _differences(*pair, f"{path}[{index}]")
        ]
    return [] if before == after else [f"{path}: {before!r} != {after!r}"[:200]]


def test_mirror_load_refuses_a_hub_that_holds_data(package):
    with pytest.raises(CommandError, match="already holds data"):
        call_command("mirror_load", str(package), stdout=io.StringIO())


def test_mirror_load_refuses_a_file_that_is_not_a_package(db, tmp_path):
    path = tmp_path / "not-a-package.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not a zip file"):
        call_command("mirror_load", str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    "method, path",
    [("post", "/admin/permits/permitcategory/add/"), ("post", "/api/v1/submissions/")],
)
def test_a_mirror_refuses_admin_writes_and_uploads(db, settings, client, method, path):
    settings.MIRROR_OF = "https://hub.example.org"
    response = getattr(client, method)(path, {})
    assert response.status_code == 403
    assert "https://hub.example.org" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_a_mirror_shows_whose_data_it_serves_on_every_page(db, settings, client, language):
    settings.MIRROR_OF = "https://hub.example.org"
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert b'class="mirror-banner"' in response.content
    assert b'href="https://hub.example.org"' in response.content


def test_a_hub_that_mirrors_nothing_shows_no_banner(db, client):
    assert b"mirror-banner" not in client.get("/en/").content


def test_a_mirror_still_answers_public_questions_sent_by_post(db, settings, client):
    settings.MIRROR_OF = "https://hub.example.org"
    response = client.post("/api/v1/eligibility/", {}, content_type="application/json")
    assert response.status_code != 403
