"""Reads of recruitment regimes and agencies: the API's lists, the licence check and the pages' rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from countries.models import Country, Sector
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

    @property
    def found(self):
        return self.agency is not None

    @property
    def valid_today(self):
        return self.agency is not None and self.agency.licence_valid_on(self.checked_on)

    @property
    def outcome(self):
        """valid, suspended, revoked, expired, not_yet_valid or not_found: what a worker is told."""
        agency, day = self.agency, self.checked_on
        if agency is None:
            return "not_found"
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
        if self.agency is None:
            return _("Licence %(number)s was not found in the register of %(country)s.") % names
        if self.valid_today:
            return _("Licence %(number)s of %(country)s is valid today.") % names
        return _("Licence %(number)s of %(country)s is not valid today (%(status)s).") % {
            **names,
            "status": self.agency.get_status_display(),
        }


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
    return LicenceCheck(
        country=country, licence_number=licence_number_normalise(licence_number), checked_on=today, agency=agency
    )


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


def agency_page_list():
    """Published agencies with what the licence check page shows of one."""
    return (
        RecruitmentAgency.objects.published()
        .select_related("country")
        .prefetch_related(
            Prefetch("enforcement_actions", queryset=EnforcementAction.objects.order_by("-date")), SOURCES
        )
    )
