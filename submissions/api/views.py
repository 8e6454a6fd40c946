"""The submission API: upload (202), status with progress and the report's counts, the report and the
diff a page at a time, review by a hub editor."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.parsers import BoundedJSONParser
from core.throttling import THROTTLES

from .. import selectors, services
from ..format import SCHEMA_ID, SHEETS, common_format_schema
from ..models import Submission, SubmissionDiffEntry
from .serializers import (
    DiffEntrySerializer,
    DiffPageSerializer,
    ReportErrorSerializer,
    ReportPageSerializer,
    ReviewSerializer,
    SubmissionCreateSerializer,
    SubmissionListSerializer,
    SubmissionSerializer,
)


class SubmissionPagination(PageNumberPagination):
    page_size = 50


class ReportPagination(PageNumberPagination):
    """Pages of a report's errors or of a diff."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="A page number (100 rows a page by default)."),
    OpenApiParameter("page_size", int, description="Rows a page, at most 1000."),
]


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Files in the common format sent by focal points. Token authentication:
    `Authorization: Token <key>` (a signed-in admin session works too). A focal point sees the
    submissions of their countries."""

    # The only endpoints that take a token: they write. No HTTP Basic anywhere (see settings).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = THROTTLES
    serializer_class = SubmissionSerializer
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = SubmissionPagination

    def get_queryset(self):
        queryset = selectors.submissions_visible_to(self.request.user)
        return queryset.defer("report") if self.action in ("list", "diff") else queryset

    def get_serializer_class(self):
        if self.action == "create":
            return SubmissionCreateSerializer
        if self.action in ("approve", "reject"):
            return ReviewSerializer
        if self.action == "list":
            return SubmissionListSerializer
        return SubmissionSerializer

    @extend_schema(request=SubmissionCreateSerializer, responses={202: SubmissionSerializer})
    def create(self, request):
        """Upload a file (multipart `file`, `country`); answered 202 at once with the submission's URL,
        where its status and progress show while it is validated, then the report's counts and the
        links to its report and diff."""
        serializer = SubmissionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            submission = services.submission_create(
                submitter=request.user,
                country=serializer.validated_data["country"],
                file=serializer.validated_data["file"],
                name=serializer.validated_data["file"].name,
                confirm_withdrawal=serializer.validated_data["confirm_withdrawal"],
            )
        except services.SubmissionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        submission.refresh_from_db()
        data = SubmissionSerializer(submission, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})

    def _review(self, request, review):
        """Run `review(submission, reviewer, data)` on the submission; a refusal answers 409."""
        submission = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            submission = review(submission, request.user, serializer.validated_data)
        except services.SubmissionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        submission.refresh_from_db()
        return Response(SubmissionSerializer(submission, context={"request": request}).data)

    @extend_schema(request=ReviewSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, BoundedJSONParser])
    def approve(self, request, pk=None):
        """A hub editor other than the submitter approves (`confirm_withdrawal` when the report holds a
        withdrawal_hold); publishing follows."""
        return self._review(
            request,
            lambda submission, reviewer, data: services.submission_approve(
                submission=submission,
                reviewer=reviewer,
                reason=data["reason"],
                confirm_withdrawal=data["confirm_withdrawal"],
            ),
        )

    @extend_schema(request=ReviewSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, BoundedJSONParser])
    def reject(self, request, pk=None):
        """A hub editor other than the submitter rejects, with a reason."""
        return self._review(
            request,
            lambda submission, reviewer, data: services.submission_reject(
                submission=submission, reviewer=reviewer, reason=data["reason"]
            ),
        )

    def _page(self, request, rows, serializer_class, **extra):
        paginator = ReportPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response(serializer_class(page, many=True).data)
        results = response.data.pop("results")
        response.data.update(extra)
        response.data["results"] = results
        return response

    @extend_schema(parameters=PAGE_PARAMETERS, responses={200: ReportPageSerializer})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The report's errors a page at a time (sheet, row, field, value, message, in the submitter's
        language; the first MAX_ERRORS_PER_SHEET of each sheet), with the counts of all."""
        submission = self.get_object()
        summary = selectors.report_summary(submission)
        return self._page(
            request,
            selectors.report_errors(submission),
            ReportErrorSerializer,
            status=submission.status,
            error_count=summary.get("error_count", 0),
            error_counts=summary.get("error_counts", {}),
            errors_truncated=summary.get("errors_truncated", False),
            warnings=summary.get("warnings", []),
        )

    @extend_schema(
        parameters=[
            *PAGE_PARAMETERS,
            OpenApiParameter("kind", str, enum=SubmissionDiffEntry.Kind.values, description="Only this kind."),
        ],
        responses={200: DiffPageSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """The diff against what is published a page at a time, in the file's order: rows added (with
        their values), changed (each field before and after) and withdrawn (published rows the file
        leaves out)."""
        submission = self.get_object()
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in SubmissionDiffEntry.Kind.values:
            return Response(
                {"kind": [f"One of: {', '.join(SubmissionDiffEntry.Kind.values)}."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        validated = submission.status not in (Submission.Status.RECEIVED, Submission.Status.VALIDATING)
        entries = selectors.diff_entries(submission, kind=kind) if validated else SubmissionDiffEntry.objects.none()
        summary = Submission.objects.filter(pk=submission.pk).values_list("report__summary", flat=True).first()
        return self._page(request, entries, DiffEntrySerializer, status=submission.status, summary=summary or {})


def common_format_schema_view(request):
    """The JSON Schema of the common format."""
    response = JsonResponse(common_format_schema(), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def common_format_docs_view(request):
    """The common format for people: every sheet and field, from the same description as the schema."""
    schema = common_format_schema()
    sheets = []
    for name, sheet in SHEETS.items():
        properties = schema["$defs"][name]["properties"]
        fields = [
            {
                "name": column,
                "schema": properties.get(column, {}),
                "required": column in schema["$defs"][name]["required"],
            }
            for column in sheet.columns()
            if column != sheet.parent_key
        ]
        sheets.append({"name": name, "sheet": sheet, "fields": fields})
    return render(
        request,
        "submissions/common_format.html",
        {"schema": schema, "schema_id": SCHEMA_ID, "sheets": sheets, "title": _("The common format")},
    )
