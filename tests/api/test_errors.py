"""What the API answers for a request it cannot serve, and that the schema says so: typed paging
parameters (400 naming the parameter), country codes from a documented list (400 otherwise), JSON 404s
under /api/ in every mode, 401 and 403 where credentials are required, source URLs as IRIs."""

import json

import pytest

from core.fields import PublicationStatus
from countries.filters import COUNTRY_CODES
from tests.factories import LegalSourceFactory, PermitCategoryFactory

pytestmark = pytest.mark.django_db

PERMITS = "/api/v1/permits/"
AGENCIES = "/api/v1/agencies/"  # cursor pages


@pytest.fixture
def schema_document(api):
    return api.get("/api/v1/schema/", {"format": "json"}).json()


def operations_under_api(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def json_error_schema(response):
    return response["content"]["application/json"]["schema"]


@pytest.mark.parametrize("url", [PERMITS, AGENCIES])
@pytest.mark.parametrize("value", ["abc", "", "0", "-1", "501", "1.5", "null"])
def test_page_size_that_is_not_a_number_from_1_to_500_answers_400_naming_it(api, url, value):
    response = api.get(url, {"page_size": value})
    assert response.status_code == 400, response.content
    assert response.json() == {"page_size": ["page_size must be a whole number from 1 to 500."]}


def test_page_size_is_checked_for_csv_downloads_too(api):
    assert api.get(PERMITS, {"format": "csv", "page_size": "abc"}).status_code == 400
    assert api.get(PERMITS, {"format": "csv", "page": "abc"}).status_code == 400
    assert api.get(PERMITS, {"format": "csv", "page_size": "500", "page": "3"}).status_code == 200


@pytest.mark.parametrize("value", ["abc", "0", "last", "-2"])
def test_page_that_is_not_a_number_from_1_answers_400_naming_it(api, value):
    response = api.get(PERMITS, {"page": value})
    assert response.status_code == 400
    assert response.json() == {"page": ["page must be a whole number from 1."]}


def test_page_past_the_last_is_a_json_404_and_a_good_page_size_is_taken(api):
    PermitCategoryFactory.create_batch(
        3, publication_status=PublicationStatus.PUBLISHED, legal_sources=[LegalSourceFactory()]
    )
    assert len(api.get(PERMITS, {"page_size": "2"}).json()["results"]) == 2
    assert len(api.get(PERMITS, {"page_size": "2", "page": "2"}).json()["results"]) == 1
    past = api.get(PERMITS, {"page": "98765432109876543210"})
    assert past.status_code == 404
    assert past["Content-Type"] == "application/json"


def test_page_size_message_is_translated(api):
    response = api.get(PERMITS, {"page_size": "abc"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json() == {"page_size": ["page_size doit être un nombre entier de 1 à 500."]}


def test_paging_parameters_are_typed_integers_with_bounds_in_the_schema(schema_document):
    checked = 0
    for label, operation in operations_under_api(schema_document):
        if "/api/v1/submissions/" in label:
            continue  # the submission endpoints page their own way (submissions/api/views.py)
        parameters = {parameter["name"]: parameter["schema"] for parameter in operation.get("parameters", [])}
        if "page_size" in parameters:
            assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}, label
            checked += 1
        if "page" in parameters:
            assert parameters["page"] == {"type": "integer", "minimum": 1}, label
    assert checked >= 12


def test_unknown_country_answers_400_and_the_schema_lists_the_codes(api, schema_document):
    response = api.get("/api/v1/corridors/", {"origin": "QQ"})
    assert response.status_code == 400
    assert "QQ" in response.json()["origin"][0]
    assert api.get("/api/v1/corridors/", {"origin": "ma"}).status_code == 200  # lower case is taken
    assert api.get("/api/v1/licence-check/", {"country": "QQ", "licence_number": "1"}).status_code == 400

    assert "MA" in COUNTRY_CODES and "XK" in COUNTRY_CODES and "QQ" not in COUNTRY_CODES
    assert len(COUNTRY_CODES) == 250
    country_parameters = [
        (label, parameter)
        for label, operation in operations_under_api(schema_document)
        for parameter in operation.get("parameters", [])
        if parameter["name"] in ("country", "origin", "destination", "nationality", "party")
        and parameter["in"] == "query"
        and not label.startswith(("GET /api/v1/eligibility/", "GET /api/v1/changes/"))
    ]
    assert len(country_parameters) >= 12
    for label, parameter in country_parameters:
        assert parameter["schema"]["enum"] == COUNTRY_CODES, (label, parameter["name"])
    corridors = schema_document["paths"]["/api/v1/corridors/"]["get"]["responses"]
    assert "400" in corridors and "unknown country code" in corridors["400"]["description"]


def test_international_filter_refuses_what_is_not_true_or_false(api):
    assert api.get("/api/v1/legal-sources/", {"international": "-1"}).status_code == 400
    LegalSourceFactory(country_id=None, key="ilo-181")
    LegalSourceFactory(country_id="MA", key="ma-law")
    keys = [row["key"] for row in api.get("/api/v1/legal-sources/", {"international": "true"}).json()["results"]]
    assert keys == ["ilo-181"]


def test_empty_format_is_refused_like_an_unknown_one(api):
    for value in ("", "xml"):
        response = api.get(PERMITS, {"format": value})
        assert response.status_code == 404, value
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/no-such-list/",
        "/api/v1/permits/x/y/",
        "/api/v1/agencies/abc/",
        "/api/v1/submissions/1.5/",
        "/api/v1/qualification-recognition/a%0Ab/",
    ],
)
def test_404_under_api_is_json_in_every_mode(api, settings, debug, url):
    settings.DEBUG = debug
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_every_operation_documents_404_and_429_with_a_json_body(schema_document):
    assert schema_document["components"]["schemas"]["ErrorDetail"]["properties"] == {"detail": {"type": "string"}}
    for label, operation in operations_under_api(schema_document):
        for status in ("404", "429"):
            assert json_error_schema(operation["responses"][status]) == {"$ref": "#/components/schemas/ErrorDetail"}, (
                label,
                status,
            )


