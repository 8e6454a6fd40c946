"""Feed sources: registered and pulled only from public https addresses, with a conditional GET.

No test sends traffic anywhere but loopback: names are resolved by the stub resolver (tests/conftest.py
fake_dns), every connection the fetcher opens is checked to go to 127.0.0.1 (`loopback_only`), and the
tests that need a real server on 127.0.0.1 allow that one address in place of the public-address check.
"""

import http.server
import socket
import threading
import time

import pytest
from django.core.exceptions import ValidationError

from submissions import fetching, services
from submissions.models import FeedSource, Submission
from tests.submissions.conftest import agency, json_bytes

pytestmark = pytest.mark.django_db

INSIDE = ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "::ffff:127.0.0.1", "0.0.0.0", "fd00::5", "224.0.0.1"]
REFUSED_INSIDE = "refused: the host must resolve to public internet addresses only"


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Every connection opened during these tests must go to loopback; the addresses are recorded."""
    real = socket.create_connection
    opened = []

    def create_connection(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "::1"), f"a test tried to connect to {address}"
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return opened


@pytest.fixture
def local_feeds(settings, monkeypatch, fake_dns):
    """A real server can only be on loopback: http allowed, feeds.ma.example resolving to 127.0.0.1,
    and 127.0.0.1 (only it) allowed in place of the public-address check."""
    settings.FEED_ALLOW_HTTP = True
    fake_dns["feeds.ma.example"] = ["127.0.0.1"]
    monkeypatch.setattr(fetching, "address_allowed", lambda address: address == "127.0.0.1")


class FeedServer:
    """A local HTTP server on 127.0.0.1 serving one body with an ETag (304 to a match), or a redirect,
    or a body sent one byte at a time."""

    def __init__(self, body):
        self.body, self.etag, self.requests = body, '"v1"', []
        self.redirect_to, self.drip = None, False
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(dict(self.headers))
                if self.path == "/missing.json":
                    self.send_error(404)
                    return
                if server.redirect_to and self.path != "/final.json":
                    self.send_response(302)
                    self.send_header("Location", server.redirect_to)
                    self.end_headers()
                    return
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                if server.drip:
                    for byte in server.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                else:
                    self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.url = f"http://feeds.ma.example:{self.port}/ma.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server(local_feeds):
    server = FeedServer(json_bytes({"agencies": [agency()]}))
    yield server
    server.close()


def feed_for(user, url):
    # Created directly, as if registered when the name still resolved to a public address.
    return FeedSource.objects.create(country_id="MA", url=url, submitter=user)


# -- registration ------------------------------------------------------------------------------------


def test_public_https_feed_url_is_accepted_at_registration(focal_point_ma):
    FeedSource(country_id="MA", url="https://feeds.example.org/ma.json", submitter=focal_point_ma).full_clean()


@pytest.mark.parametrize("address", INSIDE)
def test_feed_url_resolving_inside_is_refused_at_registration(focal_point_ma, fake_dns, address):
    fake_dns["feeds.example.org"] = ["93.184.215.14", address]  # one inside address is enough
    feed = FeedSource(country_id="MA", url="https://feeds.example.org/ma.json", submitter=focal_point_ma)
    with pytest.raises(ValidationError) as refused:
        feed.full_clean()
    assert refused.value.message_dict["url"] == [
        "This URL cannot be a feed: the host must resolve to public internet addresses only."
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://feeds.example.org/ma.json",  # https only
        "ftp://feeds.example.org/ma.json",
        "https://user:secret@feeds.example.org/ma.json",
        "https://127.0.0.1:5432/",
        "https://[::1]:6379/",
        "https://unknown.example/ma.json",  # does not resolve: the same answer as inside, nothing to probe
    ],
)
def test_feed_url_must_be_https_on_a_public_host(focal_point_ma, url):
    with pytest.raises(ValidationError) as refused:
        FeedSource(country_id="MA", url=url, submitter=focal_point_ma).full_clean()
    assert "url" in refused.value.message_dict


def test_http_is_allowed_only_by_the_setting(focal_point_ma, settings):
    settings.FEED_ALLOW_HTTP = True
    FeedSource(country_id="MA", url="http://feeds.example.org/ma.json", submitter=focal_point_ma).full_clean()


def test_admin_refuses_a_feed_url_that_resolves_to_loopback(client, focal_point_ma, fake_dns):
    fake_dns["feeds.example.org"] = ["127.0.0.1"]
    client.force_login(focal_point_ma)
    response = client.post(
        "/admin/submissions/feedsource/add/",
        {"country": "MA", "url": "https://feeds.example.org/ma.json", "active": "on"},
    )
    assert response.status_code == 200
    assert "public internet addresses only" in response.context["adminform"].form.errors["url"][0]
    assert not FeedSource.objects.exists()


# -- fetching ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", INSIDE)
def test_fetch_refuses_a_name_that_now_resolves_inside_and_connects_nowhere(
    focal_point_ma, fake_dns, loopback_only, address
):
    fake_dns["feeds.example.org"] = [address]  # DNS changed after registration
    feed = feed_for(focal_point_ma, "https://feeds.example.org/ma.json")
    assert services.feed_pull(feed=feed) is None
    feed.refresh_from_db()
    assert feed.last_result == REFUSED_INSIDE
    assert loopback_only == []
    assert not Submission.objects.exists()


def test_internal_ports_all_get_the_same_answer(focal_point_ma, loopback_only):
    # The probe of the issue: PostgreSQL, Redis and the hub itself. Nothing is connected to, and the
    # results are one and the same, so nothing tells which port is open.
    results = set()
    for url in ("https://127.0.0.1:5432/", "https://127.0.0.1:6379/", "https://127.0.0.1:8000/health/"):
        feed = feed_for(focal_point_ma, url)
        services.feed_pull(feed=feed)
        results.add(feed.last_result)
    assert results == {REFUSED_INSIDE}
    assert loopback_only == []


def test_feed_pull_submits_once_then_uses_conditional_get(feed_server, focal_point_ma, media_root, loopback_only):
    feed = feed_for(focal_point_ma, feed_server.url)
    submission = services.feed_pull(feed=feed)
    assert submission.source == "feed" and submission.status == "received"
    assert feed.etag == '"v1"' and feed.last_result == f"fetched: submitted as #{submission.pk}"
    # The connection went to the address that was checked, speaking to the host by its name.
    assert loopback_only == [("127.0.0.1", feed_server.port)]
    assert feed_server.requests[0]["Host"] == f"feeds.ma.example:{feed_server.port}"
    assert feed_server.requests[0]["Accept-Encoding"] == "identity"  # nothing compressed to inflate

    assert services.feed_pull(feed=feed) is None
    assert feed_server.requests[-1]["If-None-Match"] == '"v1"'
    assert feed_server.requests[-1]["If-Modified-Since"] == "Wed, 25 Nov 2026 10:00:00 GMT"
    assert feed.last_result == "fetched: not modified"

    feed_server.etag = '"v2"'  # a new ETag but the same content: nothing to submit
    assert services.feed_pull(feed=feed) is None and feed.last_result == "fetched: unchanged"

    feed_server.etag, feed_server.body = '"v3"', json_bytes({"agencies": [agency(legal_name="New name")]})
    assert services.feed_pull(feed=feed).pk != submission.pk
    assert Submission.objects.filter(source="feed").count() == 2


def test_the_name_is_resolved_once_per_fetch(feed_server, focal_point_ma, media_root, monkeypatch):
    # DNS rebinding: a second lookup could answer differently; the fetch connects to the first answer.
    answers = iter([["127.0.0.1"], ["10.0.0.5"]])
    calls = []

    def resolve(host, port):
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(fetching, "resolve", resolve)
    feed = feed_for(focal_point_ma, feed_server.url)
    assert services.feed_pull(feed=feed) is not None
    assert calls == ["feeds.ma.example"]


@pytest.mark.parametrize(
    ("location", "name", "address"),
    [
        ("http://169.254.169.254/latest/meta-data/", None, None),
        ("http://internal.ma.example/admin", "internal.ma.example", "10.0.0.5"),
        ("http://[::1]:6379/", None, None),
        ("file:///etc/passwd", None, None),
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(
    feed_server, focal_point_ma, fake_dns, loopback_only, location, name, address
):
    if name:
        fake_dns[name] = [address]
    feed_server.redirect_to = location
    feed = feed_for(focal_point_ma, feed_server.url)
    assert services.feed_pull(feed=feed) is None
    assert feed.last_result.startswith("refused: ")
    assert loopback_only == [("127.0.0.1", feed_server.port)]  # the feed itself, and nothing else
    assert not Submission.objects.exists()


def test_a_redirect_to_an_allowed_url_is_followed_and_checked(feed_server, focal_point_ma, media_root):
    feed_server.redirect_to = f"http://feeds.ma.example:{feed_server.port}/final.json"
    feed = feed_for(focal_point_ma, feed_server.url)
    assert services.feed_pull(feed=feed) is not None
    assert feed.last_result.startswith("fetched: submitted as #")


def test_open_and_closed_ports_fail_alike(local_feeds, focal_point_ma):
    # An open port that closes at once ("Remote end closed") and a closed one ("Connection refused")
    # are both "failed: no answer".
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    open_port = listener.getsockname()[1]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()

    def accept_and_close():
        connection, _address = listener.accept()
        connection.close()

    threading.Thread(target=accept_and_close, daemon=True).start()
    results = []
    for port in (open_port, closed_port):
        feed = feed_for(focal_point_ma, f"http://feeds.ma.example:{port}/ma.json")
        services.feed_pull(feed=feed, timeout=5)
        results.append(feed.last_result)
    listener.close()
    assert results == ["failed: no answer", "failed: no answer"]


def test_a_slow_server_is_cut_at_the_deadline(feed_server, focal_point_ma):
    feed_server.drip = True  # one byte every 0.2 s: every read answers in time, the whole never does
    feed = feed_for(focal_point_ma, feed_server.url)
    started = time.monotonic()
    assert services.feed_pull(feed=feed, timeout=1) is None
    assert time.monotonic() - started < 3
    assert feed.last_result == "failed: no answer"


def test_a_feed_larger_than_the_upload_limit_is_refused(feed_server, focal_point_ma, settings):
    settings.SUBMISSION_MAX_BYTES = 10
    feed = feed_for(focal_point_ma, feed_server.url)
    assert services.feed_pull(feed=feed) is None
    assert feed.last_result == "refused: the file is larger than the upload limit"


def test_an_http_error_is_a_failure(feed_server, focal_point_ma):
    feed = feed_for(focal_point_ma, f"http://feeds.ma.example:{feed_server.port}/missing.json")
    assert services.feed_pull(feed=feed) is None
    assert feed.last_result == "failed: HTTP status 404"


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07::1", "8.8.8.8"])
def test_public_addresses_pass_the_check(address):
    assert fetching.address_is_public(address)


@pytest.mark.parametrize(
    "address", [*INSIDE, "100.64.0.1", "192.0.2.1", "2002:7f00:1::1", "2001:0:4136:e378:8000:63bf:f5ff:fffe", "x"]
)
def test_inside_and_special_addresses_fail_the_check(address):
    assert not fetching.address_is_public(address)
