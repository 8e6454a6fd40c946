"""The API's own small views: the benchmark reference, and the offline documentation pages."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import JsonResponse
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


def ping(request):
    """A bare Django view answering a small JSON object: the reference the benchmark compares the API with."""
    return JsonResponse({"status": "ok"})


class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"


# Swagger UI and Redoc set inline styles, and Redoc renders in a blob: worker. Only these two
# pages get that; the site-wide policy stays strict. Their scripts come from our own static files
# (drf-spectacular-sidecar), so no outside origin is ever allowed.
DOCS_CSP = {"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"], "img-src": [SELF, "data:"]}

swagger_ui = csp_update(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
redoc = csp_update(DOCS_CSP)(RedocView.as_view(url_name="api-schema"))
