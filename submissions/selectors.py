"""Reads of the submission pipeline: who sees which submission, stale data, the change feed."""

from django.db.models import Count, Q

from core.fields import PublicationStatus
from core.freshness import stale_condition, verified_field
from core.permissions import editable_country_codes
from core.querysets import country_paths
from countries.models import Agreement
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency, RecruitmentRegime

from .models import Submission, SubmissionAttempt, SubmissionDiffEntry


def submissions_visible_to(user):
    """Hub editors see every submission; a focal point those of their countries."""
    queryset = Submission.objects.select_related("country", "submitter", "reviewer")
    codes = editable_country_codes(user)
    return queryset if codes is None else queryset.filter(country__in=codes)


def diff_entries(submission, *, kind=None):
    """A submission's diff entries in order (`kind`: added, changed or withdrawn only), to be read a
    page at a time."""
    entries = SubmissionDiffEntry.objects.filter(submission=submission).order_by("position")
    return entries.filter(kind=kind) if kind else entries


def report_errors(submission):
    """The errors of a submission's report (at most MAX_ERRORS_PER_SHEET of each sheet), or []."""
    return (submission.report or {}).get("errors", [])


def report_summary(submission):
    """A submission's report without its list of errors: what the detail answer carries."""
    return {key: value for key, value in (submission.report or {}).items() if key != "errors"}


def with_attempt_counts(queryset):
    return queryset.annotate(
        validate_attempts=Count("attempts", filter=Q(attempts__step=SubmissionAttempt.Step.VALIDATE)),
        publish_attempts=Count("attempts", filter=Q(attempts__step=SubmissionAttempt.Step.PUBLISH)),
    )


# -- stale data ------------------------------------------------------------------------------------

# The published rows counted when nobody confirms them, each by its verified_field, under its country
# (its one country_path).
STALE_CHECKS = (PermitCategory, RecruitmentRegime, Agreement, RecruitmentAgency)


def stale(queryset, *, today=None):
    """The published rows of `queryset` not confirmed since STALE_AFTER_MONTHS months (or never):
    what the dashboard counts and the admin's "last confirmed" filter lists."""
    published = queryset.filter(publication_status=PublicationStatus.PUBLISHED)
    return published.filter(stale_condition(verified_field(queryset.model), today))


def stale_rows_by_country(*, today, codes=None):
    """[(model, country code, count)] of the published rows not confirmed for STALE_AFTER_MONTHS
    months, of the countries `codes` (None: all)."""
    found = []
    for model in STALE_CHECKS:
        (country_field,) = country_paths(model)
        rows = stale(model.objects.all(), today=today)
        if codes is not None:
            rows = rows.filter(**{f"{country_field}__in": codes})
        counted = rows.values_list(country_field).annotate(n=Count("pk", distinct=True)).order_by(country_field)
        found += [(model, code, number) for code, number in counted if code and (codes is None or code in codes)]
    return found


def stale_counts(*, today):
    """{country code: {model verbose name plural: count}} of stale published rows."""
    counts = {}
    for model, code, number in stale_rows_by_country(today=today):
        counts.setdefault(code, {})[str(model._meta.verbose_name_plural)] = number
    return counts
