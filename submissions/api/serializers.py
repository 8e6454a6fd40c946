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
