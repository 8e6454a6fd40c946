"""Open data (issue 23): the package index and its 304, the downloads page, DCAT-AP, CPSV-AP and the
schema.org JSON-LD of the pages, expanded with pyld offline."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import override
from pyld import jsonld

from countries.models import LegalSource
from guidance import datapackage
from guidance import jsonld as jsonld_builder

CPSV = "http://purl.org/vocab/cpsv#"
CV = "http://data.europa.eu/m8g/"
DCAT = "http://www.w3.org/ns/dcat#"
SCHEMA = "https://schema.org/"
ELI = "http://data.europa.eu/eli/ontology#"
FOAF = "http://xmlns.com/foaf/0.1/"


def _offline_loader(url, options=None):
    # Every context is inline: a document that names a remote one fails here instead of fetching it.
    raise jsonld.JsonLdError(f"no remote context in tests: {url}", "loading document failed")


def expand(document):
    return jsonld.expand(document, {"documentLoader": _offline_loader})


def _nodes(expanded):
    nodes = []
    for node in expanded:
        nodes += _nodes(node["@graph"]) if "@graph" in node else [node]
    return nodes


@pytest.fixture
def packages(corridor_data, settings, tmp_path):
    settings.DATA_PACKAGE_ROOT = tmp_path / "packages"
    return datapackage.datapackage_build()


def test_package_index_lists_the_latest_with_its_checksum(packages, client):
    body = client.get("/api/v1/datapackages/").json()
    assert body["latest"]["sha256"] == packages["sha256"]
    assert body["latest"]["data_version"] == body["data_version"]
    assert body["licence"]["name"] == "CC-BY-4.0"
    download = client.get(body["latest"]["url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_package_index_answers_304_when_nothing_changed(packages, client):
    first = client.get("/api/v1/datapackages/")
    again = client.get("/api/v1/datapackages/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_package_index_changes_its_etag_after_a_new_build(packages, client):
    from countries.services import country_data_version_bump

    first = client.get("/api/v1/datapackages/")
    country_data_version_bump(country_codes=["MA"])
    datapackage.datapackage_build()
    again = client.get("/api/v1/datapackages/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and len(again.json()["packages"]) == 2


@pytest.mark.parametrize("name", ["../settings.py", "mobility-hub-data-0.0.zip", "other.zip"])
def test_only_kept_packages_are_served(packages, client, name):
    response = client.get(f"/api/v1/datapackages/{name}")
    assert response.status_code in (301, 404) and response.get("Content-Type") != "application/zip"


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_downloads_page_offers_the_latest_package(packages, client, language):
    response = client.get(f"/{language}/downloads/")
    assert response.status_code == 200
    assert packages["sha256"].encode() in response.content
    assert f'href="/api/v1/datapackages/{packages["file"]}"'.encode() in response.content


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_each_package_but_the_oldest_links_to_the_changes_since_the_previous_one(
    packages, client, monkeypatch, language
):
    LegalSource.objects.create(
        key="newer-source", title="Newer source", url="https://example.org/n", last_verified="2026-01-01"
    )
    # Built a minute after the fixture's package, as a later publish is (the index orders by build time).
    monkeypatch.setattr(timezone, "now", lambda real=timezone.now: real() + timedelta(minutes=1))
    newer = datapackage.datapackage_build()
    monkeypatch.undo()
    page = client.get(f"/{language}/downloads/").content.decode()
    links = re.findall(r'href="(/[a-z]{2}/changes/\?[^"]*)"', page)
    assert links == [
        f"/{language}/changes/?after_version={packages['data_version']}&amp;up_to_version={newer['data_version']}"
    ]
    assert SINCE_THE_PREVIOUS[language] in page
    changes = client.get(html.unescape(links[0])).content.decode()
    assert "Newer source" in changes


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_downloads_page_says_when_the_data_are_from_in_the_pages_date_format(packages, client, language):
    page = client.get(f"/{language}/downloads/").content.decode()
    with override(language):
        shown = date_format(localtime(parse_datetime(packages["data_version_time"])), "DATETIME_FORMAT")
    assert f'<time datetime="{packages["data_version_time"]}">{html.escape(shown)}</time>' in page
    assert f">{packages['data_version_time']}<" not in page  # not the raw ISO text


SINCE_THE_PREVIOUS = {
    "en": "Changes since the previous version",
    "fr": "Modifications depuis la version précédente",
    "ar": "التغييرات منذ الإصدار السابق",
    "de": "Änderungen seit der vorherigen Version",
}


def test_downloads_page_says_when_no_package_exists(db, client, settings, tmp_path):
    settings.DATA_PACKAGE_ROOT = tmp_path / "none"
    response = client.get("/fr/downloads/")
    assert response.status_code == 200 and b"latest-none" in response.content


def test_footer_and_about_page_link_the_downloads(db, client):
    for path in ("/en/", "/en/about/"):
        assert b'href="/en/downloads/"' in client.get(path).content


def test_dcat_description_expands_to_a_dataset_with_its_distributions(packages, client):
    response = client.get("/api/v1/dcat.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    nodes = _nodes(expand(response.json()))
    dataset = next(node for node in nodes if f"{DCAT}Dataset" in node["@type"])
    distribution = dataset[f"{DCAT}distribution"][0]
    assert distribution[f"{DCAT}downloadURL"][0]["@id"].endswith(packages["file"])
    assert dataset["http://purl.org/dc/terms/license"][0]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    checksum = distribution["http://spdx.org/rdf/terms#checksum"][0]
    assert checksum["http://spdx.org/rdf/terms#checksumValue"][0]["@value"] == packages["sha256"]
    assert any(f"{DCAT}DataService" in node["@type"] for node in nodes)


def test_permit_as_cpsv_ap_public_service(corridor_data, client):
    response = client.get("/api/v1/permits/de-skilled/cpsv.jsonld")
    assert response.status_code == 200
    [service] = expand(response.json())
    assert service["@type"] == [f"{CPSV}PublicService"]
    titles = {value["@language"]: value["@value"] for value in service["http://purl.org/dc/terms/title"]}
    assert titles["en"] == "Skilled worker" and titles["de"] == "Fachkraft"
    [cost] = service[f"{CV}hasCost"]
    assert cost[f"{CV}value"][0]["@value"] == "75.00"
    assert cost[f"{CV}currency"][0]["@id"].endswith("/currency/EUR")
    requirements = service[f"{CV}holdsRequirement"]
    assert len(requirements) == 2 and all(f"{CV}hasSupportingEvidence" in item for item in requirements)
    assert service[f"{CV}processingTime"][0]["@value"] == "P60D"
    [legal] = service[f"{CV}hasLegalResource"]
    assert legal["@type"] == [f"{ELI}LegalResource"]
    # Not an ELI: the page about the law, not an identifier of it.
    assert "@id" not in legal and legal[f"{FOAF}page"] == [{"@id": "https://example.org/aufenthg"}]
    assert service["http://purl.org/dc/terms/spatial"][0]["@id"].endswith("/country/DEU")


@pytest.mark.parametrize(
    "url",
    [
        "http://data.europa.eu/eli/dir/2020/1057/oj",  # the examples of ELI's pillar I (guidance/jsonld.py)
        "https://www.boe.es/eli/es/lo/2013/12/20/9",
    ],
)
def test_a_legal_source_whose_url_is_an_eli_is_the_legal_resource_it_identifies(corridor_data, client, url):
    corridor_data["source"].url = url
    corridor_data["source"].save()
    [service] = expand(client.get("/api/v1/permits/de-skilled/cpsv.jsonld").json())
    [legal] = service[f"{CV}hasLegalResource"]
    assert legal["@id"] == url and legal["@type"] == [f"{ELI}LegalResource"] and f"{FOAF}page" not in legal


@pytest.mark.parametrize(
    "url", ["https://example.org/deli/aufenthg", "https://example.org/law?eli=/eli/de/2004", "https://example.org/eli/"]
)
def test_no_eli_is_made_up_for_a_url_that_only_looks_like_one(url):
    assert jsonld_builder.eli_of(url) is None


def test_cpsv_of_a_draft_permit_is_not_found(corridor_data, client):
    assert client.get("/api/v1/permits/de-draft/cpsv.jsonld").status_code == 404


def _embedded(content):
    blocks = re.findall(rb'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return [json.loads(block) for block in blocks]


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_permit_page_embeds_a_schema_org_government_service(corridor_data, client, language):
    [document] = _embedded(client.get(f"/{language}/permits/de-skilled/").content)
    [service] = expand(document)
    assert service["@type"] == [f"{SCHEMA}GovernmentService"]
    assert service[f"{SCHEMA}identifier"][0]["@value"] == "de-skilled"
    assert service[f"{SCHEMA}offers"][0][f"{SCHEMA}priceCurrency"][0]["@value"] == "EUR"
    assert service[f"{SCHEMA}isBasedOn"][0]["@type"] == [f"{SCHEMA}Legislation"]


def test_agreement_page_embeds_a_schema_org_legislation(corridor_data, client):
    [document] = _embedded(client.get("/en/agreements/de-ma-social/").content)
    [legislation] = expand(document)
    assert legislation["@type"] == [f"{SCHEMA}Legislation"]
    assert legislation[f"{SCHEMA}legislationDateOfApplicability"][0]["@value"] == "1986-08-01"


def test_embedded_json_ld_cannot_close_its_script(corridor_data, client):
    permit = corridor_data["permit"]
    permit.name_en = "Skilled </script><b>worker"
    permit.save()
    content = client.get("/en/permits/de-skilled/").content
    assert b"</script><b>" not in content
    assert _embedded(content)[0]["name"] == "Skilled </script><b>worker"
