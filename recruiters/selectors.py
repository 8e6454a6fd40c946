"""Reads of recruitment regimes and agencies: the API's lists, the licence check and the pages' rows."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from countries.models import Country, LegalSource, Sector
from countries.selectors import SOURCES, legal_source_citation_list, source_citations
from recruiters.models import (
    CertificationLabel,
    EnforcementAction,
    RecruitmentAgency,
    RecruitmentRegime,
    licence_number_normalise,
)


def recruitment_regime_public_list():
    return (
        RecruitmentRegime.objects.published()
        .select_related("licensing_authority")
        .prefetch_related(
            Prefetch("legal_sources", queryset=legal_source_citation_list(), to_attr="legal_sources_prefetched")
        )
    )


def agency_public_list():
    return RecruitmentAgency.objects.published().prefetch_related(
        Prefetch(
            "destinations", queryset=Country.objects.only("code").order_by("code"), to_attr="destinations_prefetched"
        ),
        Prefetch("sectors", queryset=Sector.objects.only("code"), to_attr="sectors_prefetched"),
        Prefetch("labels", queryset=CertificationLabel.objects.only("code"), to_attr="labels_prefetched"),
        Prefetch("enforcement_actions", to_attr="enforcement_actions_prefetched"),
    )


@dataclass(frozen=True)
class LicenceCheck:
    """The answer to "is licence X of country Y valid on this day?", for the page and the API alike."""

    country: Country
    licence_number: str
    checked_on: datetime.date
    agency: RecruitmentAgency | None
    # The official list of licensed agencies the hub's entries of `country` come from (register_get), or None.
    register: LegalSource | None = None
    # The published recruitment regime of `country` (regime_get): its licensing authority is whom a worker asks.
    regime: RecruitmentRegime | None = None

    @property
    def found(self):
        return self.agency is not None

    @property
    def valid_today(self):
        return self.agency is not None and self.agency.licence_valid_on(self.checked_on)

    @property
    def outcome(self):
        """valid, suspended, revoked, expired, not_yet_valid, not_found or no_register: what a worker is told.

        not_found only when the hub holds the country's official list; without one an absent licence
        says nothing (no_register).
        """
        agency, day = self.agency, self.checked_on
        if agency is None:
            return "not_found" if self.register else "no_register"
        if agency.licence_valid_on(day):
            return "valid"
        if agency.status != RecruitmentAgency.Status.ACTIVE:
            return agency.status
        if agency.valid_from and day < agency.valid_from:
            return "not_yet_valid"
        return "expired"

    @property
    def message(self):
        names = {"number": self.licence_number, "country": self.country.name}
        if self.agency is None and self.register is None:
            return " ".join(self.no_register_sentences(names))
        if self.agency is None:
            return _(
                "Licence %(number)s was not found in the official list of %(country)s (%(list)s, read on %(date)s)."
            ) % {**names, "list": self.register.title, "date": date_format(self.register.last_verified)}
        if self.valid_today:
            return _("Licence %(number)s of %(country)s is valid today.") % names
        return _("Licence %(number)s of %(country)s is not valid today (%(status)s).") % {
            **names,
            "status": self.agency.get_status_display(),
        }

    def no_register_sentences(self, names):
        """Without the country's official list: the hub cannot answer, where the list is, whom to ask."""
        yield (
            _(
                "The hub holds no official list of licensed agencies for %(country)s: "
                "it cannot say whether licence %(number)s is valid."
            )
            % names
        )
        if self.regime and self.regime.public_list_url:
            yield _("The authority publishes a list: %(url)s.") % {"url": self.regime.public_list_url}
        authority, contact = self.authority, self.authority_contact
        if authority and contact:
            yield _("Ask %(authority)s: %(contact)s.") % {"authority": authority.name, "contact": contact}
        elif authority:
            yield _("Ask %(authority)s.") % {"authority": authority.name}

    @property
    def authority(self):
        return self.regime.licensing_authority if self.regime else None

    @property
    def authority_contact(self):
        """The licensing authority's website, else its email or phone: where the message sends a worker."""
        authority = self.authority
        return authority and (authority.url or authority.email or authority.phone)


LICENCE_CHECK_FIELDS = (
    "legal_name",
    "licence_number",
    "status",
    "valid_from",
    "valid_until",
    "last_confirmed",
    "is_example",
    "country_id",
)


def licence_check_get(*, country: Country, licence_number: str, today: datetime.date, agencies=None) -> LicenceCheck:
    """Look a licence up in the published register of `country`, as of `today` (however it was typed).

    `agencies` narrows or enriches the published agencies searched (the page prefetches what it shows).
    """
    if agencies is None:
        agencies = RecruitmentAgency.objects.published().only(*LICENCE_CHECK_FIELDS)
    agency = agencies.by_licence(country, licence_number).first()
    regime = regime_get(country)
    return LicenceCheck(
        country=country,
        licence_number=licence_number_normalise(licence_number),
        checked_on=today,
        agency=agency,
        register=register_get(country, regime),
        regime=regime,
    )


def register_get(country, regime):
    """The official list of licensed agencies the hub's entries of `country` come from, or None.

    The hub holds a country's register only when the authority publishes a list (the published
    `regime`'s public_list_url) and the country's published agencies cite that list as their source.
    Agencies known otherwise (a press report of a suspension) say nothing of the licences not among them.
    """
    if regime is None or not regime.public_list_url:
        return None
    cited = RecruitmentAgency.objects.published().filter(country=country).values("legal_sources")
    return LegalSource.objects.filter(url=regime.public_list_url, pk__in=cited).order_by("-last_verified", "pk").first()


def regime_source_citations(country):
    """The legal sources cited by a country's published recruitment regime (source_citations)."""
    return source_citations(
        RecruitmentRegime.legal_sources, RecruitmentRegime.objects.published().filter(country=country)
    )


def regime_get(country):
    """The published recruitment regime of a country, or None."""
    return (
        RecruitmentRegime.objects.published()
        .select_related("licensing_authority")
        .prefetch_related(SOURCES)
        .filter(country=country)
        .first()
    )


def regime_page_get(country):
    """regime_get, with the certification labels the pages show with its rules (`labels`, label_list).
    The licence check asks regime_get: it shows no labels, and pays no query for them."""
    regime = regime_get(country)
    if regime is not None:
        regime.labels = label_list(country)
    return regime


def label_list(country):
    """The certification labels an agency recruiting in or for `country` may hold: the country's own
    and the international ones, with their sources (two queries)."""
    code = getattr(country, "pk", country)
    return list(
        CertificationLabel.objects.filter(Q(country=code) | Q(country__isnull=True))
        .prefetch_related(SOURCES)
        .order_by(F("country_id").asc(nulls_last=True), "name")
    )


def agency_page_list():
    """Published agencies with what the licence check page shows of one."""
    return (
        RecruitmentAgency.objects.published()
        .select_related("country")
        .prefetch_related(
            Prefetch("enforcement_actions", queryset=EnforcementAction.objects.order_by("-date")), SOURCES
        )
    )
