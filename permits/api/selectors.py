"""Reads behind the public API: published rows only, each list in a fixed number of queries."""

from django.db.models import Prefetch

from countries.api.selectors import legal_source_citations
from countries.models import Country
from permits.models import (
    EscoOccupation,
    IscoGroup,
    PermitCategory,
    QualificationRecognition,
    SalaryThreshold,
    VisaRequirement,
)


def permit_public_list():
    codes = Country.objects.only("code").order_by("code")
    return (
        PermitCategory.objects.published()
        .select_related("contact_point")
        .prefetch_related(
            Prefetch("occupations", queryset=IscoGroup.objects.only("code"), to_attr="occupations_prefetched"),
            Prefetch("open_to", queryset=codes, to_attr="open_to_prefetched"),
            Prefetch("closed_to", queryset=codes, to_attr="closed_to_prefetched"),
            Prefetch("documents", to_attr="documents_prefetched"),
            Prefetch("fees", to_attr="fees_prefetched"),
            Prefetch(
                "salary_thresholds",
                queryset=SalaryThreshold.objects.prefetch_related(
                    Prefetch("legal_sources", queryset=legal_source_citations(), to_attr="legal_sources_prefetched")
                ),
                to_attr="salary_thresholds_prefetched",
            ),
            Prefetch("legal_sources", queryset=legal_source_citations(), to_attr="legal_sources_prefetched"),
        )
        # Indexed columns: the model's default ("country", "name") joins and sorts by country name.
        .order_by("country_id", "code")
    )


def isco_group_list():
    return IscoGroup.objects.prefetch_related(
        Prefetch("children", queryset=IscoGroup.objects.only("code", "parent"), to_attr="children_prefetched")
    )


def esco_occupation_list():
    return EscoOccupation.objects.all()


def qualification_recognition_list():
    return (
        QualificationRecognition.objects.select_related("body")
        .prefetch_related(
            Prefetch("legal_sources", queryset=legal_source_citations(), to_attr="legal_sources_prefetched")
        )
        .order_by("country_id", "occupation_id")
    )


def visa_requirement_list():
    return VisaRequirement.objects.all()
