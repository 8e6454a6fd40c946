"""Who a client is, and how often it may ask: the throttles of the API and of the pages.

The client's address is the connection's, unless NUM_PROXIES proxies are trusted to append to
X-Forwarded-For: then it is the address the outermost trusted proxy saw, so a client cannot reset its
budget by sending a new X-Forwarded-For. The throttles, the admin lockout (django-axes) and the page
throttle all use it. Rates come from `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`, read on each request
(None switches a throttle off); signed-in users are counted by account, at a higher rate.
"""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


def client_address(request):
    """The client's address: REMOTE_ADDR, or with NUM_PROXIES = n > 0 the n-th address from the end
    of X-Forwarded-For (the one the outermost trusted proxy appended)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "NUM_PROXIES", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote


def _signed_in(request):
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class RateFromSettings(SimpleRateThrottle):
    """A throttle whose rate is read from settings on each request, so that a change (or a test) applies at once."""

    def __init__(self):
        pass

    def allow_request(self, request, view):
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        return client_address(request)


class AnonymousThrottle(RateFromSettings):
    """Anonymous clients, by address (rate "anon", e.g. "120/min")."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if _signed_in(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignedInThrottle(RateFromSettings):
    """Signed-in users, by account (rate "user", higher than the anonymous one)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not _signed_in(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PageAnonymousThrottle(AnonymousThrottle):
    scope = "page_anon"


class PageSignedInThrottle(SignedInThrottle):
    scope = "page_user"


# For the API's views: each client is counted by one of the two.
THROTTLES = [AnonymousThrottle, SignedInThrottle]
PAGE_THROTTLES = [PageAnonymousThrottle, PageSignedInThrottle]
