"""A bounded schemathesis run over the portal's endpoints: no 5xx for any generated input, and every
answer as the OpenAPI schema documents it."""

import io

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as schemathesis_checks

from mobility_hub.wsgi import application

pytestmark = pytest.mark.django_db
PORTAL_PATHS = ("/api/v1/eligibility/", "/api/v1/corridors/compare/")


@pytest.fixture
def keep_test_connection():
    """Called through the raw WSGI application, Django would close the test's database connection
    after each request (PostgreSQL then loses the test transaction); the test client avoids it the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_portal_endpoints_conform_to_their_schema(db, keep_test_connection):
    call_command("load_demo_data", stdout=io.StringIO())
    document = SchemaGenerator().get_schema(request=None, public=True)
    document["paths"] = {path: document["paths"][path] for path in PORTAL_PATHS}
    schema = schemathesis.openapi.from_dict(document)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            # The in-process transport asks for gzip (requests' default) but never decodes it: ask for
            # plain answers (tests/core/test_compression.py covers the gzipped ones).
            response = case.call(app=application, headers={"Accept-Encoding": "identity"})
            case.validate_response(
                response,
                checks=[
                    schemathesis_checks.not_a_server_error,
                    schemathesis_checks.status_code_conformance,
                    schemathesis_checks.content_type_conformance,
                    schemathesis_checks.response_schema_conformance,
                ],
            )

        check()
        checked.append((operation.method.upper(), operation.path))
    assert sorted(checked) == sorted(
        [("GET", "/api/v1/eligibility/"), ("POST", "/api/v1/eligibility/"), ("GET", "/api/v1/corridors/compare/")]
    )
