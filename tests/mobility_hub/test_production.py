"""Production mode, security headers, lockout and health."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_redis(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not configured")


def test_health_says_degraded_when_redis_is_down(client, monkeypatch):
    # Pages and API still answer (uncached) and uploads wait for the sweep: 200, not 503 (tests/core/test_degraded.py).
    monkeypatch.setattr(settings, "REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["redis"].startswith("error")


def test_content_security_policy_allows_no_third_party(client):
    policy = client.get(reverse("admin:login"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy  # no other origin is named anywhere
    assert "frame-ancestors 'none'" in policy


def test_admin_login_locks_out_after_repeated_failures(client, hub_editor):
    hub_editor.set_password("a-real-password-123")
    hub_editor.save()
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": hub_editor.username, "password": "wrong"})
    response = client.post(url, {"username": hub_editor.username, "password": "a-real-password-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_works_with_the_right_password(client, hub_editor):
    hub_editor.set_password("a-real-password-123")
    hub_editor.save()
    response = client.post(reverse("admin:login"), {"username": hub_editor.username, "password": "a-real-password-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(hub_editor.pk)


def production_env(**extra):
    # A production process gets none of the test run's own switches (the browser tests allow async-unsafe calls).
    dropped = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="hub.example.org", **extra)
    return env


def test_check_deploy_is_clean_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
