"""The eligibility engine: (applicant, permit, date) → verdict with one reason per condition.

Rules are data: every condition reads a field of the permit (or a row linked to it), never a country
name. Unknown is not "no": a question the applicant left open, or a figure the hub does not know,
gives the status "unknown" and the verdict "possible", naming the missing point.

Public API (stable; the pages and the API call it):
- `Applicant` – what the person told us.
- `evaluate(applicant, permit, on=None, *, agreements=None) -> Verdict` – one permit (permits from
  `permits_for_evaluation` carry the answer of PermitQuerySet.open_to; others ask it, one query).
- `evaluate_all(applicant, on=None) -> list[Verdict]` – every published permit of the destination,
  with a fixed number of queries, sorted likely → possible → not eligible.
- `Verdict`, `Reason`, and the constants `LIKELY`, `POSSIBLE`, `NOT_ELIGIBLE`, `MET`, `NOT_MET`, `UNKNOWN`.

How salary thresholds are read (documented because it is a judgement on the data):
- only thresholds valid on the date count (valid_from ≤ date ≤ valid_to, open ends allowed);
- only thresholds of kind "salary" are a condition on the worker's own pay; a sponsor's income for
  family, means of subsistence and the statutory wage floor are facts, not conditions. As a safety
  net for rows entered with the default kind, a threshold whose label mentions family, dependants or
  a sponsor is never a condition either (`NOT_WORKER_THRESHOLD`);
- a threshold with `applies_from_age` is skipped for an applicant known to be younger; for an
  applicant of unknown age, missing it alone gives "unknown", not "not met";
- a monthly threshold counts ×12 against the annual salary; an hourly one, or one in another
  currency, cannot be compared (no hours or exchange rates in the hub): that threshold is unknown;
- several thresholds are alternatives (regions, reduced figures for some applicants): met when the
  salary reaches every one of them, not met when it reaches none, otherwise unknown (it depends on
  which one applies to the applicant).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from countries.models import Agreement, Country, LegalSource
from permits.models import SKILL_LEVELS_BY_MAJOR_GROUP, EscoOccupation, IscoGroup, PermitCategory, SalaryThreshold

LIKELY = "likely"
POSSIBLE = "possible"
NOT_ELIGIBLE = "not_eligible"
VERDICT_ORDER = {LIKELY: 0, POSSIBLE: 1, NOT_ELIGIBLE: 2}

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"

QUALIFICATION_ORDER = {"none": 0, "vocational": 1, "tertiary": 2}
CEFR_ORDER = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
NOT_WORKER_THRESHOLD = re.compile(r"famil|dependa?nt|sponsor", re.IGNORECASE)

# Conditions in the order they are reported.
CONDITIONS = (
    "validity",
    "nationality",
    "occupation",
    "skill_level",
    "qualification",
    "recognition",
    "job_offer",
    "salary",
    "language",
    "age",
    "quota",
)


def _interpolate(message, params):
    return str(message) % params


# The message stays lazy: it is rendered in the language active where it is shown.
interpolate_lazy = lazy(_interpolate, str)


@dataclass(frozen=True)
class Applicant:
    """What an applicant told us. `None` always means "not answered", never "no"."""

    nationality: str
    destination: str
    isco_code: str | None = None
    esco_uri: str | None = None
    qualification: str | None = None  # none / vocational / tertiary
    job_offer: bool | None = None
    salary: Decimal | None = None  # annual gross
    salary_currency: str | None = None
    language_level: str | None = None  # CEFR A1…C2
    age: int | None = None
    qualification_recognised: bool | None = None

    def __post_init__(self):
        if self.qualification is not None and self.qualification not in QUALIFICATION_ORDER:
            raise ValueError(f"qualification must be one of {sorted(QUALIFICATION_ORDER)}")
        if self.language_level is not None and self.language_level not in CEFR_ORDER:
            raise ValueError(f"language_level must be one of {sorted(CEFR_ORDER)}")
        if self.salary is not None and not self.salary_currency:
            raise ValueError("a salary needs its currency")
        if self.salary is not None and not isinstance(self.salary, Decimal):
            object.__setattr__(self, "salary", Decimal(str(self.salary)))


@dataclass(frozen=True)
class Reason:
    """One condition: its code, met / not_met / unknown, a translatable message and its sources."""

    code: str
    status: str
    message: str
    sources: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)

    def as_dict(self):
        return {
            "code": self.code,
            "status": self.status,
            "message": str(self.message),
            "sources": list(self.sources),
            "params": self.params,
        }


@dataclass(frozen=True)
class Verdict:
    permit_code: str
    verdict: str
    reasons: list[Reason]
    permit: object = field(default=None, compare=False, repr=False)

    @property
    def missing(self):
        """The conditions that could not be decided."""
        return [reason for reason in self.reasons if reason.status == UNKNOWN]

    def as_dict(self):
        return {
            "permit_code": self.permit_code,
            "verdict": self.verdict,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


def occupation_code(applicant):
    """The applicant's ISCO-08 code: given directly, or the unit group of the ESCO occupation (one query)."""
    if applicant.isco_code:
        return applicant.isco_code
    if applicant.esco_uri:
        return EscoOccupation.objects.filter(uri=applicant.esco_uri).values_list("isco_group_id", flat=True).first()
    return None


