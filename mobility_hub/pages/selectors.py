"""Reads of the public pages: only published data, with the related rows each page shows."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Prefetch, Q, Subquery
from django.db.models.functions import Cast

from countries.models import Agreement, ContactPoint, Corridor, Country, LegalSource
from mobility_hub.models import ObjectChange
from permits.models import IscoGroup, PermitCategory, SalaryThreshold, VisaRequirement
from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime

SOURCES = Prefetch("legal_sources", queryset=LegalSource.objects.order_by("title", "article"))


def agreement_parties():
    """Countries that are a party to a published agreement, by name: the agreement list's filter."""
    return Country.objects.filter(agreements__publication_status="published").distinct().order_by("name")


def destinations():
    """Countries with published permits: the ways in 'by destination'."""
    return Country.objects.filter(permits__publication_status="published").distinct().order_by("name")


def origins():
    """Countries that are the origin of a corridor: the ways in 'by nationality'."""
    return Country.objects.filter(pk__in=Corridor.objects.values("origin")).order_by("name")


def permits_published():
    return PermitCategory.objects.published().select_related("country").order_by("country__name", "name")


def permit_for_page(code):
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


def permits_open_to(*, destination, nationality, on):
    """Published permits of `destination` that nationals of `nationality` may apply for on `on`.

    A permit is open unless the nationality is excluded, or the permit lists the nationalities it is
    open to and this one is not among them, or it needs an agreement in force between the two countries.
    """
    permits = permits_published().filter(country=destination).exclude(closed_to=nationality)
    permits = permits.filter(Q(open_to__isnull=True) | Q(open_to=nationality)).distinct()
    has_agreement = Agreement.objects.published().between(destination, nationality).in_force(on).exists()
    if not has_agreement:
        permits = permits.exclude(agreement_required=True)
    return permits


def agreements_published():
    return Agreement.objects.published().prefetch_related("parties").order_by("-in_force_on", "title")


def agreement_for_page(key):
    return (
        Agreement.objects.published()
        .prefetch_related("parties", "sectors", "occupations", "intermediaries__country", SOURCES)
        .get(key=key)
    )


def regime_of(country):
    """The published recruitment regime of a country, or None."""
    return (
        RecruitmentRegime.objects.published()
        .select_related("licensing_authority")
        .prefetch_related(SOURCES)
        .filter(country=country)
        .first()
    )


def contacts_of(country):
    return ContactPoint.objects.filter(country=country).order_by("kind", "name")


def corridor_agreements(*, origin, destination):
    """Published agreements between the two countries, with their intermediaries and sources."""
    return (
        Agreement.objects.published()
        .between(origin, destination)
        .prefetch_related("parties", "intermediaries__country", SOURCES)
        .order_by("-in_force_on", "title")
    )


def visa_requirement(*, nationality, destination):
    return VisaRequirement.objects.filter(nationality=nationality, destination=destination).first()


def agency_by_licence(*, country, licence_number):
    """The published agency of `country` with that licence number (case and spaces ignored), or None."""
    number = " ".join(licence_number.split())
    return (
        RecruitmentAgency.objects.published()
        .select_related("country")
        .prefetch_related(
            Prefetch("enforcement_actions", queryset=EnforcementAction.objects.order_by("-date")), SOURCES
        )
        .filter(country=country, licence_number__iexact=number)
        .first()
    )


def occupations_matching(text, limit=20):
    """ISCO-08 unit groups whose code, title or ESCO occupation titles match `text`."""
    text = text.strip()
    if not text:
        return IscoGroup.objects.none()
    condition = Q(title__icontains=text) | Q(esco_occupations__title__icontains=text)
    if text.isdigit():
        condition |= Q(code=text)
    return IscoGroup.objects.filter(condition, level=IscoGroup.Level.UNIT).distinct().order_by("code")[:limit]


PUBLISHED_MODELS = (PermitCategory, Agreement, RecruitmentRegime, RecruitmentAgency)


def published_changes():
    """Changes to rows that are published now; changes to drafts never show."""
    condition = Q()
    for model in PUBLISHED_MODELS:
        published_ids = model.objects.published().annotate(text_id=Cast("pk", CharField())).values("text_id")
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=Subquery(published_ids))
    return ObjectChange.objects.filter(condition).select_related("content_type").order_by("-time", "-id")


def permits_for_occupation(permits, group):
    """Permits open to any occupation (none listed) or to `group` or one of the groups above it."""
    return permits.filter(Q(occupations__isnull=True) | Q(occupations__code__in=group.ancestor_codes())).distinct()


def licence_outcome(agency, day):
    """valid, suspended, revoked, expired, not_yet_valid or not_found: what a worker is told on `day`."""
    if agency is None:
        return "not_found"
    if agency.licence_valid_on(day):
        return "valid"
    if agency.status != RecruitmentAgency.Status.ACTIVE:
        return agency.status
    if agency.valid_from and day < agency.valid_from:
        return "not_yet_valid"
    return "expired"


def describe_changes(changes):
    """Give each change its type name, the names of the fields it changed and a link to its page.

    One query per kind of row on the page, whatever the number of changes.
    """
    from django.urls import reverse

    by_model = {}
    for change in changes:
        by_model.setdefault(change.content_type.model_class(), set()).add(change.object_id)
    links = {}
    for model, ids in by_model.items():
        if model is PermitCategory:
            rows = model.objects.filter(pk__in=ids).values_list("pk", "code")
            links.update({(model, str(pk)): reverse("pages:permit", args=[code]) for pk, code in rows})
        elif model is Agreement:
            rows = model.objects.filter(pk__in=ids).values_list("pk", "key")
            links.update({(model, str(pk)): reverse("pages:agreement", args=[key]) for pk, key in rows})
        elif model is RecruitmentRegime:
            rows = model.objects.filter(pk__in=ids).values_list("pk", "country_id")
            links.update({(model, str(pk)): reverse("pages:country", args=[code]) for pk, code in rows})
    for change in changes:
        model = change.content_type.model_class()
        change.type_name = model._meta.verbose_name
        change.link = links.get((model, change.object_id))
        change.fields = []
        if change.action == ObjectChange.Action.UPDATE and isinstance(change.changes, dict):
            names = {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
            change.fields = [names[key] for key in change.changes if key in names]
    return changes


def sources_by_key(keys):
    """{key: LegalSource} for the keys the eligibility engine cites (one query)."""
    return {source.key: source for source in LegalSource.objects.filter(key__in=keys)}
