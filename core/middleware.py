import uuid

from .changelog import change_context


class ChangeContextMiddleware:
    """Give each request an id (kept from a valid X-Request-ID) and attribute its changes to its user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request_id = uuid.UUID(request.headers.get("X-Request-ID", ""))
        except ValueError:
            request_id = uuid.uuid4()
        request.id = request_id
        with change_context(user=_LazyUser(request), request_id=request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request_id)
        return response


class _LazyUser:
    """Resolve request.user only when a change is actually logged (most requests write nothing)."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request.user, name)

    @property
    def is_authenticated(self):
        user = getattr(self._request, "user", None)
        return bool(user and user.is_authenticated)

    def resolve(self):
        return self._request.user
