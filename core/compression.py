"""Gzip for public pages and API answers, never for an answer that carries a secret (BREACH)."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

# Text that shrinks; anything else (zip packages, images, fonts, PDF) is already compressed or not worth it.
_COMPRESSIBLE_SUBTYPES = ("json", "xml", "javascript", "yaml", "x-yaml", "vnd.oai.openapi")
_COMPRESSIBLE_SUFFIXES = ("+json", "+xml", "+yaml")


class PublicGZipMiddleware(GZipMiddleware):
    """Gzip public pages and API answers (Django's GZipMiddleware), except where BREACH could read a secret.

    BREACH recovers a secret from an HTTPS body by making the victim's browser send requests with a guessed
    fragment reflected in the page and watching the compressed size: compression is only dangerous where
    a body holds a secret. Here only two kinds of answer hold one, and they are sent uncompressed:

    - an answer that used the CSRF token: `get_token()` (the `{% csrf_token %}` of the report form, the
      admin login, the browsable API) makes CsrfViewMiddleware set the CSRF cookie on that response, every
      time, so the cookie on the response is the signal (`CSRF_COOKIE_NEEDS_UPDATE` still set covers a
      token used where that middleware did not run);
    - an answer within a session or for a signed-in user: the request brings the session cookie, the
      response sets it, or the user is authenticated (an API token as well); and the whole admin.

    Public pages and API answers hold no secret, so they are compressed, with `Vary: Accept-Encoding`.
    Streaming answers (the bulk downloads are zip files, static files go through whitenoise), bodies under
    200 bytes and types that are not text are left as they are. A compressed answer's strong ETag becomes
    weak (RFC 9110 8.8.1); `If-None-Match` compares weakly, so the weak tag still answers 304, and a 304 to
    a client that accepts gzip carries the same weak tag and `Vary` as the 200 it stands for.
    Django adds up to 100 random bytes to each gzip header (its own BREACH mitigation); it is not relied on.

    Placed above SessionMiddleware and CsrfViewMiddleware, so it sees the cookies they set on the response.
    """

    EXEMPT_PREFIXES = ("/admin/",)

    def process_response(self, request, response):
        if not self._may_compress(request, response):
            return response
        if response.status_code == 304:
            return self._not_modified(request, response)
        if response.streaming or not _compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)

    def _may_compress(self, request, response):
        if request.path_info.startswith(self.EXEMPT_PREFIXES):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        if settings.SESSION_COOKIE_NAME in response.cookies or settings.CSRF_COOKIE_NAME in response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        # Without a session cookie this reads no session: only an API token makes a user signed in here.
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def _not_modified(request, response):
        # The validators of the 200 it stands for (RFC 9110 15.4.5), which the 200 would have had gzipped.
        patch_vary_headers(response, ("Accept-Encoding",))
        etag = response.get("ETag")
        if etag and etag.startswith('"') and re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            response.headers["ETag"] = "W/" + etag
        return response


def _compressible(content_type):
    kind = content_type.split(";", 1)[0].strip().lower()
    major, _, subtype = kind.partition("/")
    return major == "text" or subtype in _COMPRESSIBLE_SUBTYPES or subtype.endswith(_COMPRESSIBLE_SUFFIXES)
