"""The open-data part of /api/v1/ (issue 23): the index of the bulk downloads, the files, the DCAT-AP
description of the dataset and each permit as CPSV-AP."""

import hashlib
import json

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.base import StrictFormatNegotiation
from core.api.versioning import data_version_current
from core.throttling import THROTTLES
from countries.models import Country
from permits import selectors as permit_selectors

from .. import datapackage, jsonld
from ..datasets import HUB_DATA_LICENCE


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class JSONLDView(APIView):
    """A JSON-LD document; its errors are the API's usual JSON errors (application/json)."""

    throttle_classes = THROTTLES
    renderer_classes = [JSONLDRenderer, JSONRenderer]
    content_negotiation_class = StrictFormatNegotiation

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


JSONLD_RESPONSES = {(200, "application/ld+json"): OpenApiTypes.OBJECT, (200, "application/json"): OpenApiTypes.OBJECT}


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def _entry_urls(request, entry):
    return {**entry, "url": request.build_absolute_uri(reverse("api-datapackage-file", args=[entry["file"]]))}


class DataPackageIndexView(APIView):
    """The bulk downloads kept: the latest package first, then the previous versions, each with its
    data version, build time, size and SHA-256. Answers 304 to a conditional GET when nothing changed."""

    throttle_classes = THROTTLES
    renderer_classes = [JSONRenderer]

    @extend_schema(operation_id="datapackages_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        packages = [_entry_urls(request, entry) for entry in datapackage.package_list()]
        body = {
            "licence": {"name": "CC-BY-4.0", "url": HUB_DATA_LICENCE["url"]},
            "data_version": data_version_current().token,
            "latest": packages[0] if packages else None,
            "packages": packages,
        }
        etag = f'"{hashlib.blake2b(json.dumps(body, sort_keys=True).encode(), digest_size=16).hexdigest()}"'
        not_modified = get_conditional_response(request, etag=etag)
        response = not_modified if not_modified is not None else Response(body)
        response["ETag"] = etag
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ("Accept",))
        return response


class DataPackageFileView(APIView):
    """One kept package, a zip (see its datapackage.json)."""

    throttle_classes = THROTTLES

    @extend_schema(operation_id="datapackages_file", responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, name):
        path = datapackage.package_path(name)
        if path is None:
            raise Http404
        response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/zip")
        response["Cache-Control"] = "public, max-age=31536000, immutable"  # a version's bytes never change
        return response


class DcatView(JSONLDView):
    """The DCAT-AP description of the hub's dataset (JSON-LD), with a distribution per kept package."""

    @extend_schema(operation_id="dcat_dataset", responses=JSONLD_RESPONSES)
    def get(self, request):
        countries = Country.objects.filter(data_version__gt=0).order_by("code")
        document = jsonld.dcat_dataset(
            base_url=base_url(request), packages=datapackage.package_list(), countries=countries
        )
        return Response(document)


class PermitCpsvView(JSONLDView):
    """A published permit as a CPSV-AP public service (JSON-LD)."""

    @extend_schema(operation_id="permit_cpsv", responses=JSONLD_RESPONSES)
    def get(self, request, code):
        permit = permit_selectors.permit_public_list().filter(code=code).first()
        if permit is None:
            raise Http404
        return Response(jsonld.permit_cpsv(permit, base_url=base_url(request)))
