"""Without Chromium, `make test` still passes: the browser tests are skipped with one line saying how to
install it; where the environment requires them (REQUIRE_BROWSER=1, as in CI) they fail instead."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import INSTALL, missing_browser

CONFTEST = Path(__file__).with_name("conftest.py")


def test_present_browser_is_used(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("")
    assert missing_browser(chromium, {}) is None
    assert missing_browser(chromium, {"REQUIRE_BROWSER": "1"}) is None


def test_missing_browser_is_a_skip_that_says_how_to_install_it(tmp_path):
    outcome, message = missing_browser(tmp_path / "chromium", {})
    assert outcome == "skip"
    assert INSTALL == "apt-get update && apt-get install -y chromium chromium-driver"
    assert INSTALL in message and "\n" not in message


def test_missing_browser_fails_when_required(tmp_path):
    outcome, message = missing_browser(tmp_path / "chromium", {"REQUIRE_BROWSER": "1"})
    assert outcome == "fail"
    assert "REQUIRE_BROWSER=1" in message and INSTALL in message


def run_browser_test(tmp_path, **environ):
    """A browser test run in a pytest of its own, with this folder's conftest and CHROMIUM pointing at nothing."""
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text())
    (tmp_path / "test_page.py").write_text("def test_page(browser):\n    pass\n")
    env = {key: value for key, value in os.environ.items() if key not in ("REQUIRE_BROWSER", "PYTEST_ADDOPTS")}
    env.update(CHROMIUM=str(tmp_path / "no-chromium"), **environ)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-q", "-rsE", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("environ", "returncode", "summary"),
    [({}, 0, "1 skipped"), ({"REQUIRE_BROWSER": "1"}, 1, "1 error")],
)
def test_a_browser_test_without_chromium(tmp_path, environ, returncode, summary):
    result = run_browser_test(tmp_path, **environ)
    assert result.returncode == returncode, result.stdout + result.stderr
    assert summary in result.stdout
    assert INSTALL in result.stdout
