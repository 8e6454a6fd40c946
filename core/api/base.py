"""What every public, read-only endpoint of /api/v1/ shares.

Pagination (page numbers, or cursors for the large lists), CSV besides JSON, the throttles
(core/throttling.py), and conditional requests plus a response cache keyed on the data version
(see versioning.py): an unchanged answer costs one small query, and a publish is seen at once.
With the cache down (core/cache.py) the answers are computed each time, never refused.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, negotiation, pagination, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from ..text import digits_latin
from ..throttling import THROTTLES
from .renderers import CSVRenderer
from .versioning import data_version_current

CACHED_HEADERS = ("Content-Type", "Content-Disposition")
DATA_VERSION_HEADER = "X-Data-Version"
CACHED_FORMATS = ("json", "csv")


def _lists_everything(request):
    # A CSV download is the whole filtered list, not one page of it.
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format == CSVRenderer.format


def query_integer(request, name, *, minimum, maximum=None):
    """The value of the query parameter `name` as an integer, None when it is absent.

    Anything else than digits, or a number out of bounds, answers 400 naming the parameter: DRF's
    paginators would silently fall back to their default, so that `page_size=abc` looked accepted.
    """
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # Any number of digits is a whole number (a page far past the last is a 404, not a 400); the
    # bound on their count only keeps int() within Python's limit on the digits it converts.
    # Digits of any script count ("٢" is 2, core.text.digits_latin).
    raw = digits_latin(raw)
    value = int(raw) if re.fullmatch(r"[0-9]{1,1000}", raw) else None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("%(name)s must be a whole number from %(minimum)d.")
        else:
            message = _("%(name)s must be a whole number from %(minimum)d to %(maximum)d.")
        message %= {"name": name, "minimum": minimum, "maximum": maximum}
        raise ValidationError({name: [message]})
    return value


class StrictPageSizeMixin:
    """`page_size` from 1 to `max_page_size`, refused otherwise; the schema says so (integer, minimum, maximum)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        size = query_integer(request, self.page_size_query_param, minimum=1, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def validate_query(self, request):
        """Check the paging parameters even when the answer is not paged (CSV): a typo is never ignored."""
        self.get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters


class PageNumberPagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    # Only numbers: the schema types `page` as an integer, so DRF's "last" is not taken either.
    last_page_strings = ()

    def validate_query(self, request):
        super().validate_query(request)
        query_integer(request, self.page_query_param, minimum=1)

    def get_page_number(self, request, paginator):
        self.validate_query(request)
        return super().get_page_number(request, paginator)

    def paginate_queryset(self, queryset, request, view=None):
        if _lists_everything(request):
            self.validate_query(request)
            return None
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    "A page number, from 1; a page past the last answers 404. Not used with `format=csv`."
                )
        return parameters


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """For the large lists (agencies, visa requirements): no COUNT, stable under inserts."""

    ordering = "id"

    def paginate_queryset(self, queryset, request, view=None):
        if _lists_everything(request):
            self.validate_query(request)
            return None
        return super().paginate_queryset(queryset, request, view)


class StrictFormatNegotiation(negotiation.DefaultContentNegotiation):
    """An empty `?format=` is refused like an unknown format (404), not read as "no format given"."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise Http404
        return super().select_renderer(request, renderers, format_suffix)


class DataVersionConditionalMixin:
    """ETag / Last-Modified with 304 answers, and a cache of whole responses, both keyed on the data version.

    Only successful answers are cached. The key holds the data version, the full path with its
    query, the output format and the language, so that two requests share an entry only when
    their answers are the same bytes. `API_CACHE_ENABLED = False` turns the cache off (the
    conditional answers stay).
    """

    cache_timeout = 60 * 60

    def list(self, request, *args, **kwargs):
        return self.respond_versioned(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.respond_versioned(request, super().retrieve, *args, **kwargs)

    def response_fingerprint(self, request, version):
        # Today's date is part of it: answers such as "licence valid today" change at midnight.
        parts = (
            version.token,
            request.get_full_path(),
            request.accepted_renderer.format,
            get_language() or "",
            timezone.localdate().isoformat(),
        )
        return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()

    def respond_versioned(self, request, handler, *args, **kwargs):
        version = self._data_version = data_version_current()
        fingerprint = self.response_fingerprint(request, version)
        etag = f'"{fingerprint}"'
        # Whole seconds: HTTP dates have no fractions, and If-Modified-Since compares with them.
        last_modified = int(version.last_change_time.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self._with_validators(not_modified, etag, last_modified)
        # The browsable HTML pages carry per-visitor bits (a CSRF token); only data formats are shared.
        use_cache = getattr(settings, "API_CACHE_ENABLED", True) and request.accepted_renderer.format in CACHED_FORMATS
        key = f"api:v1:{fingerprint}"
        if use_cache:
            stored = cache.get(key)
            if stored is not None:
                content, headers = stored
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                return self._with_validators(response, etag, last_modified)
        response = handler(request, *args, **kwargs)
        if response.status_code == 200 and use_cache:
            response = self.finalize_response(request, response, *args, **kwargs)
            response.render()
            headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), self.cache_timeout)
        if response.status_code == 200:
            self._with_validators(response, etag, last_modified)
        return response

    def _with_validators(self, response, etag, last_modified):
        # The data version the answer was read at: the same token as the data packages' and the feeds'.
        response[DATA_VERSION_HEADER] = self._data_version.token
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ("Accept", "Accept-Language"))
        return response


class PublicReadOnlyViewSet(DataVersionConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail of published rows, filterable, in JSON, CSV or the browsable API."""

    renderer_classes = [JSONRenderer, CSVRenderer, BrowsableAPIRenderer]
    content_negotiation_class = StrictFormatNegotiation
    pagination_class = PageNumberPagination
    throttle_classes = THROTTLES
    filter_backends = [DjangoFilterBackend]
    # Numeric ids only, so that a neighbour's route such as /corridors/compare/ is not taken for an id;
    # viewsets looked up by code or key set KEY_LOOKUP instead.
    lookup_value_regex = r"\d+"


KEY_LOOKUP = r"[^/.]+"

# For the lists where people expect to search by name and sort.
SEARCH_AND_ORDERING = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
