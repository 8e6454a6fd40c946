"""A NUL character (%00) in an address of the admin, the API or the feeds answers 400 with a plain
message, never a 500 from PostgreSQL (which cannot store or compare text holding one). Measured on
PostgreSQL without the guard: admin list filters (?country__code__exact=MA%00, ?object_id=%00) and the
admin autocomplete (term=%00) answered 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/recruiters/recruitmentagency/?q=%00",
        "/admin/recruiters/recruitmentagency/?country__code__exact=MA%00",
        "/admin/countries/legalsource/?q=a%00b",
        "/admin/core/objectchange/?object_id=%00",
        "/admin/autocomplete/?app_label=permits&model_name=permitcategory&field_name=occupations&term=%00",
        "/admin/recruiters/recruitmentagency/%00/change/",
    ],
)
def test_admin_lookups_with_a_nul_character_are_400(client, hub_editor, path):
    client.force_login(hub_editor)
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agencies/?search=%00",
        "/api/v1/agencies/?licence_number=%00",
        "/api/v1/countries/MA%00/",
        "/api/v1/licence-check/?country=MA&licence_number=1%00",
        "/api/v1/permits/?%00=1",
    ],
)
def test_api_requests_with_a_nul_character_are_400_in_json(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


def test_pages_are_left_to_their_forms(client):
    # A form error or a 404 in the visitor's language (tests/guidance/test_pages*.py), not this 400.
    assert client.get("/en/search/?q=nurse%00").status_code == 200
    assert client.get("/en/countries/MA%00/").status_code == 404


def test_an_ordinary_request_passes(client):
    assert client.get("/api/v1/countries/MA/").status_code == 200


def test_the_400_carries_the_security_headers(client):
    response = client.get("/feeds/changes.json?q=%00")
    assert response.status_code == 400 and response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
