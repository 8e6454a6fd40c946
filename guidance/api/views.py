"""The portal's API endpoints: thin views over the eligibility engine and the corridor comparison."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.renderers import CSVRenderer
from core.throttling import THROTTLES
from countries.models import LegalSource
from guidance.comparison import CorridorError, compare_corridors, comparison_rows, parse_corridors
from guidance.eligibility import corridor_programmes, evaluate_all, occupation_code, summary

from .serializers import (
    ComparisonQuerySerializer,
    ComparisonResultSerializer,
    EligibilityQuerySerializer,
    EligibilityResultSerializer,
)

ERROR = OpenApiResponse(
    response=OpenApiTypes.OBJECT, description="Invalid input: each field with its message, e.g. {'nationality': […]}."
)


class EligibilityView(APIView):
    """For each published work permit of the destination: likely, possible or not eligible, with reasons."""

    throttle_classes = THROTTLES
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="eligibility_check",
        summary="Eligibility check (query parameters)",
        description=(
            "Answers, for every published work permit of the destination, likely / possible / not eligible, "
            "with one reason per condition (met, not met or unknown), the provision and legal sources it rests "
            "on, and what would change the answer: the smallest change of the answers that makes the permit "
            "likely, or why none would. A question left out is unknown, never no: it makes the verdict "
            "'possible' and the reason names it."
        ),
        parameters=[EligibilityQuerySerializer],
        responses={200: EligibilityResultSerializer, 400: ERROR},
        tags=["portal"],
    )
    def get(self, request):
        return self._answer(request.query_params)

    @extend_schema(
        operation_id="eligibility_check_post",
        summary="Eligibility check (JSON body)",
        request=EligibilityQuerySerializer,
        responses={200: EligibilityResultSerializer, 400: ERROR},
        examples=[
            OpenApiExample(
                "A Moroccan nurse with a job offer in Germany",
                value={
                    "nationality": "MA",
                    "destination": "DE",
                    "occupation": "2221",
                    "qualification": "tertiary",
                    "job_offer": True,
                    "salary": "50000",
                    "salary_currency": "EUR",
                    "languages": {"de": "B1", "en": "B2"},
                    "graduation_year": 2024,
                },
                request_only=True,
            )
        ],
        tags=["portal"],
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"detail": "Send a JSON object."})
        return self._answer(request.data)

    def _answer(self, data):
        query = EligibilityQuerySerializer(data=data)
        query.is_valid(raise_exception=True)
        applicant = query.applicant()
        on = query.validated_data.get("on") or datetime.date.today()
        verdicts = evaluate_all(applicant, on)
        keys = {key for verdict in verdicts for reason in verdict.reasons for key in reason.sources}
        sources = {
            source.key: {
                "key": source.key,
                "title": source.title,
                "article": source.article,
                "url": source.url,
                "last_verified": source.last_verified.isoformat(),
            }
            for source in LegalSource.objects.filter(key__in=keys)
        }
        body = {
            "on": on.isoformat(),
            "occupation": applicant.isco_code or (occupation_code(applicant) if applicant.esco_uri else None),
            "summary": summary(verdicts),
            "verdicts": [{**verdict.as_dict(), "permit_name": str(verdict.permit.name)} for verdict in verdicts],
            "programmes": [programme.as_dict() for programme in corridor_programmes(verdicts)],
            "sources": sources,
        }
        return Response(body)


class CorridorComparisonView(APIView):
    """2–4 corridors side by side: agreements, permits open, fees, times, stay, family, recruiter fees, visas."""

    throttle_classes = THROTTLES
    renderer_classes = [JSONRenderer, CSVRenderer]
    basename = "corridor-comparison"

    @extend_schema(
        operation_id="corridors_compare",
        summary="Compare 2–4 corridors",
        description=(
            "Side by side for each corridor origin-destination: labour and social-security agreements in force, "
            "number of permits open to the origin's nationals, fee ranges, processing times, stay, family rights, "
            "the origin's cap on recruitment fees charged to workers, the visa requirement, and where the "
            "European Commission's statistics exist, the Schengen short-stay visa not-issued rate at the "
            "destination's consulates in the origin country (with its source). `?format=csv` gives one row per "
            "fact and one column per corridor."
        ),
        parameters=[
            ComparisonQuerySerializer,
            OpenApiParameter("format", str, enum=["json", "csv"], description="csv for a spreadsheet."),
        ],
        responses={200: ComparisonResultSerializer, 400: ERROR},
        tags=["portal"],
    )
    def get(self, request):
        query = ComparisonQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            corridors = parse_corridors(query.validated_data["corridors"])
        except CorridorError as error:
            return Response({"corridors": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
        on = query.validated_data.get("on") or datetime.date.today()
        results = compare_corridors(corridors, on)
        if request.accepted_renderer.format == CSVRenderer.format:
            return Response(comparison_rows(results))
        return Response({"on": on.isoformat(), "corridors": results})
