"""Fetching a country's feed without reaching inside the hub's own network.

A feed URL is registered by a focal point and fetched by the hub's worker, which stands inside the
network next to PostgreSQL, Redis and the web app. So a URL is allowed only when it is https (http
only with FEED_ALLOW_HTTP, for tests) and every address its host resolves to is a public one
(not loopback, private, link-local, multicast, reserved or unspecified). It is checked when the
feed is registered and again at every fetch; the connection goes to the address that was checked
(no second DNS answer can slip in between) and the address actually connected to is checked once
more. Redirects are followed, at most MAX_REDIRECTS, each new URL checked the same way. The time
and the size are bounded, no proxy from the environment is used, and a failure is reported without
its detail, so that the result never tells an open port from a closed one.
"""

import functools
import http.client
import io
import ipaddress
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024


class FetchRefused(Exception):
    """The URL, or an address it leads to, is not one the hub fetches; the message says why."""


class FetchFailed(Exception):
    """The fetch did not succeed; the message is deliberately plain."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked address the connection goes to


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 (not modified)
    body: bytes
    etag: str
    last_modified: str


def resolve(host, port):
    """Every address `host` resolves to (the tests replace this with a stub)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def address_is_public(address):
    """Whether `address` is a public one: not loopback, private, link-local, multicast, reserved or unspecified."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is link-local anyway
    except ValueError:
        return False
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        else:
            # 6to4 and Teredo addresses carry an IPv4 address that must be public too.
            embedded = [ip.sixtofour, ip.teredo[1] if ip.teredo else None]
            if any(inner is not None and not address_is_public(str(inner)) for inner in embedded):
                return False
    inside = (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )
    return ip.is_global and not inside


def address_allowed(address):
    """The check applied to every address before and after connecting (the tests of a real fetch,
    whose server can only be on loopback, replace it)."""
    return address_is_public(address)


def _schemes():
    return ("https", "http") if settings.FEED_ALLOW_HTTP else ("https",)


def checked_target(url):
    """The URL's scheme, host, port and path, and the checked address to connect to; raises FetchRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused(_("the URL is not valid")) from None
    scheme = parts.scheme.lower()
    if scheme not in _schemes():
        raise FetchRefused(_("only https URLs are fetched"))
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(_("a feed URL may not hold a user name or password"))
    host = parts.hostname or ""
    if not host:
        raise FetchRefused(_("the URL has no host"))
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = resolve(host.encode("idna").decode("ascii"), port)
    except (OSError, UnicodeError):
        addresses = []
    # One message whether the name does not resolve or resolves inside: no way to probe internal names.
    if not addresses or not all(address_allowed(address) for address in addresses):
        raise FetchRefused(_("the host must resolve to public internet addresses only"))
    # The request line is ASCII: letters beyond it are percent-encoded (those already encoded stay).
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    if parts.query:
        path = f"{path}?{quote(parts.query, safe='/%:@!$&()*+,;=?~')}"
    return Target(scheme, host, port, path, addresses[0])


def check_url(url):
    """Raise FetchRefused when `url` may not be fetched (as at registration)."""
    checked_target(url)


class _PinnedConnectionMixin:
    """Connects to the checked address while speaking to the host by name (Host header, TLS SNI and
    certificate check), then checks the address connected to."""

    def __init__(self, *args, address, **kwargs):
        super().__init__(*args, **kwargs)
        self._address = address
        self._create_connection = self._connect_checked

    def _connect_checked(self, host_and_port, timeout, source_address=None):
        sock = socket.create_connection((self._address, self.port), timeout, source_address)
        peer = sock.getpeername()[0]
        if not address_allowed(peer):
            sock.close()
            raise FetchRefused(_("the host must resolve to public internet addresses only"))
        return sock


class _HTTPConnection(_PinnedConnectionMixin, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_PinnedConnectionMixin, http.client.HTTPSConnection):
    pass


def _remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed(_("no answer"))
    return left


class _DeadlineReader(io.RawIOBase):
    """The socket as a raw stream whose every read waits at most until the deadline: a server that
    sends its headers or body a byte at a time cannot hold the fetch beyond it."""

    def __init__(self, sock, deadline, socket_file):
        super().__init__()
        # While the socket's own file is open, closing the connection leaves the socket to the response.
        self._sock, self._deadline, self._socket_file = sock, deadline, socket_file

    def readable(self):
        return True

    def readinto(self, buffer):
        self._sock.settimeout(_remaining(self._deadline))
        return self._sock.recv_into(buffer)

    def close(self):
        if not self.closed:
            self._socket_file.close()
        super().close()


class _BoundedResponse(http.client.HTTPResponse):
    def __init__(self, sock, *args, deadline, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.fp = io.BufferedReader(_DeadlineReader(sock, deadline, self.fp))


def _get(target, headers, deadline, max_bytes):
    if target.scheme == "https":
        connection = _HTTPSConnection(
            target.host,
            target.port,
            timeout=_remaining(deadline),
            context=ssl.create_default_context(),
            address=target.address,
        )
    else:
        connection = _HTTPConnection(target.host, target.port, timeout=_remaining(deadline), address=target.address)
    connection.response_class = functools.partial(_BoundedResponse, deadline=deadline)
    try:
        # http.client asks for Accept-Encoding: identity: the body comes as it is, no bomb to inflate.
        connection.request("GET", target.path, headers=headers)
        response = connection.getresponse()
        status = response.status
        if status in REDIRECTS:
            return status, response.getheader("Location", ""), None
        if status != 200:
            return status, None, None
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchRefused(_("the file is larger than the upload limit"))
        body = bytearray()
        while True:
            chunk = response.read(CHUNK)
            if not chunk:
                break
            body += chunk
            if len(body) > max_bytes:
                raise FetchRefused(_("the file is larger than the upload limit"))
        return status, None, (bytes(body), response.getheader("ETag", ""), response.getheader("Last-Modified", ""))
    finally:
        connection.close()


def fetch(url, *, headers, max_bytes, timeout):
    """GET `url` as a feed; returns Fetched (200 with the body, or 304), raises FetchRefused or FetchFailed."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        target = checked_target(url)
        try:
            status, location, payload = _get(target, headers, deadline, max_bytes)
        except (FetchRefused, FetchFailed):
            raise
        except (OSError, http.client.HTTPException, ValueError) as error:
            # The detail (refused, reset, timed out, TLS) stays in the server's log only.
            logger.info("feed %s: %s", url, error.__class__.__name__)
            raise FetchFailed(_("no answer")) from None
        if status in REDIRECTS:
            if not location:
                raise FetchFailed(_("a redirect without a location"))
            url = urljoin(url, location)
            continue
        if status == 304:
            return Fetched(304, b"", "", "")
        if payload is None:
            raise FetchFailed(_("HTTP status %(status)s") % {"status": status})
        body, etag, last_modified = payload
        return Fetched(200, body, etag, last_modified)
    raise FetchRefused(_("more than %(count)s redirects") % {"count": MAX_REDIRECTS})
