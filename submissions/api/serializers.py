from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countries.models import Country

from .. import selectors
from ..models import Submission, SubmissionDiffEntry


class SubmissionCreateSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, max_length=255)
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    confirm_withdrawal = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: I mean to withdraw the published rows this file leaves out. Without it, a file that "
        "would withdraw more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT (20 %) of a table's published rows is held "
        "(invalid, with the reason in its report).",
    )

    def validate_file(self, file):
        if file.size > settings.SUBMISSION_MAX_BYTES:
            raise serializers.ValidationError(
                f"The file is too large: {file.size} bytes, the limit is {settings.SUBMISSION_MAX_BYTES} bytes."
            )
        return file


class SubmissionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    country = serializers.CharField(source="country_id")
    submitter = serializers.CharField(source="submitter.username")
    reviewer = serializers.CharField(source="reviewer.username", default=None)
    report = serializers.SerializerMethodField(
        help_text="The report's counts (errors per sheet, the diff's summary, warnings), without the rows: "
        "they are read a page at a time at report_url and diff_url."
    )
    report_url = serializers.SerializerMethodField()
    diff_url = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    # Plain text in the OpenAPI schema: "status" enums of other models would collide with this one.
    status = serializers.CharField(read_only=True, help_text=", ".join(Submission.Status.values))
    source = serializers.CharField(read_only=True, help_text=", ".join(Submission.Source.values))
    detected_format = serializers.CharField(read_only=True, help_text="json, csv, xlsx, or blank before validation")

    class Meta:
        model = Submission
        fields = [
            "id",
            "url",
            "country",
            "submitter",
            "source",
            "original_name",
            "size",
            "detected_format",
            "language",
            "status",
            "progress",
            "report",
            "report_url",
            "diff_url",
            "reviewer",
            "review_reason",
            "withdrawal_confirmed",
            "created",
            "validated_at",
            "reviewed_at",
            "published_at",
        ]

    def _link(self, name, submission):
        path = reverse(name, args=[submission.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, submission) -> str:
        return self._link("submission-detail", submission)

    def get_report_url(self, submission) -> str:
        return self._link("submission-report", submission)

    def get_diff_url(self, submission) -> str:
        return self._link("submission-diff", submission)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"rows_read": {"type": "integer"}, "rows_total": {"type": ["integer", "null"]}},
        }
    )
    def get_progress(self, submission):
        """Rows read so far by the validation, and the rows in the file once counted."""
        return {"rows_read": submission.rows_read, "rows_total": submission.rows_total}

    def _validated(self, submission):
        return submission.status not in (Submission.Status.RECEIVED, Submission.Status.VALIDATING)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_report(self, submission):
        return selectors.report_summary(submission) if self._validated(submission) else None


class ReviewSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    confirm_withdrawal = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Approving: true to confirm the withdrawal of more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT of "
        "a table's published rows, when the report holds withdrawal_hold.",
    )


class SubmissionListSerializer(SubmissionSerializer):
    """The list leaves out the report's counts (the report and the diff have endpoints of their own)."""

    class Meta(SubmissionSerializer.Meta):
        fields = [name for name in SubmissionSerializer.Meta.fields if name != "report"]


class ReportErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_blank=True)
    value = serializers.JSONField(allow_null=True)
    message = serializers.CharField()
    cell = serializers.CharField(
        default="", help_text='The spreadsheet cell of a CSV or XLSX file ("C7"); blank when there is none.'
    )


class ReportPageSerializer(serializers.Serializer):
    """One page of a report's errors, with the counts of all."""

    count = serializers.IntegerField(help_text="Errors listed (at most MAX_ERRORS_PER_SHEET of each sheet).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    status = serializers.CharField()
    error_count = serializers.IntegerField(help_text="Errors found in all, listed or not.")
    error_counts = serializers.DictField(child=serializers.IntegerField(), help_text="Errors found per sheet.")
    errors_truncated = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    results = ReportErrorSerializer(many=True)


class DiffEntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="added, changed or withdrawn")
    values = serializers.JSONField(source="data.values", default=None, help_text="added: the row as given")
    fields = serializers.JSONField(source="data.fields", default=None, help_text="changed: {field: [before, after]}")
    label = serializers.CharField(
        source="data.label", default=None, help_text="the row's name (withdrawn: the published row's)"
    )

    class Meta:
        model = SubmissionDiffEntry
        fields = ["position", "kind", "sheet", "key", "values", "fields", "label"]


class DiffPageSerializer(serializers.Serializer):
    """One page of a diff."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    status = serializers.CharField()
    summary = serializers.DictField(child=serializers.IntegerField(), help_text="added, changed, withdrawn, unchanged")
    results = DiffEntrySerializer(many=True)
