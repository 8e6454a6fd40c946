from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any failure means "down"; the message says which
        return f"error: {error.__class__.__name__}"


def _redis_state():
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except redis.RedisError as error:
        return f"error: {error.__class__.__name__}"


@never_cache
def health(request):
    """Database and Redis state; 503 when either configured service is down."""
    state = {"database": _database_state(), "redis": _redis_state()}
    healthy = all(value in ("ok", "not configured") for value in state.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **state}, status=200 if healthy else 503)


def not_found(request, exception=None):
    """404: JSON under /api/ (a client asked for data, as DRF answers its own 404s), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
