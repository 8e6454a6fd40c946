"""OpenAPI descriptions shared by the endpoints: the output formats, and every error they can answer."""

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
    description="A query parameter has an unknown or malformed value (e.g. an unknown country code or choice). "
    "The body maps each such parameter to a list of messages.",
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
