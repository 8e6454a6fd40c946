"""Reads of permits, occupations and visa requirements: the API's lists and the pages' rows."""

from django.db.models import Prefetch, Q

from countries.models import Country
from countries.selectors import SOURCES, legal_source_citation_list
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
                    Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched")
                ),
                to_attr="salary_thresholds_prefetched",
            ),
            Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched"),
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
            Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched")
        )
        .order_by("country_id", "occupation_id")
    )


def visa_requirement_list():
    return VisaRequirement.objects.all()


def destination_list():
    """Countries with published permits: the ways in 'by destination'."""
    return Country.objects.filter(permits__publication_status="published").distinct().order_by("name")


def permit_published_list():
    return PermitCategory.objects.published().select_related("country").order_by("country__name", "name")


def permit_page_get(code):
    """One published permit with everything its page shows (a fixed number of queries)."""
    return (
        PermitCategory.objects.published()
        .select_related("country", "contact_point")
        .prefetch_related(
            "documents",
            "fees",
            Prefetch(
                "salary_thresholds",
                queryset=SalaryThreshold.objects.prefetch_related(SOURCES).order_by("-valid_from", "label"),
            ),
            "occupations",
            "open_to",
            "closed_to",
            SOURCES,
        )
        .get(code=code)
    )


def permit_open_list(*, destination, nationality, on):
    """Published permits of `destination` that nationals of `nationality` may apply for on `on`."""
    return permit_published_list().filter(country=destination).open_to(nationality, on=on)


def visa_requirement_get(*, nationality, destination):
    return VisaRequirement.objects.filter(nationality=nationality, destination=destination).first()


def occupation_matching_list(text, limit=20):
    """ISCO-08 unit groups whose code, title or ESCO occupation titles match `text`."""
    text = text.strip()
    if not text:
        return IscoGroup.objects.none()
    condition = Q(title__icontains=text) | Q(esco_occupations__title__icontains=text)
    if text.isdigit():
        condition |= Q(code=text)
    return IscoGroup.objects.filter(condition, level=IscoGroup.Level.UNIT).distinct().order_by("code")[:limit]


def occupation_match_get(text):
    """(chosen ISCO unit group or None, candidate groups) for what the person typed."""
    if not text:
        return None, []
    candidates = list(occupation_matching_list(text))
    chosen = next((group for group in candidates if group.code == text.strip()), None)
    if chosen is None and len(candidates) == 1:
        chosen = candidates[0]
    return chosen, candidates
