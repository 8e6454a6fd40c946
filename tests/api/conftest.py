import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def api_test_settings(settings):
    """Each test starts with an empty cache, no throttle and no response cache (each test that needs them says so)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None}}
    settings.API_CACHE_ENABLED = False
    cache.clear()
    yield settings
    cache.clear()
    # A request in another language leaves it active in this thread; the next test must not inherit it.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def api():
    return APIClient()