def agreements_in_force(nationality, destination, on):
    """Published labour agreements in force on `on` between the two countries, with their sources."""
    return list(
        Agreement.objects.opening_labour_routes(on)
        .between(nationality, destination)
        .prefetch_related(Prefetch("legal_sources", queryset=LegalSource.objects.only("id", "key")))
        .distinct()
        .order_by("key")
    )


def permits_for_evaluation(destination, nationality, on):
    """The destination's published work permits, with everything `evaluate` reads prefetched.

    Each is annotated with whether it is open to `nationality` on `on` (PermitQuerySet.open_to, the
    one rule for that question). Family permits are left out: they depend on a sponsor already
    living there, not on the applicant's work, which is what the check asks about.
    """

    sources = LegalSource.objects.only("id", "key")
    return (
        PermitCategory.objects.published()
        .filter(country_id=destination)
        .exclude(purpose=PermitCategory.Purpose.FAMILY)
        .with_open_to(nationality, on=on)
        .prefetch_related(
            Prefetch("open_to", queryset=Country.objects.only("code")),
            Prefetch("closed_to", queryset=Country.objects.only("code")),
            Prefetch("occupations", queryset=IscoGroup.objects.only("code")),
            Prefetch("legal_sources", queryset=sources),
            Prefetch(
                "salary_thresholds",
                queryset=SalaryThreshold.objects.prefetch_related(Prefetch("legal_sources", queryset=sources)),
            ),
        )
        .order_by("name", "code")
    )


def evaluate(applicant, permit, on=None, *, agreements=None, isco_code=None):
    """The verdict on one permit for one applicant on the date `on` (today by default).

    `agreements` (labour agreements in force between the nationality and the destination) and
    `isco_code` may be passed in to avoid queries; otherwise they are looked up.
    """
    on = on or datetime.date.today()
    if isco_code is None:
        isco_code = occupation_code(applicant)
    if agreements is None and permit.agreement_required:
        agreements = agreements_in_force(applicant.nationality, permit.country_id, on)
    permit_sources = tuple(sorted(source.key for source in permit.legal_sources.all()))
    reasons = [
        _validity(permit, on, permit_sources),
        _nationality(applicant.nationality, permit, on, agreements or [], permit_sources),
        _occupation(isco_code, permit, permit_sources),
        _skill_level(isco_code, permit, permit_sources),
        _qualification(applicant, permit, permit_sources),
        _recognition(applicant, permit, permit_sources),
        _job_offer(applicant, permit, permit_sources),
        _salary(applicant, permit, on),
        _language(applicant, permit, permit_sources),
        _age(applicant, permit, permit_sources),
        _quota(permit, permit_sources),
    ]
    statuses = {reason.status for reason in reasons}
    if NOT_MET in statuses:
        verdict = NOT_ELIGIBLE
    elif UNKNOWN in statuses:
        verdict = POSSIBLE
    else:
        verdict = LIKELY
    return Verdict(permit_code=permit.code, verdict=verdict, reasons=reasons, permit=permit)


