"""The eligibility engine: (applicant, permit, date) → verdict with one reason per condition.

Rules are data: every condition reads a field of the permit (or a row linked to it), never a country
name. Unknown is not "no": a question the applicant left open, or a figure the hub does not know,
gives the status "unknown" and the verdict "possible", naming the missing point.

Public API (stable; the pages and the API call it):
- `Applicant` – what the person told us.
- `evaluate(applicant, permit, on=None, *, agreements=None) -> Verdict` – one permit (permits from
  `permits_for_evaluation` carry the answer of PermitQuerySet.open_to; others ask it, one query).
- `evaluate_all(applicant, on=None) -> list[Verdict]` – every published permit of the destination,
  with a fixed number of queries, sorted likely → possible → not eligible, each with what would
  change its answer (`Verdict.changes`, from `what_would_change`).
- `corridor_programmes(verdicts) -> list[Programme]` – the programmes and agreements in force for the
  corridor that concern the verdicts (each verdict names them in `Verdict.programmes`).
- `Verdict`, `Reason`, `Changes`, and the constants `LIKELY`, `POSSIBLE`, `NOT_ELIGIBLE`, `MET`,
  `NOT_MET`, `UNKNOWN`.

Each condition cites the provision that sets it when the permit names one (`<condition>_source` and
`<condition>_article`, a threshold's `article` and sources, a language requirement's source); else the
permit's own legal basis. Messages are plain sentences rendered in the language active where they are
shown, with amounts written by the hub's `money` filter and occupations and countries by their names.

How the qualification is read: the permit's `qualification` (none / vocational / tertiary) is what the
law asks of the applicant; the ISCO skill level of an occupation is not (ISCO files nurses at level 4,
German law trains them vocationally), so skill levels are shown on the permit page but decide nothing.

How salary thresholds are read (documented because it is a judgement on the data):
- only thresholds valid on the date count (valid_from ≤ date ≤ valid_to, open ends allowed);
- only thresholds of kind "salary" are a condition on the worker's own pay; a sponsor's income for
  family, means of subsistence and the statutory wage floor are facts, not conditions. As a safety
  net for rows entered with the default kind, a threshold whose label mentions family, dependants or
  a sponsor is never a condition either (`NOT_WORKER_THRESHOLD`);
- a threshold applies to an applicant when they are in one of its groups (its ISCO-08 occupation
  groups, or new entrants who graduated within its number of years; either suffices; no group means
  everyone) and, when it has one, have reached its age (`threshold_applies`). An unanswered question
  (occupation, graduation year, age) leaves it undecided, never "does not apply";
- a figure set for a region (`region`, e.g. Belgium's Flemish Region) applies to work there only; with
  the region not given it is undecided, and with every figure a region's and none for the given one,
  the hub lacks the figure ("unknown", never "no minimum");
- a reduced figure for a group the applicant is in (occupation groups, recent graduates, applicants
  under an age) replaces the general one (the lowest such figure is the one to reach); several
  general figures that all apply differ in a way the data does not record: the salary must reach the
  highest, and one between them is "unknown". A lower threshold that may apply makes a salary between
  the two "unknown", naming the question that decides it;
- a monthly threshold counts ×12 against the annual salary; an hourly one, or one in another
  currency, cannot be compared (no hours or exchange rates in the hub): that threshold is unknown.

How recognition is read: the permit's `recognition_required` is what the permit itself asks. Whether
the occupation is a regulated profession in the destination (its QualificationRecognition rows, of the
most specific ISCO group that has any, in the region of the work) is a second condition, "regulated":
a regulated profession may be practised only once the qualification is recognised, so a permit to
work in it (EMPLOYMENT_PURPOSES) needs that recognition whatever the permit itself asks, while a permit
to look for work, train or have the qualification recognised does not, and the reason says what working
later will need; an unregulated one needs no recognition to work in it, which the reason says,
recognition being a help there. Rows that differ by region or community leave it undecided until the region is
given. With no row, or none that says, the condition is not reported.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.functional import lazy
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from core.templatetags.hub import money
from core.text import collation_key, isolated
from countries.models import Agreement, LegalSource, RecognitionArea, Region, Sector
from permits.models import EscoOccupation, LanguageRequirement, PermitCategory, SalaryThreshold
from permits.selectors import recognition_list

LIKELY = "likely"
POSSIBLE = "possible"
NOT_ELIGIBLE = "not_eligible"
VERDICT_ORDER = {LIKELY: 0, POSSIBLE: 1, NOT_ELIGIBLE: 2}

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"

QUALIFICATION_ORDER = {"none": 0, "vocational": 1, "tertiary": 2}
QUALIFICATION_LABELS = dict(PermitCategory.Qualification.choices)
CEFR_ORDER = {"none": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}
LANGUAGES = dict(LanguageRequirement.Language.choices)
NOT_WORKER_THRESHOLD = re.compile(r"famil|dependa?nt|sponsor", re.IGNORECASE)

# Conditions in the order they are reported.
CONDITIONS = (
    "validity",
    "nationality",
    "occupation",
    "qualification",
    "recognition",
    "regulated",
    "job_offer",
    "purpose",
    "salary",
    "language",
    "age",
    "quota",
)
# A condition not met for one of these cannot be changed by the applicant.
FIXED_CONDITIONS = ("validity", "nationality", "occupation", "purpose", "age")
REGIONS = dict(Region.choices)

# Travel documents other than a national passport. Whether a permit is open to their holders is a
# question the hub's data does not answer (permits are open to nationalities), so the engine says so.
TRAVEL_DOCUMENTS = {
    "refugee": _("a refugee travel document (1951 Convention)"),
    "stateless": _("a stateless person's travel document (1954 Convention)"),
    "palestinian": _("a travel document for Palestinian refugees"),
}
# Holders of these have no nationality the hub can match (a stateless person; a Palestinian refugee
# document issued by a host country); a refugee keeps the nationality they give.
WITHOUT_NATIONALITY = ("stateless", "palestinian")


# -- messages ------------------------------------------------------------------------------------


class Money:
    """An amount in a message, written as the active language writes money (core's `money` filter)."""

    def __init__(self, amount, currency):
        self.amount, self.currency = Decimal(amount), currency

    def __str__(self):
        return isolated(strip_tags(money(self.amount, self.currency)))

    def plain(self):
        return {"amount": str(self.amount), "currency": self.currency}


class Names:
    """Rows named in a message by a translated field (countries, occupations), in the reader's order."""

    def __init__(self, rows, field_name="name", key="pk", joiner=", "):
        self.rows, self.field_name, self.key, self.joiner = list(rows), field_name, key, joiner

    def __str__(self):
        names = sorted((str(getattr(row, self.field_name)) for row in self.rows), key=collation_key)
        return str(self.joiner).join(isolated(name) for name in names)

    def plain(self):
        return sorted(str(getattr(row, self.key)) for row in self.rows)


class Options:
    """Alternatives in a message: "German A1 or English B2"."""

    def __init__(self, requirements):
        self.requirements = list(requirements)

    def __str__(self):
        return str(_(" or ")).join(
            str(_("%(language)s %(level)s") % {"language": LANGUAGES[item.language], "level": item.level})
            for item in self.requirements
        )

    def plain(self):
        return [f"{item.language}:{item.level}" for item in self.requirements]


def _interpolate(message, params, provision):
    text = str(message) % {key: str(value) for key, value in params.items()} if params else str(message)
    if provision:
        text = f"{text} ({isolated(provision)})"
    return text


# The message stays lazy: it is rendered in the language active where it is shown.
interpolate_lazy = lazy(_interpolate, str)


def _plain(value):
    if hasattr(value, "plain"):
        return value.plain()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


# -- the applicant, reasons, verdicts -------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """What an applicant told us. `None` always means "not answered", never "no".

    `languages` are (ISO 639-1 code, CEFR level) pairs, the level "none" meaning "I do not speak it";
    a language left out is not answered. `qualification_comparable` says that a qualification not formally
    recognised is rated comparable to a domestic one (e.g. a degree listed as comparable in anabin).
    `region` is where in a federal country the work would be (Belgium's Regions set their own minimums).
    """

    nationality: str
    destination: str
    isco_code: str | None = None
    esco_uri: str | None = None
    qualification: str | None = None  # none / vocational / tertiary
    job_offer: bool | None = None
    salary: Decimal | None = None  # annual gross
    salary_currency: str | None = None
    languages: tuple = ()
    age: int | None = None
    qualification_recognised: bool | None = None
    qualification_comparable: bool | None = None
    graduation_year: int | None = None
    travel_document: str | None = None  # None: a passport of `nationality`; else a key of TRAVEL_DOCUMENTS
    region: str | None = None  # ISO 3166-2 code of the region of the work (countries.models.Region)
    employer_abroad: bool | None = None  # employed by a company abroad that would send them (a transfer)
    sector: str | None = None  # ISIC Rev. 4 section of the work

    def __post_init__(self):
        if self.travel_document is not None and self.travel_document not in TRAVEL_DOCUMENTS:
            raise ValueError(f"travel_document must be one of {sorted(TRAVEL_DOCUMENTS)}")
        if not self.nationality and self.travel_document not in WITHOUT_NATIONALITY:
            raise ValueError("a nationality is needed, unless the travel document is a stateless or Palestinian one")
        if self.travel_document in WITHOUT_NATIONALITY:
            object.__setattr__(self, "nationality", "")
        if self.region is not None and self.region not in REGIONS:
            raise ValueError(f"region must be one of {sorted(REGIONS)}")
        if self.sector is not None and not re.fullmatch(r"[A-U]", self.sector):
            raise ValueError("sector must be an ISIC Rev. 4 section, A to U")
        if self.qualification is not None and self.qualification not in QUALIFICATION_ORDER:
            raise ValueError(f"qualification must be one of {sorted(QUALIFICATION_ORDER)}")
        pairs = self.languages.items() if isinstance(self.languages, dict) else self.languages
        languages = tuple(sorted((str(code), str(level)) for code, level in pairs))
        for code, level in languages:
            if code not in LANGUAGES:
                raise ValueError(f"languages: {code} is not one of {sorted(LANGUAGES)}")
            if level not in CEFR_ORDER:
                raise ValueError(f"languages: the level must be one of {list(CEFR_ORDER)}")
        if len({code for code, _level in languages}) != len(languages):
            raise ValueError("languages: one level per language")
        object.__setattr__(self, "languages", languages)
        if self.salary is not None and not self.salary_currency:
            raise ValueError("a salary needs its currency")
        if self.salary is not None:
            salary = self.salary if isinstance(self.salary, Decimal) else Decimal(str(self.salary))
            # 46000.00 from the API and 46000 from the page are the same answer, written the same way.
            object.__setattr__(
                self, "salary", salary.quantize(Decimal(1)) if salary == salary.to_integral() else salary
            )

    @property
    def language_levels(self):
        return dict(self.languages)


@dataclass(frozen=True)
class Reason:
    """One condition: its code, met / not_met / unknown, a translatable message, its sources and provision."""

    code: str
    status: str
    message: str
    sources: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)
    provision: str = ""

    def as_dict(self):
        return {
            "code": self.code,
            "status": self.status,
            "message": str(self.message),
            "sources": list(self.sources),
            "provision": self.provision,
            "params": self.params,
        }


@dataclass(frozen=True)
class Change:
    """One change to the applicant's answers: its condition, a message, and the new value."""

    code: str
    message: str
    params: dict = field(default_factory=dict)

    def as_dict(self):
        return {"code": self.code, "message": str(self.message), "params": self.params}


@dataclass(frozen=True)
class Changes:
    """What would make a permit "likely": the smallest set of changes, or why none would (`none`)."""

    changes: tuple[Change, ...] = ()
    none: tuple[Change, ...] = ()
    makes: str | None = None  # the verdict the changes lead to: likely, or possible when nothing makes it likely

    @property
    def possible(self):
        """Whether some change of the answers makes the permit likely."""
        return self.makes == LIKELY

    def as_dict(self):
        return {
            "possible": self.possible,
            "makes": self.makes,
            "changes": [change.as_dict() for change in self.changes],
            "none": [item.as_dict() for item in self.none],
        }


@dataclass(frozen=True)
class Verdict:
    permit_code: str
    verdict: str
    reasons: list[Reason]
    permit: object = field(default=None, compare=False, repr=False)
    changes: Changes | None = field(default=None, compare=False)
    programmes: tuple = field(default=(), compare=False)  # Agreements in force that concern this permit

    @property
    def missing(self):
        """The conditions that could not be decided."""
        return [reason for reason in self.reasons if reason.status == UNKNOWN]

    def as_dict(self):
        return {
            "permit_code": self.permit_code,
            "verdict": self.verdict,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "changes": self.changes.as_dict() if self.changes is not None else None,
            "programmes": [agreement.key for agreement in self.programmes],
        }


@dataclass(frozen=True)
class Programme:
    """A programme or agreement in force for the corridor, and the codes of the verdicts it concerns."""

    agreement: object
    permit_codes: tuple[str, ...]

    def as_dict(self):
        agreement = self.agreement
        return {
            "key": agreement.key,
            "title": str(agreement.title),
            "type": agreement.type,
            "occupations": [group.code for group in agreement.occupations.all()],
            "permit_codes": list(self.permit_codes),
        }


def summary(verdicts):
    """How many permits are likely, possible and not eligible, in that order."""
    return {name: sum(1 for verdict in verdicts if verdict.verdict == name) for name in VERDICT_ORDER}


# -- reading the data -----------------------------------------------------------------------------


def occupation_code(applicant):
    """The applicant's ISCO-08 code: given directly, or the unit group of the ESCO occupation (one query)."""
    if applicant.isco_code:
        return applicant.isco_code
    if applicant.esco_uri:
        return EscoOccupation.objects.filter(uri=applicant.esco_uri).values_list("isco_group_id", flat=True).first()
    return None


def agreements_in_force(nationality, destination, on):
    """Published labour agreements in force on `on` between the two countries, with their sources and occupations."""
    if not nationality:
        return []
    return list(
        Agreement.objects.opening_labour_routes(on)
        .between(nationality, destination)
        .towards(destination)
        .prefetch_related(
            Prefetch("legal_sources", queryset=LegalSource.objects.only("id", "key")),
            "occupations",
            Prefetch("sectors", queryset=Sector.objects.only("code")),
        )
        .distinct()
        .order_by("key")
    )


def permits_for_evaluation(destination, nationality, on):
    """The destination's published work permits, with everything `evaluate` reads prefetched.

    Each is annotated with whether it is open to `nationality` on `on` (PermitQuerySet.open_to, the
    one rule for that question). Family permits are left out: they depend on a sponsor already
    living there, not on the applicant's work, which is what the check asks about.
    """

    provisions = [f"{condition}_source" for condition in PermitCategory.PROVISIONS]
    return (
        PermitCategory.objects.published()
        .filter(country_id=destination)
        .exclude(purpose=PermitCategory.Purpose.FAMILY)
        .with_open_to(nationality, on=on)
        .select_related("country", *provisions)
        .prefetch_related(
            "open_to",
            "closed_to",
            "occupations",
            "legal_sources",
            Prefetch("sectors", queryset=Sector.objects.order_by("code")),
            Prefetch(
                "salary_thresholds",
                queryset=SalaryThreshold.objects.prefetch_related("legal_sources", "occupations"),
            ),
            Prefetch("language_requirements", queryset=LanguageRequirement.objects.select_related("legal_source")),
        )
        .order_by("name", "code")
    )


# -- evaluation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every condition of one permit reads besides the applicant."""

    permit: object
    on: datetime.date
    isco_code: str | None
    agreements: list
    permit_sources: tuple
    recognition: tuple = ()  # permits.selectors.recognition_list for the destination and occupation

    def provision(self, condition):
        """(source keys, article) of the provision that sets `condition`, or the permit's legal basis."""
        source = getattr(self.permit, f"{condition}_source", None)
        if source is None:
            return self.permit_sources, ""
        return (source.key,), getattr(self.permit, f"{condition}_article", "") or source.article


def evaluate(applicant, permit, on=None, *, agreements=None, isco_code=None, recognition=None):
    """The verdict on one permit for one applicant on the date `on` (today by default).

    `agreements` (labour agreements in force between the nationality and the destination),
    `isco_code` and `recognition` (the destination's recognition rows for the occupation) may be
    passed in to avoid queries; otherwise they are looked up.
    """
    on = on or datetime.date.today()
    if isco_code is None:
        isco_code = occupation_code(applicant)
    if agreements is None and permit.agreement_required:
        agreements = agreements_in_force(applicant.nationality, permit.country_id, on)
    if recognition is None:
        recognition = recognition_list(permit.country_id, isco_code)
    context = _Context(
        permit=permit,
        on=on,
        isco_code=isco_code or None,
        agreements=agreements or [],
        permit_sources=tuple(sorted(source.key for source in permit.legal_sources.all())),
        recognition=tuple(recognition),
    )
    conditions = [
        _validity(context),
        _nationality(applicant, context),
        _occupation(context),
        _qualification(applicant, context),
        _recognition(applicant, context),
        _regulated(applicant, context),
        _job_offer(applicant, context),
        _purpose(applicant, context),
        _salary(applicant, context),
        _language(applicant, context),
        _age(applicant, context),
        _quota(context),
    ]
    reasons = [reason for reason in conditions if reason is not None]
    statuses = {reason.status for reason in reasons}
    if NOT_MET in statuses:
        verdict = NOT_ELIGIBLE
    elif UNKNOWN in statuses:
        verdict = POSSIBLE
    else:
        verdict = LIKELY
    return Verdict(permit_code=permit.code, verdict=verdict, reasons=reasons, permit=permit)


def evaluate_all(applicant, on=None):
    """Verdicts on every published permit of the applicant's destination, likely first, with their changes.

    A fixed set of queries whatever the number of permits: the permits and their prefetched
    relations, the agreements in force (with sources), and the ESCO occupation if one was given.
    What would change each answer is computed by re-evaluating the same rows: no query more.
    """
    on = on or datetime.date.today()
    isco_code = occupation_code(applicant) or ""
    agreements = agreements_in_force(applicant.nationality, applicant.destination, on)
    recognition = recognition_list(applicant.destination, isco_code)
    known = {"agreements": agreements, "isco_code": isco_code, "recognition": recognition}
    verdicts = []
    for permit in permits_for_evaluation(applicant.destination, applicant.nationality, on):
        verdict = evaluate(applicant, permit, on, **known)
        changes = what_would_change(applicant, permit, on, verdict, **known)
        programmes = programmes_concerning(applicant, verdict, agreements, isco_code)
        verdicts.append(replace(verdict, changes=changes, programmes=programmes))
    return sorted(verdicts, key=lambda verdict: (VERDICT_ORDER[verdict.verdict], verdict.permit_code))


# -- programmes for the corridor ------------------------------------------------------------------


def _groups_overlap(first, second):
    """Whether two lists of ISCO-08 codes of any level share an occupation (an empty list is every one)."""
    return not first or not second or any(a.startswith(b) or b.startswith(a) for a in first for b in second)


def programmes_concerning(applicant, verdict, agreements, isco_code):
    """The labour agreements and programmes in force for the corridor that concern this verdict.

    Read from the agreement data, as the rule that opens permits is (Agreement.LABOUR_TYPES, in force,
    both countries parties): an agreement concerns a permit the applicant may get (likely or possible)
    when its occupations (none listed: every occupation) include the applicant's, when known, its
    sectors (none listed: every sector) the sector of the work, when given, and its occupations meet
    the permit's (an agreement-only permit is concerned by every such agreement), and a seasonal scheme
    concerns seasonal permits only. A holder of a refugee or stateless travel document is not taken to
    benefit from their country's agreements.
    """
    if verdict.verdict == NOT_ELIGIBLE or applicant.travel_document:
        return ()
    permit = verdict.permit
    permit_groups = [group.code for group in permit.occupations.all()]
    concerned = []
    for agreement in agreements:
        groups = [group.code for group in agreement.occupations.all()]
        if isco_code and groups and not any(isco_code.startswith(code) for code in groups):
            continue
        sectors = {sector.code for sector in agreement.sectors.all()}
        if applicant.sector and sectors and applicant.sector not in sectors:
            continue
        if agreement.type == Agreement.Type.SEASONAL_SCHEME and permit.purpose != PermitCategory.Purpose.SEASONAL:
            continue
        if permit.agreement_required or _groups_overlap(groups, permit_groups):
            concerned.append(agreement)
    return tuple(concerned)


def corridor_programmes(verdicts):
    """Every programme the verdicts name, once, with the codes of the verdicts it concerns (best first)."""
    by_key = {}
    for verdict in verdicts:
        for agreement in verdict.programmes:
            by_key.setdefault(agreement.key, (agreement, []))[1].append(verdict.permit_code)
    return [Programme(agreement, tuple(codes)) for agreement, codes in by_key.values()]


def _reason(code, status, message, sources=(), provision="", /, **params):
    return Reason(
        code=code,
        status=status,
        message=interpolate_lazy(message, params, provision) if (params or provision) else message,
        sources=tuple(sources),
        params={key: _plain(value) for key, value in params.items()},
        provision=provision,
    )


def _validity(context):
    permit, on = context.permit, context.on
    sources = context.permit_sources
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


def _travel_document(applicant, context):
    """The nationality condition for a holder of a refugee, stateless or Palestinian travel document.

    Permits are opened to nationalities; the hub holds no rule for these documents, so the answer is
    "unknown" and says so, never a silent yes or no, except where the permit is open only to nationals
    of listed countries and the person has no nationality.
    """
    permit, sources = context.permit, context.permit_sources
    document = TRAVEL_DOCUMENTS[applicant.travel_document]
    opened = list(permit.open_to.all())
    if applicant.travel_document in WITHOUT_NATIONALITY and opened:
        return _reason(
            "nationality",
            NOT_MET,
            _("This permit is open only to nationals of %(countries)s, and your travel document is not a passport."),
            sources,
            countries=Names(opened),
        )
    return _reason(
        "nationality",
        UNKNOWN,
        _(
            "The hub does not know whether this permit is open to holders of %(document)s: "
            "ask the authority that issues it before you apply or pay anyone."
        ),
        sources,
        document=document,
    )


def _nationality(applicant, context):
    """Whether the permit is open to the nationality (the one rule), and the reason in words."""
    if applicant.travel_document:
        return _travel_document(applicant, context)
    permit, nationality, sources = context.permit, applicant.nationality, context.permit_sources
    if _is_open_to(permit, nationality, context.on):
        if permit.agreement_required and context.agreements:
            agreement_sources = {
                source.key for agreement in context.agreements for source in agreement.legal_sources.all()
            }
            return _reason(
                "nationality",
                MET,
                _("An agreement in force between your country and the destination opens this permit: %(agreements)s."),
                sorted(set(sources) | agreement_sources),
                agreements=Names(context.agreements, "title", key="key", joiner="; "),
            )
        return _reason("nationality", MET, _("This permit is open to your nationality."), sources)
    closed = {country.code for country in permit.closed_to.all()}
    opened = list(permit.open_to.all())
    if nationality in closed:
        return _reason("nationality", NOT_MET, _("This permit is closed to your nationality."), sources)
    if opened and nationality not in {country.code for country in opened}:
        return _reason(
            "nationality",
            NOT_MET,
            _("This permit is open only to nationals of %(countries)s."),
            sources,
            countries=Names(opened),
        )
    return _reason(
        "nationality",
        NOT_MET,
        _("This permit needs an agreement in force between your country and the destination; none is known."),
        sources,
    )


def _matching_group(isco_code, groups):
    """The group of `groups` that the ISCO code falls in (2512 in 25), or None."""
    return next((group for group in groups if isco_code and isco_code.startswith(group.code)), None)


def _occupation(context):
    listed = list(context.permit.occupations.all())
    sources, provision = context.provision("occupation")
    if not listed:
        return _reason("occupation", MET, _("This permit is open to every occupation."), sources, provision)
    isco_code = context.isco_code
    if not isco_code:
        return _reason(
            "occupation",
            UNKNOWN,
            _("Your occupation is needed: this permit is open only to %(occupations)s."),
            sources,
            provision,
            occupations=Names(listed, "title"),
        )
    group = _matching_group(isco_code, listed)
    if group is not None:
        return _reason(
            "occupation",
            MET,
            _("Your occupation is one this permit is open to: %(occupation)s."),
            sources,
            provision,
            occupation=Names([group], "title"),
        )
    if any(item.code.startswith(isco_code) for item in listed):
        return _reason(
            "occupation",
            UNKNOWN,
            _("Only some occupations of your group are covered (%(occupations)s): give your exact occupation."),
            sources,
            provision,
            occupations=Names(listed, "title"),
        )
    return _reason(
        "occupation",
        NOT_MET,
        _("This permit is open only to %(occupations)s."),
        sources,
        provision,
        occupations=Names(listed, "title"),
    )


def _qualification(applicant, context):
    permit = context.permit
    sources, provision = context.provision("qualification")
    required = permit.qualification
    if not required:
        return _reason(
            "qualification", UNKNOWN, _("The hub does not know what qualification is needed."), sources, provision
        )
    if required == "none":
        return _reason("qualification", MET, _("No formal qualification is needed."), sources, provision)
    label = QUALIFICATION_LABELS[required]
    if applicant.qualification is None:
        return _reason(
            "qualification",
            UNKNOWN,
            _("Tell us your qualification: this permit needs a %(required)s."),
            sources,
            provision,
            required=label,
        )
    if QUALIFICATION_ORDER[applicant.qualification] >= QUALIFICATION_ORDER[required]:
        return _reason(
            "qualification",
            MET,
            _("Your qualification, %(yours)s, is enough: this permit needs a %(required)s."),
            sources,
            provision,
            yours=QUALIFICATION_LABELS[applicant.qualification],
            required=label,
        )
    return _reason(
        "qualification",
        NOT_MET,
        _("This permit needs a %(required)s (you said: %(yours)s)."),
        sources,
        provision,
        yours=QUALIFICATION_LABELS[applicant.qualification],
        required=label,
    )


def _recognition(applicant, context):
    permit = context.permit
    sources, provision = context.provision("recognition")
    required = permit.recognition_required
    if required is None:
        return _reason(
            "recognition",
            UNKNOWN,
            _("The hub does not know whether recognition of qualifications is needed."),
            sources,
            provision,
        )
    if not required:
        return _reason(
            "recognition", MET, _("No recognition of your qualification is needed first."), sources, provision
        )
    comparable_counts = permit.recognition_accepts_comparable
    if applicant.qualification_recognised:
        return _reason("recognition", MET, _("Your qualification is recognised, as required."), sources, provision)
    if comparable_counts and applicant.qualification_comparable:
        return _reason(
            "recognition",
            MET,
            _("Your qualification is rated comparable to a domestic one, which is enough."),
            sources,
            provision,
        )
    undecided = applicant.qualification_recognised is None or (
        comparable_counts and applicant.qualification_comparable is None
    )
    if undecided:
        message = (
            _("Your qualification must be recognised or rated comparable: tell us whether it is.")
            if comparable_counts
            else _("Your qualification must be recognised: tell us whether it is.")
        )
        return _reason("recognition", UNKNOWN, message, sources, provision)
    message = (
        _("Your qualification must first be recognised or rated comparable.")
        if comparable_counts
        else _("Your qualification must be recognised first.")
    )
    return _reason("recognition", NOT_MET, message, sources, provision)


# Permits to work in an occupation: a regulated one's recognition is their condition. Permits to look
# for work, to train or to have a qualification recognised lead to it, so for them it is a fact to know.
EMPLOYMENT_PURPOSES = (
    PermitCategory.Purpose.WORK,
    PermitCategory.Purpose.HIGHLY_SKILLED,
    PermitCategory.Purpose.SEASONAL,
    PermitCategory.Purpose.INTRA_CORPORATE,
)


class Areas:
    """The regions or communities of recognition rows in a message: "the Flemish Community"."""

    def __init__(self, rows):
        self.codes = sorted({row.area for row in rows})

    def __str__(self):
        return str(_(", ")).join(str(RecognitionArea(code).label) for code in self.codes)

    def plain(self):
        return self.codes


def _regulated(applicant, context):
    """Whether the occupation is a regulated profession where the work would be (see the module's note)."""
    rows = [row for row in context.recognition if RecognitionArea.covers(row.area, applicant.region)]
    answers = {row.regulated for row in rows} - {None}
    if not answers:
        return None
    rows = [row for row in rows if row.regulated is not None]
    sources = tuple(sorted({source.key for row in rows for source in row.legal_sources_prefetched}))
    named = {
        "occupation": Names([rows[0].occupation], "title"),
        "country": Names([context.permit.country], "name"),
    }
    if len(answers) > 1:
        regulated = [row for row in rows if row.regulated]
        return _reason(
            "regulated",
            UNKNOWN,
            _(
                "%(occupation)s is a regulated profession in %(areas)s but not everywhere in %(country)s: "
                "tell us the region where you will work."
            ),
            sources,
            areas=Areas(regulated),
            **named,
        )
    if answers == {False}:
        return _reason(
            "regulated",
            MET,
            _(
                "%(occupation)s is not a regulated profession in %(country)s: you may work in it without "
                "recognition, though a statement that your qualification is comparable can help."
            ),
            sources,
            **named,
        )
    if context.permit.purpose not in EMPLOYMENT_PURPOSES:
        status = MET
        message = _(
            "%(occupation)s is a regulated profession in %(country)s: this permit does not need your "
            "qualification recognised, but working in the profession later will."
        )
    elif applicant.qualification_recognised:
        status = MET
        message = _(
            "%(occupation)s is a regulated profession in %(country)s, and your qualification is recognised, "
            "as working in it requires."
        )
    elif applicant.qualification_recognised is None:
        status = UNKNOWN
        message = _(
            "%(occupation)s is a regulated profession in %(country)s: you may work in it only once your "
            "qualification is recognised there. Tell us whether it is."
        )
    else:
        status = NOT_MET
        message = _(
            "%(occupation)s is a regulated profession in %(country)s: you may work in it only once your "
            "qualification is recognised there."
        )
    return _reason("regulated", status, message, sources, **named)


def _job_offer(applicant, context):
    sources, provision = context.provision("job_offer")
    required = context.permit.job_offer_required
    if required is None:
        return _reason(
            "job_offer", UNKNOWN, _("The hub does not know whether a job offer is needed."), sources, provision
        )
    if not required:
        return _reason("job_offer", MET, _("No job offer is needed."), sources, provision)
    if applicant.job_offer is None:
        return _reason(
            "job_offer", UNKNOWN, _("A job offer is needed: tell us whether you have one."), sources, provision
        )
    if applicant.job_offer:
        return _reason("job_offer", MET, _("You have the job offer this permit needs."), sources, provision)
    return _reason("job_offer", NOT_MET, _("This permit needs a job offer."), sources, provision)


def _purpose(applicant, context):
    """What the work must be: sent by an employer abroad (a transfer), in some sectors (seasonal work).

    Each part the permit sets is judged; the reason given is the first part not met, else the first not
    known, else the parts met. A permit that sets neither is open to any employer and sector.
    """
    permit = context.permit
    sources, provision = context.provision("purpose")
    parts = []
    if permit.employer_abroad_required:
        if applicant.employer_abroad is None:
            parts.append(
                (
                    UNKNOWN,
                    _(
                        "This permit is for employees whom a company abroad sends to its entity here: "
                        "tell us whether you are one."
                    ),
                    {},
                )
            )
        elif applicant.employer_abroad:
            parts.append((MET, _("A company abroad that employs you would send you here, as this permit needs."), {}))
        else:
            parts.append(
                (NOT_MET, _("This permit is only for employees whom a company abroad sends to its entity here."), {})
            )
    sectors = list(permit.sectors.all())
    if sectors:
        names = {"sectors": Names(sectors, "name", key="code", joiner="; ")}
        chosen = next((sector for sector in sectors if sector.code == applicant.sector), None)
        if applicant.sector is None:
            parts.append(
                (UNKNOWN, _("Tell us the sector of the work: this permit is open only to %(sectors)s."), names)
            )
        elif chosen is not None:
            parts.append(
                (
                    MET,
                    _("The work is in %(sector)s, a sector this permit is open to."),
                    {"sector": Names([chosen], "name", key="code")},
                )
            )
        else:
            parts.append((NOT_MET, _("This permit is open only to work in %(sectors)s."), names))
    if not parts:
        return _reason(
            "purpose",
            MET,
            _("This permit is not limited to employees sent from abroad or to some sectors."),
            sources,
            provision,
        )
    rank = {NOT_MET: 0, UNKNOWN: 1, MET: 2}
    status, message, params = min(parts, key=lambda part: rank[part[0]])
    return _reason("purpose", status, message, sources, provision, **params)


# -- salary ---------------------------------------------------------------------------------------


def threshold_is_worker_condition(threshold):
    """True for a minimum of the worker's own pay; False for family income, subsistence, wage floors."""
    return threshold.kind == "salary" and not NOT_WORKER_THRESHOLD.search(threshold.label or "")


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


@dataclass(frozen=True)
class Applicability:
    """Whether a threshold applies to an applicant: True, False or None (a question decides it)."""

    applies: bool | None
    group: object = None  # the ISCO group it applies by
    new_entrant: bool = False  # it applies because the applicant graduated recently
    young: bool = False  # it applies because the applicant is under its age
    questions: tuple = ()  # what would decide it: "occupation", "graduation_year", "age"


def threshold_applies(threshold, applicant, isco_code, on):
    """Whether `threshold` applies to the applicant on `on`: in one of its groups, and from its age."""
    groups = list(threshold.occupations.all())
    window = threshold.new_entrants_within_years
    answers, questions, group, new_entrant, young = [], [], None, False, False
    if groups:
        group = _matching_group(isco_code, groups)
        if group is not None:
            answers.append(True)
        elif not isco_code or any(item.code.startswith(isco_code) for item in groups):
            answers.append(None)
            questions.append("occupation")
        else:
            answers.append(False)
    if window is not None:
        if applicant.graduation_year is None:
            answers.append(None)
            questions.append("graduation_year")
        else:
            new_entrant = 0 <= on.year - applicant.graduation_year <= window
            answers.append(new_entrant)
    if threshold.below_age is not None:
        if applicant.age is None:
            answers.append(None)
            questions.append("age")
        else:
            young = applicant.age < threshold.below_age
            answers.append(young)
    if not answers and threshold.reduced:
        # A reduced figure whose groups are not recorded as data: whether it applies is a question.
        answers.append(None)
        questions.append("reduced")
    if not answers or True in answers:
        in_group = True
    elif None in answers:
        in_group = None
    else:
        in_group = False
    from_age = threshold.applies_from_age
    if from_age is None:
        of_age = True
    elif applicant.age is None:
        of_age = None
        if "age" not in questions:
            questions.append("age")
    else:
        of_age = applicant.age >= from_age
    if not threshold.region:
        in_region = True
    elif applicant.region is None:
        in_region = None
        questions.append("region")
    else:
        in_region = applicant.region == threshold.region
    if False in (in_group, of_age, in_region):
        return Applicability(False)
    # Whom it applies by, named in the reason: the occupation first, then recent graduation, then age.
    by_entry = new_entrant and group is None
    by = {"group": group, "new_entrant": by_entry, "young": young and group is None and not by_entry}
    if None in (in_group, of_age, in_region):
        return Applicability(None, questions=tuple(questions), **by)
    return Applicability(True, **by)


QUESTIONS = {
    "occupation": _("your exact occupation"),
    "graduation_year": _("the year you graduated"),
    "age": _("your age"),
    "reduced": _("whether the reduced figure applies to you"),
    "region": _("the region where you will work"),
}


def _scope(threshold, applicability):
    """Whom a threshold is for, in words: "the minimum for ICT professionals", "the general minimum".

    A regional figure says its region: "the general minimum in the Flemish Region".
    """
    scope = _whom(threshold, applicability)
    if threshold.region:
        return interpolate_lazy(
            _("%(scope)s in the %(region)s"), {"scope": scope, "region": REGIONS[threshold.region]}, ""
        )
    return scope


def _whom(threshold, applicability):
    under_age = interpolate_lazy(_("the minimum for applicants under %(age)s"), {"age": threshold.below_age}, "")
    if applicability.group is not None:
        return interpolate_lazy(_("the minimum for %(group)s"), {"group": Names([applicability.group], "title")}, "")
    if applicability.new_entrant:
        return _("the minimum for recent graduates")
    if applicability.young:
        return under_age
    has_groups = bool(list(threshold.occupations.all()))
    if has_groups and threshold.new_entrants_within_years is not None:
        return _("the reduced minimum for some occupations and recent graduates")
    if has_groups:
        return _("the minimum for some occupations")
    if threshold.new_entrants_within_years is not None:
        return _("the minimum for recent graduates")
    if threshold.below_age is not None:
        return under_age
    if threshold.reduced and threshold.applies_from_age is None:
        return _("the reduced minimum")
    if threshold.applies_from_age is not None:
        return interpolate_lazy(_("the minimum from age %(age)s"), {"age": threshold.applies_from_age}, "")
    return _("the general minimum")


def _has_groups(threshold):
    """Whether a threshold is for some applicants only (occupation groups, new entrants, the young)."""
    return (
        bool(list(threshold.occupations.all()))
        or threshold.new_entrants_within_years is not None
        or threshold.below_age is not None
    )


def _threshold_citation(thresholds):
    keys = tuple(sorted({source.key for threshold in thresholds for source in threshold.legal_sources.all()}))
    articles = []
    for threshold in thresholds:
        article = threshold.article or next((s.article for s in threshold.legal_sources.all() if s.article), "")
        if article and article not in articles:
            articles.append(article)
    return keys, "; ".join(articles)


def _salary(applicant, context):
    permit, on = context.permit, context.on
    every = [threshold for threshold in permit.salary_thresholds.all() if threshold_is_worker_condition(threshold)]
    if not every:
        return _reason("salary", MET, _("No minimum salary is recorded for this permit."))
    current = [threshold for threshold in thresholds_on(permit, on) if threshold_is_worker_condition(threshold)]
    if not current:
        return _reason(
            "salary",
            UNKNOWN,
            _("This permit has a minimum salary, but the hub has no figure valid on %(date)s."),
            _threshold_citation(every)[0],
            date=on,
        )
    regions = {threshold.region for threshold in current}
    if applicant.region and "" not in regions and applicant.region not in regions:
        # Every figure is a region's and none is the applicant's: not "no minimum", a gap in the data.
        return _reason(
            "salary",
            UNKNOWN,
            _("This permit has a minimum salary, but the hub has no figure for the %(region)s valid on %(date)s."),
            _threshold_citation(every)[0],
            region=REGIONS[applicant.region],
            date=on,
        )
    applicability = {
        threshold.pk: threshold_applies(threshold, applicant, context.isco_code, on) for threshold in current
    }
    applying = [threshold for threshold in current if applicability[threshold.pk].applies is True]
    undecided = [threshold for threshold in current if applicability[threshold.pk].applies is None]
    if not applying and not undecided:
        sources, provision = _threshold_citation(current)
        lowest = min(current, key=lambda threshold: annual_amount(threshold) or threshold.amount)
        return _reason(
            "salary",
            MET,
            _("No minimum salary applies to you: %(scope)s, %(amount)s a year, does not apply to your case."),
            sources,
            provision,
            scope=_scope(lowest, Applicability(False)),
            amount=Money(annual_amount(lowest) or lowest.amount, lowest.currency),
        )
    currency = applicant.salary_currency
    comparable = [
        threshold
        for threshold in applying + undecided
        if annual_amount(threshold) is not None and (currency is None or threshold.currency == currency)
    ]
    if len(comparable) < len(applying) + len(undecided):
        other = next(threshold for threshold in applying + undecided if threshold not in comparable)
        sources, provision = _threshold_citation([other])
        return _reason(
            "salary",
            UNKNOWN,
            _("The minimum salary is %(amount)s %(period)s: it cannot be compared with yours."),
            sources,
            provision,
            amount=Money(other.amount, other.currency),
            period=other.get_period_display(),
        )
    # The figure to reach: a reduced figure for a group the applicant is in replaces the general one; among
    # general figures that all apply (they differ by region, which the hub does not ask), the highest.
    targeted = [threshold for threshold in applying if _has_groups(threshold)]
    general = [threshold for threshold in applying if not _has_groups(threshold)]
    if targeted:
        required, regional = min(targeted, key=annual_amount), []
    elif general:
        required = max(general, key=annual_amount)
        regional = [threshold for threshold in general if annual_amount(threshold) < annual_amount(required)]
    else:
        required, regional = None, []
    maybe = [
        threshold for threshold in undecided if required is None or annual_amount(threshold) < annual_amount(required)
    ]

    def said(threshold, status, message, **extra):
        sources, provision = _threshold_citation([threshold])
        return _reason(
            "salary",
            status,
            message,
            sources,
            provision,
            scope=_scope(threshold, applicability[threshold.pk]),
            year=str(on.year),
            amount=Money(annual_amount(threshold), threshold.currency),
            **extra,
        )

    def questions(thresholds):
        asked = []
        for threshold in thresholds:
            for question in applicability[threshold.pk].questions:
                if question not in asked:
                    asked.append(question)
        return str(_(" and ")).join(str(QUESTIONS[question]) for question in asked)

    if applicant.salary is None:
        target = required or min(maybe, key=annual_amount)
        return said(target, UNKNOWN, _("Tell us your salary: %(scope)s in %(year)s is %(amount)s a year."))
    salary = Money(applicant.salary, currency)
    if required is not None and applicant.salary >= annual_amount(required):
        return said(
            required,
            MET,
            _("Your salary, %(salary)s a year, reaches %(scope)s in %(year)s, %(amount)s a year."),
            salary=salary,
        )
    reached = [threshold for threshold in maybe if applicant.salary >= annual_amount(threshold)]
    if required is None and len(reached) == len(maybe):
        # Above every minimum that may apply: whichever applies, it is reached.
        target = max(reached, key=annual_amount)
        return said(
            target,
            MET,
            _("Your salary, %(salary)s a year, reaches %(scope)s in %(year)s, %(amount)s a year."),
            salary=salary,
        )
    if reached:
        target = max(reached, key=annual_amount)
        return said(
            target,
            UNKNOWN,
            _(
                "Your salary, %(salary)s a year, reaches %(scope)s in %(year)s, %(amount)s a year, "
                "if it applies to you: tell us %(questions)s."
            ),
            salary=salary,
            questions=questions([target]),
        )
    if required is not None and regional and applicant.salary >= min(annual_amount(item) for item in regional):
        lowest = min(regional, key=annual_amount)
        return said(
            lowest,
            UNKNOWN,
            _(
                "Your salary, %(salary)s a year, reaches %(scope)s in %(year)s, %(amount)s a year, in some regions "
                "but not in all (up to %(highest)s a year): it depends on where you will work."
            ),
            salary=salary,
            highest=Money(annual_amount(required), required.currency),
        )
    if required is not None and required.exception_possible:
        return said(
            required,
            UNKNOWN,
            _(
                "Your salary, %(salary)s a year, is below %(scope)s in %(year)s, %(amount)s a year, unless one of "
                "the exceptions of the provision applies to you: check it."
            ),
            salary=salary,
        )
    if required is not None:
        return said(
            required,
            NOT_MET,
            _("Your salary, %(salary)s a year, is below %(scope)s in %(year)s, %(amount)s a year."),
            salary=salary,
        )
    target = min(maybe, key=annual_amount)
    return said(
        target,
        UNKNOWN,
        _(
            "Your salary, %(salary)s a year, is below %(scope)s in %(year)s, %(amount)s a year, "
            "if it applies to you: tell us %(questions)s."
        ),
        salary=salary,
        questions=questions([target]),
    )


# -- language, age, quota -------------------------------------------------------------------------


def _language(applicant, context):
    permit = context.permit
    requirements = list(permit.language_requirements.all())
    if not requirements:
        sources, provision = context.provision("language")
        if permit.language_level == "none":
            return _reason("language", MET, _("No language level is needed."), sources, provision)
        if not permit.language_level:
            return _reason(
                "language", UNKNOWN, _("The hub does not know what language level is needed."), sources, provision
            )
        return _reason(
            "language",
            UNKNOWN,
            _("Language level %(level)s is needed; the hub does not know in which language."),
            sources,
            provision,
            level=permit.language_level,
        )
    sources = tuple(sorted({item.legal_source.key for item in requirements if item.legal_source}))
    articles = []
    for item in requirements:
        if item.article and item.article not in articles:
            articles.append(item.article)
    provision = "; ".join(articles)
    if not sources:
        sources, fallback = context.provision("language")
        provision = provision or fallback
    options = Options(requirements)
    levels = applicant.language_levels
    met = next(
        (item for item in requirements if CEFR_ORDER.get(levels.get(item.language), -1) >= CEFR_ORDER[item.level]),
        None,
    )
    if met is not None:
        return _reason(
            "language",
            MET,
            _("Your %(language)s, level %(level)s, is enough: this permit needs %(options)s."),
            sources,
            provision,
            language=LANGUAGES[met.language],
            level=levels[met.language],
            options=options,
        )
    if all(item.language in levels for item in requirements):
        return _reason(
            "language",
            NOT_MET,
            _("This permit needs %(options)s."),
            sources,
            provision,
            options=options,
        )
    return _reason(
        "language",
        UNKNOWN,
        _("Tell us your languages: this permit needs %(options)s."),
        sources,
        provision,
        options=options,
    )


def _age(applicant, context):
    permit = context.permit
    sources, provision = context.provision("age")
    low, high = permit.min_age, permit.max_age
    if low is None and high is None:
        return _reason("age", MET, _("No age limit is recorded."), sources, provision)
    limits = {"low": low if low is not None else "", "high": high if high is not None else ""}
    if applicant.age is None:
        return _reason(
            "age",
            UNKNOWN,
            _("This permit has age limits (%(low)s–%(high)s): tell us your age."),
            sources,
            provision,
            **limits,
        )
    if (low is not None and applicant.age < low) or (high is not None and applicant.age > high):
        return _reason(
            "age",
            NOT_MET,
            _("Your age is outside the limits of this permit (%(low)s–%(high)s)."),
            sources,
            provision,
            **limits,
        )
    return _reason(
        "age", MET, _("Your age is within the limits of this permit (%(low)s–%(high)s)."), sources, provision, **limits
    )


def _quota(context):
    permit, sources = context.permit, context.permit_sources
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


# -- what would change the answer -----------------------------------------------------------------

NONE_MESSAGES = {
    "validity": _("None: this permit does not apply on the date checked."),
    "nationality": _("None: this permit is closed to your nationality."),
    "occupation": _("None for your occupation: this permit is open only to other occupations."),
    "age": _("None: your age is outside the limits of this permit."),
    "purpose": _("None: this permit is for other work (an employee sent from abroad, or other sectors)."),
}


def _salary_fix(applicant, permit, on, evaluate_one):
    """The lowest salary that the engine finds meets the permit's salary condition, or None."""
    currency = applicant.salary_currency
    amounts = sorted(
        {
            (annual_amount(threshold), threshold.currency)
            for threshold in thresholds_on(permit, on)
            if threshold_is_worker_condition(threshold)
            and annual_amount(threshold) is not None
            and (currency is None or threshold.currency == currency)
        }
    )
    for amount, threshold_currency in amounts:
        candidate = replace(applicant, salary=amount, salary_currency=threshold_currency)
        if _status(evaluate_one(candidate), "salary") == MET:
            return candidate
    return None


def _language_fix(applicant, permit):
    """The applicant with the requirement reached that is the smallest step from their levels."""
    requirements = list(permit.language_requirements.all())
    if not requirements:
        return None
    levels = applicant.language_levels

    def step(item):
        return CEFR_ORDER[item.level] - max(CEFR_ORDER.get(levels.get(item.language), 0), 0)

    best = min(requirements, key=lambda item: (step(item), item.language))
    return replace(applicant, languages={**levels, best.language: best.level})


def _status(verdict, code):
    return next(reason.status for reason in verdict.reasons if reason.code == code)


def _fixes(applicant, permit, on, verdict, evaluate_one):
    """{condition: function(applicant) → changed applicant or None} for each open condition a person can change."""
    open_codes = {reason.code for reason in verdict.reasons if reason.status != MET}
    fixes = {}
    if "qualification" in open_codes and permit.qualification in ("vocational", "tertiary"):
        fixes["qualification"] = lambda person: replace(person, qualification=permit.qualification)
    if ("recognition" in open_codes and permit.recognition_required) or "regulated" in open_codes:
        fixes["recognition"] = lambda person: replace(person, qualification_recognised=True)
    if "job_offer" in open_codes and permit.job_offer_required:
        fixes["job_offer"] = lambda person: replace(person, job_offer=True)
    if "salary" in open_codes:
        fixes["salary"] = lambda person: _salary_fix(person, permit, on, evaluate_one)
    if "language" in open_codes and permit.language_requirements.all():
        fixes["language"] = lambda person: _language_fix(person, permit)
    return fixes


def _change(code, before, after):
    if code == "qualification":
        return Change(
            code,
            interpolate_lazy(
                _("a %(qualification)s"), {"qualification": QUALIFICATION_LABELS[after.qualification]}, ""
            ),
            {"qualification": after.qualification},
        )
    if code == "recognition":
        return Change(code, _("recognition of your qualification"), {"qualification_recognised": True})
    if code == "job_offer":
        return Change(code, _("a job offer"), {"job_offer": True})
    if code == "salary":
        figure = Money(after.salary, after.salary_currency)
        return Change(
            code, interpolate_lazy(_("a salary of at least %(amount)s a year"), {"amount": figure}, ""), figure.plain()
        )
    if code == "language":
        changed = {
            language: level for language, level in after.languages if before.language_levels.get(language) != level
        }
        language, level = next(iter(changed.items()))
        return Change(
            code,
            interpolate_lazy(
                _("%(language)s at level %(level)s"), {"language": LANGUAGES[language], "level": level}, ""
            ),
            {"language": language, "level": level},
        )
    raise ValueError(code)


def what_would_change(applicant, permit, on, verdict=None, *, agreements=None, isco_code=None, recognition=None):
    """The smallest change of the applicant's answers that makes `permit` "likely", found by the engine.

    Conditions the applicant cannot change (validity, nationality, occupation, age) that are not met
    mean none would; otherwise the engine re-evaluates the permit with each set of changes (one per
    open condition: a qualification, recognition, a job offer, the lowest salary that it finds meets
    the condition, the nearest language level), smallest sets first. What no change settles (a
    figure or rule the hub does not know, a quota) is returned in `none`. A likely permit needs nothing.
    """
    on = on or datetime.date.today()

    def evaluate_one(person):
        return evaluate(person, permit, on, agreements=agreements or [], isco_code=isco_code, recognition=recognition)

    verdict = verdict or evaluate_one(applicant)
    if verdict.verdict == LIKELY:
        return Changes()
    fixed = [reason for reason in verdict.reasons if reason.code in FIXED_CONDITIONS and reason.status == NOT_MET]
    if fixed:
        return Changes(none=tuple(Change(reason.code, NONE_MESSAGES[reason.code]) for reason in fixed))
    fixes = _fixes(applicant, permit, on, verdict, evaluate_one)
    # Smallest sets first: a single change that works is found before any pair. When none makes the
    # permit likely (the hub lacks a fact), the smallest that lifts every "not met" is still worth saying.
    targets = (LIKELY, POSSIBLE) if verdict.verdict == NOT_ELIGIBLE else (LIKELY,)
    for target in targets:
        for size in range(1, len(fixes) + 1):
            for codes in itertools.combinations(fixes, size):
                steps = _apply(applicant, fixes, codes)
                if steps is None:
                    continue
                outcome = evaluate_one(steps[-1][2])
                if VERDICT_ORDER[outcome.verdict] <= VERDICT_ORDER[target]:
                    return Changes(
                        changes=tuple(_change(code, before, after) for code, before, after in steps),
                        none=() if outcome.verdict == LIKELY else _still_open(outcome),
                        makes=outcome.verdict,
                    )
    # No set works: what stays open with every change made is what no change settles.
    person = applicant
    for code in fixes:
        person = fixes[code](person) or person
    return Changes(none=_still_open(evaluate_one(person)))


def _still_open(verdict):
    return tuple(
        Change(
            reason.code,
            interpolate_lazy(_("Still open whatever you change: %(reason)s"), {"reason": reason.message}, ""),
        )
        for reason in verdict.reasons
        if reason.status != MET
    )


def _apply(applicant, fixes, codes):
    """[(code, applicant before, applicant after)] for the changes `codes`, or None when one cannot be made."""
    person, steps = applicant, []
    for code in codes:
        changed = fixes[code](person)
        if changed is None:
            return None
        steps.append((code, person, changed))
        person = changed
    return steps


__all__ = [
    "CONDITIONS",
    "LIKELY",
    "MET",
    "NOT_ELIGIBLE",
    "NOT_MET",
    "POSSIBLE",
    "TRAVEL_DOCUMENTS",
    "UNKNOWN",
    "WITHOUT_NATIONALITY",
    "Applicant",
    "Change",
    "Changes",
    "Programme",
    "Reason",
    "Verdict",
    "agreements_in_force",
    "corridor_programmes",
    "evaluate",
    "evaluate_all",
    "occupation_code",
    "permits_for_evaluation",
    "summary",
    "what_would_change",
]
