"""OpenAPI descriptions shared by the endpoints: the output formats, and every error they can answer."""

import django_filters
from django.core.validators import MaxValueValidator, MinValueValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=["json", "csv"],
    description="Output format. `csv` (or `Accept: text/csv`) downloads the whole filtered list as CSV, "
    "not one page; text cells that start with = + - or @ are prefixed with an apostrophe.",
)

DETAIL_ERROR = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})

BAD_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A query parameter has an unknown or malformed value (e.g. an unknown country code or choice, "
    "or `page_size=abc`). The body maps each such parameter to a list of messages.",
)
NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the `If-None-Match` ETag (or `If-Modified-Since` date) still matches the data."
)
NOT_FOUND = OpenApiResponse(DETAIL_ERROR, description="No published object has this identifier.")
THROTTLED = OpenApiResponse(
    DETAIL_ERROR,
    description="Too many requests from this anonymous client; the `Retry-After` header says how many seconds to wait.",
)
NOT_ACCEPTABLE = OpenApiResponse(
    DETAIL_ERROR, description="The `Accept` header asks for a format the API does not offer."
)

LIST_ERRORS = {304: NOT_MODIFIED, 400: BAD_FILTER, 404: NOT_FOUND, 406: NOT_ACCEPTABLE, 429: THROTTLED}
DETAIL_ERRORS = {304: NOT_MODIFIED, 404: NOT_FOUND, 406: NOT_ACCEPTABLE, 429: THROTTLED}


def list_and_detail(serializer, plural, singular, *, lookup="the id"):
    """`extend_schema_view` arguments for a read-only list and detail endpoint."""
    return {
        "list": extend_schema(
            summary=f"List {plural}",
            description=f"The published {plural}, filtered by the query parameters below, one page at a time "
            "(or all of them as CSV). Answers carry an ETag and Last-Modified; send them back to get 304.",
            parameters=[FORMAT_PARAMETER],
            responses={200: serializer, **LIST_ERRORS},
        ),
        "retrieve": extend_schema(
            summary=f"One {singular}",
            description=f"One published {singular}, looked up by {lookup}.",
            parameters=[FORMAT_PARAMETER],
            responses={200: serializer, **DETAIL_ERRORS},
        ),
    }


ERROR_DETAIL_COMPONENT = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
DETAIL_ERROR_RESPONSE = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}}
# A 400 names the parameters or fields at fault ({"page_size": ["…"]}), or holds a `detail`.
BAD_REQUEST_RESPONSE = {"content": {"application/json": {"schema": {"type": "object", "additionalProperties": {}}}}}
# What every operation under /api/ may answer besides its own responses, whatever view serves it.
COMMON_ANSWERS = {
    "400": "A malformed request: a parameter with an unknown or malformed value (the body maps each such "
    "parameter to a list of messages), or a NUL character (%00) in the address (the body's `detail` says so).",
    "404": "Not found: no such object, a page past the last one, or an unknown `format`. The body is JSON.",
    "429": "Too many requests from this client; the `Retry-After` header says how many seconds to wait.",
}
AUTHENTICATED_ANSWERS = {
    "401": "No credentials, or wrong ones: send `Authorization: Token <key>` (or sign in to the admin).",
    "403": "These credentials do not allow this action on this object.",
}


# Query parameters that name an ISCO-08 group (looked up in the reference data; an unknown one answers 400).
ISCO_CODE_PARAMETERS = ("occupation", "isco_group", "parent")
ISCO_CODE_PATTERN = "^[0-9]{1,4}$"
# ISIC Rev. 4 sections (countries/migrations/0003_isic_sectors.py): a fixed list of 21 letters.
SECTOR_PARAMETERS = ("sector",)
SECTOR_CODES = list("ABCDEFGHIJKLMNOPQRSTU")


def _filter_parameters(generator):
    """{path: {query parameter read by django-filter, SearchFilter or OrderingFilter: what its schema lacks}}.

    These take an empty value as "not given" (as an HTML form sends an unused field): the schema
    says so with `allowEmptyValue`. The paging and format parameters refuse an empty value. Also
    added: the choices of a ChoiceFilter given as a callable, and the bounds of a NumberFilter
    (django-filter's own 1e50 among them), which drf-spectacular leaves out.
    """
    parameters = {}
    for path, _regex, _method, view in getattr(generator, "endpoints", None) or []:
        filterset_class = getattr(getattr(view, "cls", view), "filterset_class", None)
        if filterset_class is None:
            continue
        found = {"search": {}, "ordering": {}}
        for name, filter_ in filterset_class.base_filters.items():
            schema = {}
            if isinstance(filter_, django_filters.ChoiceFilter):
                choices = filter_.extra.get("choices")
                choices = choices() if callable(choices) else choices
                if choices:
                    schema["enum"] = [str(value) for value, _label in choices]
            elif isinstance(filter_, django_filters.NumberFilter):
                for validator in filter_.field.validators:
                    if isinstance(validator, MinValueValidator):
                        schema["minimum"] = float(validator.limit_value)
                    elif isinstance(validator, MaxValueValidator):
                        schema["maximum"] = float(validator.limit_value)
            found[name] = schema
        parameters[path] = found
    return parameters


def _iri_formats(node):
    # Source URLs are IRIs: a legal text's address may hold Arabic or accented letters, which
    # `format: uri` (ASCII only) refuses. An IRI is also what every ASCII URL is.
    if isinstance(node, dict):
        if node.get("format") == "uri":
            node["format"] = "iri"
        # A blank URL field is "an IRI or empty"; "" is also a valid IRI reference, so `oneOf` (exactly
        # one) would refuse it. `anyOf` says what is meant.
        if "oneOf" in node and any(
            isinstance(branch, dict) and branch.get("format") == "uri" for branch in node["oneOf"]
        ):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _iri_formats(value)
    elif isinstance(node, list):
        for value in node:
            _iri_formats(value)


def postprocess_api_errors(result, generator, request, public):
    """A drf-spectacular postprocessing hook: the answers every operation shares, documented with their JSON bodies.

    Done once here rather than on each view, so that the views of every app (the submission endpoints,
    the portal's) say the same: 400, 404 and 429 everywhere, 401 and 403 where credentials are required,
    ISCO-08 codes as one to four digits, ISIC sections as letters, filters that take an empty value,
    and URLs as IRIs.
    """
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault("ErrorDetail", ERROR_DETAIL_COMPONENT)
    filters = _filter_parameters(generator)
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                name = parameter.get("name")
                if method == "get" and name in filters.get(path, {}):
                    parameter["allowEmptyValue"] = True
                    for keyword, value in filters[path][name].items():
                        schema.setdefault(keyword, value)
                if schema.get("type") != "string":
                    continue
                if name in ISCO_CODE_PARAMETERS:
                    schema.setdefault("pattern", ISCO_CODE_PATTERN)
                elif name in SECTOR_PARAMETERS:
                    schema.setdefault("enum", SECTOR_CODES)
            answers = dict(COMMON_ANSWERS)
            # drf-spectacular lists `{}` among the security requirements when anonymous clients are allowed.
            if operation.get("security") and {} not in operation["security"]:
                answers.update(AUTHENTICATED_ANSWERS)
            for status, description in answers.items():
                body = BAD_REQUEST_RESPONSE if status == "400" else DETAIL_ERROR_RESPONSE
                operation["responses"].setdefault(status, {**body, "description": description})
    _iri_formats(result)
    return result