def evaluate_all(applicant, on=None):
    """Verdicts on every published permit of the applicant's destination, likely first.

    A fixed set of queries whatever the number of permits: the permits and their prefetched
    relations, the agreements in force (with sources), and the ESCO occupation if one was given.
    """
    on = on or datetime.date.today()
    isco_code = occupation_code(applicant) or ""
    agreements = agreements_in_force(applicant.nationality, applicant.destination, on)
    verdicts = [
        evaluate(applicant, permit, on, agreements=agreements, isco_code=isco_code)
        for permit in permits_for_evaluation(applicant.destination, applicant.nationality, on)
    ]
    return sorted(verdicts, key=lambda verdict: (VERDICT_ORDER[verdict.verdict], verdict.permit_code))


def _reason(code, status, message, sources=(), /, **params):
    return Reason(
        code=code,
        status=status,
        message=interpolate_lazy(message, params) if params else message,
        sources=tuple(sources),
        params={key: _plain(value) for key, value in params.items()},
    )


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _validity(permit, on, sources):
    if permit.valid_from and on < permit.valid_from:
        return _reason(
            "validity", NOT_MET, _("This permit applies only from %(date)s."), sources, date=permit.valid_from
        )
    if permit.valid_to and on > permit.valid_to:
        return _reason("validity", NOT_MET, _("This permit ended on %(date)s."), sources, date=permit.valid_to)
    return _reason("validity", MET, _("This permit applies on the date checked."), sources)


def _is_open_to(permit, nationality, on):
    """PermitQuerySet.open_to's answer for this permit: annotated by permits_for_evaluation, else asked."""
    answer = getattr(permit, "is_open_to_nationality", None)
    if answer is None:
        answer = type(permit).objects.filter(pk=permit.pk).open_to(nationality, on=on).exists()
    return answer


def _nationality(nationality, permit, on, agreements, sources):
    """Whether the permit is open to the nationality (the one rule), and the reason in words."""
    if _is_open_to(permit, nationality, on):
        if permit.agreement_required and agreements:
            agreement_sources = {source.key for agreement in agreements for source in agreement.legal_sources.all()}
            return _reason(
                "nationality",
                MET,
                _("An agreement in force between your country and the destination opens this permit: %(agreements)s."),
                sorted(set(sources) | agreement_sources),
                agreements=", ".join(agreement.key for agreement in agreements),
            )
        return _reason("nationality", MET, _("This permit is open to your nationality."), sources)
    closed = {country.code for country in permit.closed_to.all()}
    opened = {country.code for country in permit.open_to.all()}
    if nationality in closed:
        return _reason("nationality", NOT_MET, _("This permit is closed to your nationality."), sources)
    if opened and nationality not in opened:
        return _reason(
            "nationality",
            NOT_MET,
            _("This permit is open only to nationals of %(countries)s."),
            sources,
            countries=", ".join(sorted(opened)),
        )
    return _reason(
        "nationality",
        NOT_MET,
        _("This permit needs an agreement in force between your country and the destination; none is known."),
        sources,
    )


def _occupation(isco_code, permit, sources):
    listed = {group.code for group in permit.occupations.all()}
    if not listed:
        return _reason("occupation", MET, _("This permit is open to every occupation."), sources)
    if not isco_code:
        return _reason("occupation", UNKNOWN, _("Your occupation is needed: only some are eligible."), sources)
    ancestors = {isco_code[:n] for n in range(1, len(isco_code) + 1)}
    if ancestors & listed:
        return _reason("occupation", MET, _("Your occupation is one this permit is open to."), sources)
    if any(code.startswith(isco_code) for code in listed):
        return _reason(
            "occupation",
            UNKNOWN,
            _("Only some occupations of group %(group)s are covered: give your exact occupation."),
            sources,
            group=isco_code,
        )
    return _reason(
        "occupation",
        NOT_MET,
        _("This permit is open only to the occupations %(codes)s."),
        sources,
        codes=", ".join(sorted(listed)),
    )


