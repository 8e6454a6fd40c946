"""What awaits a person in the hub: one answer for the admin's home (the dashboard) and the daily digest.

For a focal point, their countries' submissions with errors, being checked or awaiting review, the
open reports of wrong facts, the published rows nobody confirmed for STALE_AFTER_MONTHS months, the
licences that end within EXPIRING_DAYS days and the rows whose translations may be out of date. For a
hub editor, the same across countries, and the submissions that await their own review. Each task
says how many rows it is about, in one country, and links to where it is handled: the row itself when
there is one, else the admin's list filtered to those rows.

The digest carries the tasks the person is the one to act on (`in_digest`): a focal point all of
theirs but the files being checked; a hub editor the reviews that await them and their own files.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.models import TextTranslation
from core.permissions import editable_country_codes
from core.querysets import country_paths, in_countries
from core.translation_admin import models_changeable_by
from countries.models import Country
from recruiters.models import RecruitmentAgency

from .models import Report, Submission
from .selectors import stale_rows_by_country

EXPIRING_DAYS = 60
OPEN_SUBMISSIONS = (
    Submission.Status.INVALID,
    Submission.Status.RECEIVED,
    Submission.Status.VALIDATING,
    Submission.Status.READY_FOR_REVIEW,
)


# What a submission waits for, said of one submission and of several of a country.
SUBMISSION_TEXTS = {
    "fix": (
        _lazy("Submission #%(id)s (%(country)s) has errors to fix."),
        _lazy("Submissions with errors to fix (%(country)s): %(count)s."),
    ),
    "editor": (
        _lazy("Submission #%(id)s (%(country)s) awaits a hub editor's review."),
        _lazy("Submissions awaiting a hub editor's review (%(country)s): %(count)s."),
    ),
    "other editor": (
        _lazy("Submission #%(id)s (%(country)s) awaits another hub editor's review."),
        _lazy("Your submissions awaiting another hub editor's review (%(country)s): %(count)s."),
    ),
    "you": (
        _lazy("Submission #%(id)s (%(country)s) awaits your review."),
        _lazy("Submissions awaiting your review (%(country)s): %(count)s."),
    ),
}


@dataclass(frozen=True)
class Task:
    kind: str  # "invalid", "checking", "review", "report", "stale", "expiring", "translation"
    country: str  # a country code
    count: int
    text: str
    url: str
    in_digest: bool


@dataclass(frozen=True)
class CountryTasks:
    country: Country
    tasks: list

    @property
    def count(self):
        return sum(task.count for task in self.tasks)


def tasks_of(user, *, today=None):
    """Every task awaiting `user`, in the active language, country by country (codes in order)."""
    today = today or timezone.localdate()
    codes = editable_country_codes(user)
    if codes is not None and not codes:
        return []
    return [
        *_submission_tasks(user, codes),
        *_report_tasks(codes),
        *_stale_tasks(codes, today),
        *_expiring_tasks(codes, today),
        *_translation_tasks(user, codes),
    ]


def by_country(tasks):
    """The tasks grouped under their countries, ordered by the countries' names."""
    countries = Country.objects.in_bulk({task.country for task in tasks})
    groups = {}
    for task in tasks:
        groups.setdefault(task.country, []).append(task)
    return sorted(
        (CountryTasks(country=countries[code], tasks=group) for code, group in groups.items() if code in countries),
        key=lambda group: str(group.country.name),
    )


def digest_lines(user, *, today=None):
    return [task.text for task in tasks_of(user, today=today) if task.in_digest]


# -- the kinds of task ---------------------------------------------------------------------------------


def _changelist(model, **params):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _change(model, pk):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])


def _scoped(queryset, codes):
    return queryset if codes is None else in_countries(queryset, codes)


def _submission_tasks(user, codes):
    rows = (
        _scoped(Submission.objects.filter(status__in=OPEN_SUBMISSIONS), codes)
        # A file with errors that a later upload corrects is no longer to fix: the correction carries on.
        .exclude(status=Submission.Status.INVALID, corrections__isnull=False)
        .annotate(mine=ExpressionWrapper(Q(submitter=user), output_field=BooleanField()))
        .values("country", "status", "mine")
        .annotate(n=Count("pk"), one=Min("pk"))
        .order_by("country", "status", "mine")
    )
    checking = {}
    tasks = []
    for row in rows:
        code, status, mine, count, one = row["country"], row["status"], row["mine"], row["n"], row["one"]
        if status in (Submission.Status.RECEIVED, Submission.Status.VALIDATING):
            checking[code] = checking.get(code, 0) + count
            continue
        if status == Submission.Status.INVALID:
            kind, waits_for, in_digest = "invalid", "fix", codes is not None or mine
        elif codes is not None:
            kind, waits_for, in_digest = "review", "editor", True
        else:  # a hub editor's own file awaits another editor; the others' await this one
            kind, waits_for, in_digest = "review", "other editor" if mine else "you", not mine
        one_text, many_text = SUBMISSION_TEXTS[waits_for]
        if count == 1:
            text, url = one_text % {"id": one, "country": code}, _change(Submission, one)
        else:
            text = many_text % {"country": code, "count": count}
            url = _changelist(Submission, status__exact=status, country=code)
        tasks.append(Task(kind, code, count, text, url, in_digest=in_digest))
    for code, count in checking.items():
        text = _("Submissions being checked (%(country)s): %(count)s.") % {"country": code, "count": count}
        url = _changelist(Submission, status__in="received,validating", country=code)
        tasks.append(Task("checking", code, count, text, url, in_digest=False))
    return tasks


