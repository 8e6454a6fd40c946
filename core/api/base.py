"""What every public, read-only endpoint of /api/v1/ shares.

Pagination (page numbers, or cursors for the large lists), CSV besides JSON, the throttles
(core/throttling.py), and conditional requests plus a response cache keyed on the data version
(see versioning.py): an unchanged answer costs one small query, and a publish is seen at once.
With the cache down (core/cache.py) the answers are computed each time, never refused.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, pagination, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from ..throttling import THROTTLES
from .renderers import CSVRenderer
from .versioning import data_version_current

CACHED_HEADERS = ("Content-Type", "Content-Disposition")
CACHED_FORMATS = ("json", "csv")


def _lists_everything(request):
    # A CSV download is the whole filtered list, not one page of it.
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format == CSVRenderer.format


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        if _lists_everything(request):
            return None
        return super().paginate_queryset(queryset, request, view)


class CursorPagination(pagination.CursorPagination):
    """For the large lists (agencies, visa requirements): no COUNT, stable under inserts."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "id"

    def paginate_queryset(self, queryset, request, view=None):
        if _lists_everything(request):
            return None
        return super().paginate_queryset(queryset, request, view)


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
        version = data_version_current()
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

    @staticmethod
    def _with_validators(response, etag, last_modified):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ("Accept", "Accept-Language"))
        return response


class PublicReadOnlyViewSet(DataVersionConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail of published rows, filterable, in JSON, CSV or the browsable API."""

    renderer_classes = [JSONRenderer, CSVRenderer, BrowsableAPIRenderer]
    pagination_class = PageNumberPagination
    throttle_classes = THROTTLES
    filter_backends = [DjangoFilterBackend]
    # Numeric ids only, so that a neighbour's route such as /corridors/compare/ is not taken for an id;
    # viewsets looked up by code or key set KEY_LOOKUP instead.
    lookup_value_regex = r"\d+"


KEY_LOOKUP = r"[^/.]+"

# For the lists where people expect to search by name and sort.
SEARCH_AND_ORDERING = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
