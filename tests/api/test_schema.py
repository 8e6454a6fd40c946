"""The OpenAPI schema: complete, valid, served with Swagger UI and Redoc that need nothing from outside;
and a bounded schemathesis run: no 5xx, and every answer conforms to the schema."""

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as schemathesis_checks

from core.fields import PublicationStatus
from mobility_hub.wsgi import application
from tests.factories import (
    AgreementFactory,
    FeeFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    RecruitmentAgencyFactory,
    RecruitmentRegimeFactory,
    RequiredDocumentFactory,
)

PUBLIC_PATHS = (
    "countries",
    "corridors",
    "agreements",
    "legal-sources",
    "permits",
    "occupations",
    "esco-occupations",
    "qualification-recognition",
    "visa-requirements",
    "recruitment-regimes",
    "agencies",
    "changes",
    "licence-check",
)


@pytest.fixture
def schema_document(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_every_public_endpoint_is_in_the_schema_with_its_errors(schema_document):
    paths = schema_document["paths"]
    for name in PUBLIC_PATHS:
        assert f"/api/v1/{name}/" in paths, name
        operation = paths[f"/api/v1/{name}/"]["get"]
        assert operation.get("summary") and operation.get("description"), name
        assert {"200", "304", "400", "429"} <= set(operation["responses"]), name
    permit_parameters = {parameter["name"]: parameter for parameter in paths["/api/v1/permits/"]["get"]["parameters"]}
    for name in ("destination", "purpose", "skill_level", "occupation", "nationality", "job_offer_required", "max_fee"):
        assert permit_parameters[name].get("description"), name
    assert permit_parameters["purpose"]["schema"]["enum"]
    assert "404" in paths["/api/v1/permits/{code}/"]["get"]["responses"]


@pytest.mark.django_db
def test_swagger_ui_and_redoc_load_only_local_assets_under_a_strict_policy(api):
    for url in ("/api/v1/schema/swagger-ui/", "/api/v1/schema/redoc/"):
        response = api.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "https://" not in page and "http://" not in page, url
        assert "/static/drf_spectacular_sidecar/" in page
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "'unsafe-inline'" in policy.split("style-src")[1].split(";")[0]
        assert "script-src" not in policy  # scripts stay on the default: our own origin only
    script = api.get("/api/v1/schema/swagger-ui/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_other_pages_keep_the_strict_policy(api):
    policy = api.get("/api/v1/permits/", HTTP_ACCEPT="text/html")["Content-Security-Policy"]
    assert "unsafe-inline" not in policy


@pytest.fixture
def api_with_data(db, settings):
    """A little of everything, published, so that generated requests find rows, not only 404s.

    The requests go through the WSGI application inside the test's transaction, so, as Django's
    test client does, the connection must not be closed at the end of each request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    source = LegalSourceFactory(country_id="DE", key="de-source")
    permit = PermitCategoryFactory(code="de-permit", publication_status=PublicationStatus.PUBLISHED)
    permit.legal_sources.set([source])
    permit.occupations.set(["2221"])
    RequiredDocumentFactory(permit=permit)
    FeeFactory(permit=permit)
    AgreementFactory(key="ma-de", publication_status=PublicationStatus.PUBLISHED)
    RecruitmentAgencyFactory(
        licence_number="EX-1", publication_status=PublicationStatus.PUBLISHED, valid_until=datetime.date(2999, 1, 1)
    )
    RecruitmentRegimeFactory(country_id="MA", publication_status=PublicationStatus.PUBLISHED)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application).include(
        path_regex=r"^/api/v1/(" + "|".join(PUBLIC_PATHS) + r")/(\{[a-z]+\}/)?$", method="GET"
    )
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_conforms_to_its_schema(api_with_data):
    """Each GET operation with a dozen generated requests (deterministic): no 5xx, answers as documented."""
    checked = []
    for result in api_with_data.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(
                checks=[
                    schemathesis_checks.not_a_server_error,
                    schemathesis_checks.status_code_conformance,
                    schemathesis_checks.content_type_conformance,
                    schemathesis_checks.response_schema_conformance,
                ]
            )

        check()
        checked.append(operation.path)
    assert len(checked) == 2 * len(PUBLIC_PATHS) - 1  # a list and a detail each; the licence check has no detail