def _report_tasks(codes):
    links = Report.countries.through.objects.filter(report__status__in=Report.OPEN)
    if codes is not None:
        links = links.filter(country__in=codes)
    rows = list(
        links.values("country").annotate(n=Count("report", distinct=True), one=Min("report")).order_by("country")
    )
    singles = Report.objects.prefetch_related("countries").in_bulk([row["one"] for row in rows if row["n"] == 1])
    tasks = []
    for row in rows:
        code, count = row["country"], row["n"]
        if count == 1:
            report = singles[row["one"]]
            text = _(
                "Report #%(id)s (%(countries)s, %(status)s): a reader says a fact of %(fact)s is wrong or missing."
            ) % {
                "id": report.pk,
                "countries": ", ".join(sorted(country.pk for country in report.countries.all())),
                "status": report.get_status_display(),
                "fact": report.object_repr,
            }
            url = _change(Report, report.pk)
        else:
            text = _("Open reports of wrong or missing facts (%(country)s): %(count)s.") % {
                "country": code,
                "count": count,
            }
            url = _changelist(Report, status__in=",".join(Report.OPEN), countries=code)
        tasks.append(Task("report", code, count, text, url, in_digest=codes is not None))
    return tasks


def _stale_tasks(codes, today):
    tasks = []
    for model, code, count in stale_rows_by_country(today=today, codes=codes):
        (path,) = country_paths(model)
        text = _("%(what)s not confirmed for %(months)s months (%(country)s): %(count)s.") % {
            "what": str(model._meta.verbose_name_plural).capitalize(),
            "months": settings.STALE_AFTER_MONTHS,
            "country": code,
            "count": count,
        }
        url = _changelist(model, **{"verified": "stale", path: code})
        tasks.append(Task("stale", code, count, text, url, in_digest=codes is not None))
    return tasks


def _expiring_tasks(codes, today):
    until = today + timedelta(days=EXPIRING_DAYS)
    agencies = RecruitmentAgency.objects.published().filter(
        status=RecruitmentAgency.Status.ACTIVE, valid_until__gte=today, valid_until__lte=until
    )
    rows = _scoped(agencies, codes).values("country").annotate(n=Count("pk"), one=Min("pk")).order_by("country")
    tasks = []
    for row in rows:
        code, count = row["country"], row["n"]
        text = _("Licences ending within %(days)s days (%(country)s): %(count)s.") % {
            "days": EXPIRING_DAYS,
            "country": code,
            "count": count,
        }
        url = (
            _change(RecruitmentAgency, row["one"])
            if count == 1
            else _changelist(
                RecruitmentAgency,
                country=code,
                valid_until__gte=today.isoformat(),
                valid_until__lte=until.isoformat(),
                status__exact=RecruitmentAgency.Status.ACTIVE,
            )
        )
        tasks.append(Task("expiring", code, count, text, url, in_digest=codes is not None))
    return tasks


def _translation_tasks(user, codes):
    flagged = TextTranslation.objects.filter(out_of_date=True)
    # Only the kinds of row that have a flagged translation are read, one query each.
    kinds = set(flagged.values_list("content_type", flat=True).distinct())
    counts = {}
    for model in models_changeable_by(user):
        content_type = ContentType.objects.get_for_model(model)
        paths = country_paths(model)
        if content_type.pk not in kinds or not paths:
            continue
        rows = _scoped(
            model._base_manager.filter(pk__in=flagged.filter(content_type=content_type).values("object_id")), codes
        )
        for path in paths:
            for code, number in rows.values_list(path).annotate(n=Count("pk", distinct=True)).order_by(path):
                if code and (codes is None or code in codes):
                    counts[code] = counts.get(code, 0) + number
    tasks = []
    for code, count in sorted(counts.items()):
        text = _("Rows whose translations may be out of date (%(country)s): %(count)s.") % {
            "country": code,
            "count": count,
        }
        url = _changelist(TextTranslation, out_of_date="yes", country=code)
        tasks.append(Task("translation", code, count, text, url, in_digest=codes is not None))
    return tasks