def test_submission_endpoints_answer_401_without_credentials_and_document_401_and_403(api, schema_document):
    response = api.get("/api/v1/submissions/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()
    submission_operations = 0
    for label, operation in operations_under_api(schema_document):
        if "/api/v1/submissions/" in label:
            submission_operations += 1
            for status in ("401", "403"):
                assert json_error_schema(operation["responses"][status]) == {
                    "$ref": "#/components/schemas/ErrorDetail"
                }, (label, status)
        elif "/api/v1/schema/" not in label:
            assert "401" not in operation["responses"], label  # anonymous clients are served
    assert submission_operations >= 5


def test_source_urls_are_iris_so_that_arabic_and_accented_addresses_conform(api, schema_document):
    assert '"format": "uri"' not in json.dumps(schema_document)
    assert schema_document["components"]["schemas"]["LegalSource"]["properties"]["url"]["format"] == "iri"
    LegalSourceFactory(key="ae-arabic", country_id="AE", url="https://www.aletihad.ae/articleamp/124532/2007/بحث")
    assert api.get("/api/v1/legal-sources/ae-arabic/").json()["url"].endswith("/بحث")


def test_code_parameters_have_a_shape_and_filters_say_an_empty_value_is_not_given(api, schema_document):
    permits = {parameter["name"]: parameter for parameter in schema_document["paths"][PERMITS]["get"]["parameters"]}
    assert permits["occupation"]["schema"]["pattern"] == "^[0-9]{1,4}$"
    assert permits["occupation"]["allowEmptyValue"] is True
    assert "allowEmptyValue" not in permits["page_size"] and "allowEmptyValue" not in permits["format"]
    agencies = {parameter["name"]: parameter for parameter in schema_document["paths"][AGENCIES]["get"]["parameters"]}
    assert agencies["sector"]["schema"]["enum"] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert api.get(PERMITS, {"occupation": "9999"}).status_code == 400  # well-formed, unknown: documented 400
    PermitCategoryFactory(publication_status=PublicationStatus.PUBLISHED, legal_sources=[LegalSourceFactory()])
    assert api.get(PERMITS, {"occupation": ""}).json() == api.get(PERMITS).json()


def test_number_filters_have_their_bounds_in_the_schema(api, schema_document):
    permits = {
        parameter["name"]: parameter["schema"] for parameter in schema_document["paths"][PERMITS]["get"]["parameters"]
    }
    assert permits["max_fee"] == {"type": "number", "minimum": 0.0, "maximum": 1e50}
    assert api.get(PERMITS, {"max_fee": "1e51"}).status_code == 400
    assert api.get(PERMITS, {"max_fee": "1e49"}).status_code == 200
