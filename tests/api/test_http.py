"""What every endpoint does over HTTP: conditional requests, the version-keyed cache, CSV escaping, throttling."""

import csv
import io

import pytest
from django.core.cache import cache

from core.api.renderers import csv_cell
from core.fields import PublicationStatus
from permits.services import permit_publish
from tests.factories import LegalSourceFactory, PermitCategoryFactory, RecruitmentAgencyFactory

pytestmark = pytest.mark.django_db

PERMITS = "/api/v1/permits/"


def published_permit(**kwargs):
    return PermitCategoryFactory(
        publication_status=PublicationStatus.PUBLISHED, legal_sources=[LegalSourceFactory()], **kwargs
    )


def test_etag_answers_304_until_the_data_changes(api, django_assert_max_num_queries):
    published_permit(code="first")
    first = api.get(PERMITS)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified

    with django_assert_max_num_queries(1):
        again = api.get(PERMITS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert api.get(PERMITS, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    published_permit(code="second")
    changed = api.get(PERMITS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert [row["code"] for row in changed.json()["results"]] == ["first", "second"]


def test_etag_differs_by_query_format_and_language(api):
    published_permit()
    etags = {
        api.get(PERMITS)["ETag"],
        api.get(PERMITS, {"destination": "DE"})["ETag"],
        api.get(PERMITS, {"format": "csv"})["ETag"],
        api.get(PERMITS, HTTP_ACCEPT_LANGUAGE="fr")["ETag"],
    }
    assert len(etags) == 4


def test_cached_answer_costs_one_query_and_a_publish_is_seen_at_once(api, settings, django_assert_num_queries):
    settings.API_CACHE_ENABLED = True
    published_permit(code="visible")
    draft = PermitCategoryFactory(code="draft-now", legal_sources=[LegalSourceFactory(country_id="DE")])
    assert [row["code"] for row in api.get(PERMITS).json()["results"]] == ["visible"]
    with django_assert_num_queries(1):  # the data version; the body comes from the cache
        cached = api.get(PERMITS)
    assert [row["code"] for row in cached.json()["results"]] == ["visible"]

    permit_publish(permit=draft, user=None)

    assert sorted(row["code"] for row in api.get(PERMITS).json()["results"]) == ["draft-now", "visible"]


def test_publish_bumps_the_version_even_without_a_logged_change(api, settings):
    # The version also reads Country.data_version: a bump alone (no ObjectChange) invalidates answers.
    from countries.services import country_data_version_bump

    settings.API_CACHE_ENABLED = True
    published_permit()
    before = api.get(PERMITS)["ETag"]
    country_data_version_bump(country_codes=["DE"])
    assert api.get(PERMITS)["ETag"] != before


def test_cache_off_still_answers_and_validates(api, settings, local_cache):
    settings.API_CACHE_ENABLED = False
    published_permit()
    assert api.get(PERMITS).status_code == 200
    assert api_cache_keys() == []
    assert api.get(PERMITS, {"destination": "XX"}).status_code == 400


def api_cache_keys():
    return [key for key in cache._cache if ":api:v1:" in key]


@pytest.fixture
def local_cache(settings):
    """A local-memory cache of its own, so that its keys can be listed on any backend (the stack run uses Redis)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-keys"}}
    cache.clear()
    return cache


def test_only_data_formats_are_cached_not_the_browsable_pages(api, settings, local_cache):
    settings.API_CACHE_ENABLED = True
    published_permit()
    assert api.get(PERMITS, HTTP_ACCEPT="text/html").status_code == 200
    assert api_cache_keys() == []
    api.get(PERMITS)
    api.get(PERMITS, {"format": "csv"})
    assert len(api_cache_keys()) == 2


def test_errors_are_not_cached(api, settings):
    settings.API_CACHE_ENABLED = True
    assert api.get(PERMITS, {"purpose": "tourism"}).status_code == 400
    assert api.get(PERMITS, {"purpose": "tourism"}).status_code == 400
    assert "ETag" not in api.get(PERMITS, {"purpose": "tourism"})


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("plain", "plain"),
        (["MA", "=1+1"], "MA; =1+1"),  # joined, the cell starts with "M": nothing to escape
        (["=1+1", "MA"], "'=1+1; MA"),
        (None, ""),
        (True, "true"),
        (12, "12"),
    ],
)
def test_csv_cells_starting_like_a_formula_are_escaped(value, cell):
    assert csv_cell(value) == cell


def test_csv_download_escapes_formulas_in_real_rows(api):
    RecruitmentAgencyFactory(
        publication_status=PublicationStatus.PUBLISHED, legal_name="=cmd|' /C calc'!A0", address="@home"
    )
    response = api.get("/api/v1/agencies/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="agency.csv"'
    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["legal_name"] == "'=cmd|' /C calc'!A0"
    assert row["address"] == "'@home"


def test_csv_download_is_the_whole_filtered_list_not_one_page(api):
    for index in range(60):
        published_permit(code=f"p{index:02d}", country_id="FR" if index % 2 else "DE")
    rows = list(csv.DictReader(io.StringIO(api.get(PERMITS, {"format": "csv", "destination": "FR"}).content.decode())))
    assert len(rows) == 30
    assert {row["destination"] for row in rows} == {"FR"}


def test_anonymous_clients_are_throttled_with_retry_after(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min"}}
    statuses = [api.get("/api/v1/countries/MA/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = api.get("/api/v1/countries/MA/")
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "throttled" in throttled.json()["detail"].lower()
    # Another address has its own budget.
    assert api.get("/api/v1/countries/MA/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_throttle_also_guards_the_licence_check(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/min"}}
    params = {"country": "MA", "licence_number": "1"}
    assert api.get("/api/v1/licence-check/", params).status_code == 200
    assert api.get("/api/v1/licence-check/", params).status_code == 429