def _skill_level(isco_code, permit, sources):
    required = set(permit.skill_levels or [])
    if not required:
        return _reason("skill_level", MET, _("This permit is open to every skill level."), sources)
    if not isco_code:
        return _reason("skill_level", UNKNOWN, _("Your occupation is needed to know its skill level."), sources)
    levels = set(SKILL_LEVELS_BY_MAJOR_GROUP.get(isco_code[:1], ()))
    if levels & required:
        return _reason("skill_level", MET, _("Your occupation's skill level is one this permit accepts."), sources)
    return _reason(
        "skill_level",
        NOT_MET,
        _("This permit needs ISCO skill level %(levels)s."),
        sources,
        levels=", ".join(str(level) for level in sorted(required)),
    )


def _qualification(applicant, permit, sources):
    required = permit.qualification
    if not required:
        return _reason("qualification", UNKNOWN, _("The hub does not know what qualification is needed."), sources)
    if required == "none":
        return _reason("qualification", MET, _("No formal qualification is needed."), sources)
    label = permit.get_qualification_display()
    if applicant.qualification is None:
        return _reason(
            "qualification", UNKNOWN, _("Tell us your qualification: %(required)s is needed."), sources, required=label
        )
    if QUALIFICATION_ORDER[applicant.qualification] >= QUALIFICATION_ORDER[required]:
        return _reason("qualification", MET, _("Your qualification is enough: %(required)s."), sources, required=label)
    return _reason("qualification", NOT_MET, _("This permit needs a %(required)s."), sources, required=label)


def _recognition(applicant, permit, sources):
    required = permit.recognition_required
    if required is None:
        return _reason(
            "recognition", UNKNOWN, _("The hub does not know whether recognition of qualifications is needed."), sources
        )
    if not required:
        return _reason("recognition", MET, _("No recognition of your qualification is needed first."), sources)
    if applicant.qualification_recognised is None:
        return _reason(
            "recognition", UNKNOWN, _("Your qualification must be recognised: tell us whether it is."), sources
        )
    if applicant.qualification_recognised:
        return _reason("recognition", MET, _("Your qualification is recognised, as required."), sources)
    return _reason("recognition", NOT_MET, _("Your qualification must be recognised first."), sources)


def _job_offer(applicant, permit, sources):
    required = permit.job_offer_required
    if required is None:
        return _reason("job_offer", UNKNOWN, _("The hub does not know whether a job offer is needed."), sources)
    if not required:
        return _reason("job_offer", MET, _("No job offer is needed."), sources)
    if applicant.job_offer is None:
        return _reason("job_offer", UNKNOWN, _("A job offer is needed: tell us whether you have one."), sources)
    if applicant.job_offer:
        return _reason("job_offer", MET, _("You have the job offer this permit needs."), sources)
    return _reason("job_offer", NOT_MET, _("This permit needs a job offer."), sources)


def threshold_is_worker_condition(threshold):
    """True for a minimum of the worker's own pay; False for family income, subsistence, wage floors."""
    return threshold.kind == "salary" and not NOT_WORKER_THRESHOLD.search(threshold.label or "")


def threshold_min_age(threshold):
    """The age from which a threshold applies, or None when it applies at any age."""
    return threshold.applies_from_age


def thresholds_on(permit, on):
    """The permit's salary thresholds valid on `on`, from the prefetched rows."""
    return [threshold for threshold in permit.salary_thresholds.all() if threshold.is_valid_on(on)]


def annual_amount(threshold):
    """The threshold as an annual amount, or None when it cannot be made annual (hourly)."""
    if threshold.period == "year":
        return threshold.amount
    if threshold.period == "month":
        return threshold.amount * 12
    return None


