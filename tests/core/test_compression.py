"""Public pages and API answers are sent gzipped; an answer with a CSRF token, a session or a signed-in user,
the admin, the zip downloads and tiny bodies are not (core/compression.py)."""

import gzip

import pytest
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.compression import PublicGZipMiddleware
from core.fields import PublicationStatus
from tests.factories import LegalSourceFactory, PermitCategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
API = "/api/v1/permits/"


@pytest.fixture
def permit():
    with translation.override("en"):
        return PermitCategoryFactory(
            code="de-skilled",
            name="Skilled worker",
            description="For people with recognised vocational training. " * 10,
            publication_status=PublicationStatus.PUBLISHED,
            legal_sources=[LegalSourceFactory(country_id="DE")],
        )


def page(permit):
    return f"/en/permits/{permit.code}/"


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def assert_sent_plain(response):
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"</html>" in response.content


def test_a_public_page_is_gzipped_and_decompresses_to_the_same_html(client, permit):
    plain = client.get(page(permit))
    compressed = client.get(page(permit), **GZIP)
    assert compressed.status_code == 200 and compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content)
    assert "accept-encoding" in vary(compressed) and "accept-encoding" in vary(plain)
    assert b"Skilled worker" in plain.content


def test_without_accept_encoding_nothing_is_compressed(client, permit):
    response = client.get(page(permit))
    assert not response.has_header("Content-Encoding")
    assert b"Skilled worker" in response.content
    api = client.get(API)
    assert not api.has_header("Content-Encoding") and api.json()["results"][0]["code"] == "de-skilled"


def test_the_api_json_is_gzipped_with_a_weak_etag_that_still_answers_304(client, permit):
    plain = client.get(API)
    compressed = client.get(API, **GZIP)
    assert compressed["Content-Encoding"] == "gzip" and "accept-encoding" in vary(compressed)
    assert gzip.decompress(compressed.content) == plain.content
    # The representation changed, so the strong ETag of the plain answer is weakened (RFC 9110 8.8.1).
    assert plain["ETag"].startswith('"') and compressed["ETag"] == "W/" + plain["ETag"]

    again = client.get(API, HTTP_IF_NONE_MATCH=compressed["ETag"], **GZIP)
    assert again.status_code == 304 and again.content == b""
    # The 304 carries the validators of the 200 it stands for.
    assert again["ETag"] == compressed["ETag"] and "accept-encoding" in vary(again)
    assert client.get(API, HTTP_IF_NONE_MATCH=plain["ETag"])["ETag"] == plain["ETag"]


def test_a_page_carrying_a_csrf_token_is_not_compressed(client, permit):
    with translation.override("en"):
        url = f"{reverse('guidance:report')}?fact=permits.permitcategory&key={permit.pk}&page={page(permit)}"
    response = client.get(url, **GZIP)
    assert_sent_plain(response)
    assert b'name="csrfmiddlewaretoken"' in response.content
    assert settings.CSRF_COOKIE_NAME in response.cookies


def test_the_admin_login_is_not_compressed(client):
    response = client.get("/admin/login/", **GZIP)
    assert_sent_plain(response)
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_a_signed_in_users_page_is_not_compressed(client, permit):
    client.force_login(UserFactory())
    response = client.get(page(permit), **GZIP)
    assert_sent_plain(response)
    assert b"Skilled worker" in response.content
    assert not client.get(API, **GZIP).has_header("Content-Encoding")


def test_a_request_within_a_session_is_not_compressed(client, permit):
    client.cookies[settings.SESSION_COOKIE_NAME] = "an-anonymous-session"
    assert_sent_plain(client.get(page(permit), **GZIP))


@pytest.mark.parametrize(
    "response",
    [
        pytest.param(HttpResponse(b"PK\x03\x04" + b"0" * 4000, content_type="application/zip"), id="zip"),
        pytest.param(HttpResponse(b"x" * 4000, content_type="text/csv", headers={"Content-Encoding": "br"}), id="br"),
        pytest.param(HttpResponse(b"<p>tiny</p>", content_type="text/html"), id="tiny"),
    ],
)
def test_compressed_types_encoded_and_tiny_bodies_are_left_as_they_are(response):
    body = response.content
    request = RequestFactory().get("/api/v1/datapackages/x.zip", **GZIP)
    answer = PublicGZipMiddleware(lambda request: response)(request)
    assert answer.content == body and answer.get("Content-Encoding") in (None, "br")


def test_a_streamed_download_is_not_compressed_again(tmp_path):
    package = tmp_path / "hub.zip"
    package.write_bytes(b"PK\x03\x04" + b"0" * 4000)
    request = RequestFactory().get("/api/v1/datapackages/hub.zip", **GZIP)
    answer = PublicGZipMiddleware(lambda request: FileResponse(package.open("rb"), content_type="text/plain"))(request)
    assert not answer.has_header("Content-Encoding")
    assert b"".join(answer.streaming_content) == package.read_bytes()


def test_an_answer_for_a_user_signed_in_without_a_session_is_not_compressed():
    # An API token signs a user in without any cookie.
    request = RequestFactory().get(API, **GZIP)
    request.user = UserFactory()
    answer = PublicGZipMiddleware(lambda request: HttpResponse(b"{}" * 500, content_type="application/json"))(request)
    assert not answer.has_header("Content-Encoding") and answer.content == b"{}" * 500
