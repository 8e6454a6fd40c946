"""The read-only mirror (MIRROR_OF set): a hub serving another hub's data from its bulk download.

Its data changes only by `manage.py mirror_load`; so the middleware refuses every write a person or a
program could send: admin forms (signing in and out excepted, to read the admin) and the submission
API (uploads, reviews). Public questions sent by POST (the eligibility check) still answer.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _write_prefixes():
    return (reverse("admin:index"), reverse("submission-list"))


def _allowed(path):
    return path in (reverse("admin:login"), reverse("admin:logout"))


class ReadOnlyMirrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = request.method not in SAFE_METHODS and request.path.startswith(_write_prefixes())
        if settings.MIRROR_OF and writes and not _allowed(request.path):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        message = _("This hub is a read-only mirror of %(url)s: change the data there.") % {"url": settings.MIRROR_OF}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return render(request, "pages/mirror_read_only.html", {"message": message}, status=403)