def _salary(applicant, permit, on):
    every = list(permit.salary_thresholds.all())
    worker_thresholds = [threshold for threshold in every if threshold_is_worker_condition(threshold)]
    if not worker_thresholds:
        return _reason("salary", MET, _("No minimum salary is recorded for this permit."))
    current = [threshold for threshold in thresholds_on(permit, on) if threshold_is_worker_condition(threshold)]
    if not current:
        return _reason(
            "salary",
            UNKNOWN,
            _("This permit has a minimum salary, but the hub has no figure valid on %(date)s."),
            sorted({source.key for threshold in worker_thresholds for source in threshold.legal_sources.all()}),
            date=on,
        )
    if applicant.age is not None:
        current = [
            threshold
            for threshold in current
            if threshold_min_age(threshold) is None or applicant.age >= threshold_min_age(threshold)
        ]
        if not current:
            return _reason("salary", MET, _("No minimum salary applies at your age."))
    sources = sorted({source.key for threshold in current for source in threshold.legal_sources.all()})
    lowest = min(current, key=lambda threshold: annual_amount(threshold) or Decimal(0))
    figure = {"amount": lowest.amount, "currency": lowest.currency, "period": lowest.get_period_display()}
    if applicant.salary is None:
        return _reason(
            "salary",
            UNKNOWN,
            _("Tell us your salary: the minimum is %(amount)s %(currency)s %(period)s or more."),
            sources,
            **figure,
        )
    reached, missed, undecided = [], [], []
    for threshold in current:
        annual = annual_amount(threshold)
        if annual is None or threshold.currency != applicant.salary_currency:
            undecided.append(threshold)
        elif applicant.salary >= annual:
            reached.append(threshold)
        else:
            missed.append(threshold)
    if not missed and not undecided:
        return _reason("salary", MET, _("Your salary reaches the minimum."), sources)
    if not reached and not undecided:
        # An age-bound threshold missed by an applicant of unknown age may not apply to them.
        if applicant.age is None and all(threshold_min_age(threshold) is not None for threshold in missed):
            return _reason(
                "salary",
                UNKNOWN,
                _("A minimum salary applies from a certain age: tell us your age."),
                sources,
            )
        return _reason(
            "salary",
            NOT_MET,
            _("Your salary is below the minimum of %(amount)s %(currency)s %(period)s."),
            sources,
            **figure,
        )
    if undecided and not missed and not reached:
        return _reason(
            "salary",
            UNKNOWN,
            _("The minimum salary is %(amount)s %(currency)s %(period)s: it cannot be compared with yours."),
            sources,
            **figure,
        )
    return _reason(
        "salary",
        UNKNOWN,
        _("Your salary reaches some minimum salaries of this permit but not: %(missed)s. It depends on your case."),
        sources,
        missed="; ".join(str(threshold.label or threshold) for threshold in missed + undecided),
    )


def _language(applicant, permit, sources):
    required = permit.language_level
    if not required:
        return _reason("language", UNKNOWN, _("The hub does not know what language level is needed."), sources)
    if required == "none":
        return _reason("language", MET, _("No language level is needed."), sources)
    if applicant.language_level is None:
        return _reason(
            "language", UNKNOWN, _("Tell us your language level: %(level)s is needed."), sources, level=required
        )
    if CEFR_ORDER[applicant.language_level] >= CEFR_ORDER[required]:
        return _reason("language", MET, _("Your language level is enough: %(level)s."), sources, level=required)
    return _reason("language", NOT_MET, _("This permit needs language level %(level)s."), sources, level=required)


def _age(applicant, permit, sources):
    low, high = permit.min_age, permit.max_age
    if low is None and high is None:
        return _reason("age", MET, _("No age limit is recorded."), sources)
    if applicant.age is None:
        return _reason("age", UNKNOWN, _("This permit has an age limit: tell us your age."), sources)
    if (low is not None and applicant.age < low) or (high is not None and applicant.age > high):
        return _reason(
            "age",
            NOT_MET,
            _("Your age is outside the limits of this permit (%(low)s–%(high)s)."),
            sources,
            low=low if low is not None else "",
            high=high if high is not None else "",
        )
    return _reason("age", MET, _("Your age is within the limits of this permit."), sources)


def _quota(permit, sources):
    if permit.quota_size is None:
        return _reason("quota", MET, _("No quota is recorded."), sources)
    return _reason(
        "quota",
        UNKNOWN,
        _("A quota of %(size)s %(period)s applies; the hub does not know how many places remain."),
        sources,
        size=permit.quota_size,
        period=permit.get_quota_period_display(),
    )


__all__ = [
    "CONDITIONS",
    "LIKELY",
    "MET",
    "NOT_ELIGIBLE",
    "NOT_MET",
    "POSSIBLE",
    "UNKNOWN",
    "Applicant",
    "Reason",
    "Verdict",
    "agreements_in_force",
    "evaluate",
    "evaluate_all",
    "occupation_code",
    "permits_for_evaluation",
]
