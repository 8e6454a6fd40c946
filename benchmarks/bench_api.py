"""The public API under load: gunicorn on PostgreSQL, 10 concurrent clients, cache on and off.

    .venv/bin/python benchmarks/bench_api.py [--seconds 5] [--port 8100]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_hub):
creates it if missing, migrates it, and fills it once with `manage.py generate_scale_data`. Then,
for each cache setting, serves the project under gunicorn in production mode and measures
requests per second and p50/p95 latency of each endpoint against the reference: a bare Django
view answering a small JSON object (/api/v1/ping/). The load generator is plain Python (threads
and http.client), so it runs anywhere the project does; it shares the machine's cores with the
server, which lowers every figure alike and leaves the ratios comparable.
"""

import argparse
import http.client
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time

from common import BIN, DATABASE_URL, ROOT, database_create, scale_data_generate

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
CLIENTS = 10
TARGETS = "every list ≥ 0.5 of the reference, the 304 path ≥ 0.9, p95 < 100 ms"


def database_prepare(env):
    """Create the benchmark database if needed, migrate it, and fill it once with the scale data."""
    database_create(env)
    scale_data_generate(env)


def redis_answers():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


class Server:
    """gunicorn serving the project in production mode on 127.0.0.1:port."""

    def __init__(self, *, port, cache, env):
        self.port = port
        self.env = {
            **env,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "CONN_MAX_AGE": "600",
            "API_CACHE_ENABLED": "1" if cache else "0",
            "API_ANON_THROTTLE_RATE": "",  # the benchmark is one client address
            "LOG_LEVEL": "WARNING",
        }
        # One cache shared by the workers (Redis), as in production; without Redis, one per worker.
        self.env.pop("REDIS_URL", None)
        if REDIS_URL and redis_answers():
            self.env["REDIS_URL"] = REDIS_URL

    def __enter__(self):
        workers = str(os.environ.get("BENCH_WORKERS", 2 * (os.cpu_count() or 1)))
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "mobility_hub.wsgi:application", "-b", f"127.0.0.1:{self.port}", "-w", workers],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "/api/v1/ping/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn did not answer on port {self.port}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def request(port, path, headers=None, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    if own:
        connection.close()
    return response.status, dict(response.getheaders()), body


def measure(port, paths, *, headers=None, seconds, expect):
    """10 clients, each sending requests back to back for `seconds`; returns rps, p50, p95 (ms), errors."""
    latencies, errors, stop = [], [], threading.Event()
    lock = threading.Lock()

    def client(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, failed, index = [], 0, offset
        while not stop.is_set():
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            try:
                status = request(port, path, headers, connection)[0]
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                failed += 1
                continue
            mine.append(time.perf_counter() - started)
            if status != expect:
                failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.append(failed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] if latencies else float("nan")
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p95 * 1000, sum(errors)


def scenarios(port):
    permit_codes = [f"scale-{code}-{n:02d}" for code in ("de", "fr", "be", "ma", "tn") for n in range(4)]
    countries = ["MA", "TN", "EG", "DE", "FR", "SA", "QA", "AE", "KW", "BE"]
    status, headers, _ = request(port, "/api/v1/permits/")
    etag = headers.get("ETag")
    if status != 200 or not etag:
        raise SystemExit(f"/api/v1/permits/ answered {status} without an ETag")
    return [
        ("reference: bare Django JSON view", ["/api/v1/ping/"], None, 200),
        ("permit list (50 per page)", ["/api/v1/permits/", "/api/v1/permits/?page=2"], None, 200),
        ("permit detail", [f"/api/v1/permits/{code}/" for code in permit_codes], None, 200),
        ("agency list, ?country=", [f"/api/v1/agencies/?country={code}" for code in countries], None, 200),
        (
            "licence check",
            [
                f"/api/v1/licence-check/?country={code}&licence_number=SCALE-{code}-{n:05d}"
                for code in countries
                for n in (7, 42)
            ],
            None,
            200,
        ),
        ("conditional request → 304", ["/api/v1/permits/"], {"If-None-Match": etag}, 304),
    ]


def run(*, cache, port, seconds, env):
    rows = []
    with Server(port=port, cache=cache, env=env):
        for name, paths, headers, expect in scenarios(port):
            measure(port, paths, headers=headers, seconds=min(1.0, seconds), expect=expect)  # warm up
            rows.append((name, *measure(port, paths, headers=headers, seconds=seconds, expect=expect)))
    return rows


def table(title, rows):
    reference = rows[0][1]
    lines = [
        f"{title}",
        "",
        "| endpoint | req/s | ratio to reference | p50 ms | p95 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, rps, p50, p95, errors in rows:
        lines.append(f"| {name} | {rps:,.0f} | {rps / reference:.2f} | {p50:.1f} | {p95:.1f} | {errors} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8100)))
    options = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    database_prepare(env)
    cache_kind = f"Redis cache at {REDIS_URL}" if redis_answers() else "a local-memory cache per worker (no Redis)"
    print(f"{CLIENTS} concurrent clients, {options.seconds:g} s per endpoint, {os.cpu_count()} cores, {cache_kind}.")
    print(f"Targets: {TARGETS}.")
    for cache in (True, False):
        rows = run(cache=cache, port=options.port, seconds=options.seconds, env=env)
        print()
        print(table(f"Cache {'on' if cache else 'off (cold path)'}:", rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
