from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countries.models import Country

from ..models import Submission


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
    report = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()
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
            "report",
            "diff",
            "reviewer",
            "review_reason",
            "withdrawal_confirmed",
            "created",
            "validated_at",
            "reviewed_at",
            "published_at",
        ]

    def get_url(self, submission) -> str:
        path = reverse("submission-detail", args=[submission.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def _validated(self, submission):
        return submission.status not in (Submission.Status.RECEIVED, Submission.Status.VALIDATING)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_report(self, submission):
        return submission.report if self._validated(submission) else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_diff(self, submission):
        return submission.diff if self._validated(submission) else None


class ReviewSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    confirm_withdrawal = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Approving: true to confirm the withdrawal of more than SUBMISSION_WITHDRAWAL_HOLD_PERCENT of "
        "a table's published rows, when the report holds withdrawal_hold.",
    )


class SubmissionListSerializer(SubmissionSerializer):
    """The list leaves out the report and the diff (a diff can hold thousands of rows)."""

    class Meta(SubmissionSerializer.Meta):
        fields = [name for name in SubmissionSerializer.Meta.fields if name not in ("report", "diff")]
