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


def _redis_state(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except redis.RedisError as error:
        return f"error: {error.__class__.__name__}"


def _broker_state(url):
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=1) as connection:
            connection.ensure_connection(max_retries=1, timeout=1)
        return "ok"
    except Exception as error:  # kombu raises the transport's own errors; any of them means "down"
        return f"error: {error.__class__.__name__}"


@never_cache
def health(request):
    """The state of the database, of Redis (the cache, and the Celery broker unless it has its own URL)
    and of a separate broker. 503 when the database is down: nothing can be answered. "degraded" (200)
    when only Redis or the broker is: pages and API answer uncached, and uploads are stored and wait
    for the outbox sweep to send them on."""
    state = {"database": _database_state()}
    state["redis"] = _redis_state(settings.REDIS_URL) if settings.REDIS_URL else "not configured"
    broker = settings.CELERY_BROKER_URL
    if broker != settings.REDIS_URL and not broker.startswith("memory://"):
        state["broker"] = _broker_state(broker)
    if state["database"] != "ok":
        return JsonResponse({"status": "unavailable", **state}, status=503)
    degraded = any(value.startswith("error") for value in state.values())
    return JsonResponse({"status": "degraded" if degraded else "ok", **state})


def not_found(request, exception=None):
    """404: JSON under /api/ (a client asked for data, as DRF answers its own 404s), the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
