import math
import uuid

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from .changelog import change_context
from .throttling import PAGE_THROTTLES


class ChangeContextMiddleware:
    """Give each request an id (kept from a valid X-Request-ID) and attribute its changes to its user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request_id = uuid.UUID(request.headers.get("X-Request-ID", ""))
        except ValueError:
            request_id = uuid.uuid4()
        request.id = request_id
        with change_context(user=_LazyUser(request), request_id=request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request_id)
        return response


class _LazyUser:
    """Resolve request.user only when a change is actually logged (most requests write nothing)."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request.user, name)

    @property
    def is_authenticated(self):
        user = getattr(self._request, "user", None)
        return bool(user and user.is_authenticated)

    def resolve(self):
        return self._request.user


class NulCharacterMiddleware:
    """Refuse (400) a request to the admin, the API or the feeds whose address holds a NUL character,
    in its path or its query.

    PostgreSQL cannot store or compare text holding NUL, so a lookup with it (an admin list filter or
    autocomplete, a feed's country) ended in a 500; no real address holds one. The pages are left to
    their forms, which answer such input with a form error or a 404 in the visitor's language.
    """

    GUARDED_PREFIXES = ("/admin/", "/api/", "/feeds/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.GUARDED_PREFIXES) and (
            "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in _query_items(request))
        ):
            message = gettext("The address holds a NUL character (%00), which no page or filter accepts.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _query_items(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


class PageThrottleMiddleware:
    """Throttle the pages, search, feeds and the licence check per client (core/throttling.py);
    the API has its own throttles, the admin its lockout. A throttled visitor gets a plain 429 page
    in their language, with Retry-After."""

    EXEMPT_PREFIXES = ("/api/", "/admin/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self._exempt_prefixes()):
            for throttle_class in PAGE_THROTTLES:
                throttle = throttle_class()
                if not throttle.allow_request(request, None):
                    return self._throttled(request, throttle.wait())
        return self.get_response(request)

    def _exempt_prefixes(self):
        static = tuple(f"/{prefix.strip('/')}/" for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix)
        return self.EXEMPT_PREFIXES + static

    @staticmethod
    def _throttled(request, wait):
        seconds = max(1, math.ceil(wait or 1))
        response = render(request, "429.html", {"retry_after": seconds}, status=429)
        response["Retry-After"] = str(seconds)
        return response
