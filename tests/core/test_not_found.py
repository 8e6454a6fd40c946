"""A URL that matches nothing: JSON for the API, the site's own page elsewhere."""

import pytest

pytestmark = pytest.mark.django_db


def test_unmatched_api_url_answers_json(client, settings):
    settings.DEBUG = False
    response = client.get("/api/v1/agreements/1.0/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_unmatched_page_url_answers_the_sites_page(client, settings):
    settings.DEBUG = False
    response = client.get("/fr/nowhere/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="fr"' in response.content.decode()
