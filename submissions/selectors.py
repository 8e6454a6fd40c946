"""Reads of the submission pipeline: who sees which submission, stale data, the change feed."""

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.fields import PublicationStatus
from core.permissions import editable_country_codes
from countries.models import Agreement
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency, RecruitmentRegime

from .models import Report, Submission, SubmissionAttempt, SubmissionDiffEntry


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

# Published rows and the date that says when someone last confirmed them.
STALE_CHECKS = (
    (PermitCategory, "last_verified", "country"),
    (RecruitmentRegime, "last_verified", "country"),
    (Agreement, "last_verified", "parties"),
    (RecruitmentAgency, "last_confirmed", "country"),
)


def months_before(day, months):
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def stale_cutoff(today):
    return months_before(today, settings.STALE_AFTER_MONTHS)


def stale(model, date_field, *, today):
    """Published rows of `model` not confirmed since STALE_AFTER_MONTHS months (or never).

    Staleness is computed when asked, not stored: it changes with the calendar alone, and a
    stored flag would need a write to every row each night."""
    cutoff = stale_cutoff(today)
    return model.objects.filter(publication_status=PublicationStatus.PUBLISHED).filter(
        Q(**{f"{date_field}__isnull": True}) | Q(**{f"{date_field}__lt": cutoff})
    )


def stale_counts(*, today):
    """{country code: {model verbose name plural: count}} of stale published rows."""
    counts = {}
    for model, date_field, country_field in STALE_CHECKS:
        rows = (
            stale(model, date_field, today=today)
            .values_list(country_field)
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        for code, number in rows:
            if code:
                counts.setdefault(code, {})[str(model._meta.verbose_name_plural)] = number
    return counts


def report_open_list(*, codes=None):
    """The readers' reports not yet closed (new or checked), of the countries `codes` (None: all)."""
    reports = Report.objects.filter(status__in=Report.OPEN)
    if codes is not None:
        reports = reports.in_countries(codes)
    return reports.prefetch_related("countries").order_by("pk")


def digest_lines(*, user, codes, stale):
    """The lines of a user's digest: their submissions to fix or awaiting review, the submissions
    a hub editor may review, their countries' open reports of wrong facts, and their stale data."""
    lines = []
    own = Submission.objects.filter(submitter=user, status=Submission.Status.INVALID).order_by("pk")
    for submission in own:
        lines.append(
            _("Submission #%(id)s (%(country)s) has errors to fix.")
            % {"id": submission.pk, "country": submission.country_id}
        )
    waiting = Submission.objects.filter(status=Submission.Status.READY_FOR_REVIEW).order_by("pk")
    if codes is None:
        for submission in waiting.exclude(submitter=user):
            lines.append(
                _("Submission #%(id)s (%(country)s) awaits your review.")
                % {"id": submission.pk, "country": submission.country_id}
            )
    else:
        for submission in waiting.filter(country__in=codes):
            lines.append(
                _("Submission #%(id)s (%(country)s) awaits a hub editor's review.")
                % {"id": submission.pk, "country": submission.country_id}
            )
        for report in report_open_list(codes=codes):
            lines.append(
                _("Report #%(id)s (%(countries)s, %(status)s): a reader says a fact of %(fact)s is wrong or missing.")
                % {
                    "id": report.pk,
                    "countries": ", ".join(sorted(country.pk for country in report.countries.all())),
                    "status": report.get_status_display(),
                    "fact": report.object_repr,
                }
            )
        for code in sorted(codes):
            for what, number in sorted(stale.get(code, {}).items()):
                lines.append(
                    _("%(country)s: %(number)s %(what)s not confirmed for %(months)s months.")
                    % {"country": code, "number": number, "what": what, "months": settings.STALE_AFTER_MONTHS}
                )
    return lines
