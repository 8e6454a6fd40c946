"""Reads behind the public API: published rows only, each list in a fixed number of queries."""

from django.db.models import Prefetch

from countries.models import Agreement, ContactPoint, Corridor, Country, LegalSource, Sector
from permits.models import IscoGroup

CITATION_FIELDS = ("key", "title", "title_en", "title_fr", "title_ar", "title_de", "article", "url", "last_verified")


def legal_source_citations():
    return LegalSource.objects.only(*CITATION_FIELDS)


def country_list():
    return Country.objects.all()


def corridor_list():
    return Corridor.objects.all()


def legal_source_list():
    return LegalSource.objects.all()


def agreement_public_list():
    return Agreement.objects.published().prefetch_related(
        Prefetch("parties", queryset=Country.objects.only("code").order_by("code"), to_attr="parties_prefetched"),
        Prefetch("sectors", queryset=Sector.objects.only("code"), to_attr="sectors_prefetched"),
        Prefetch("occupations", queryset=IscoGroup.objects.only("code"), to_attr="occupations_prefetched"),
        Prefetch("intermediaries", queryset=ContactPoint.objects.all(), to_attr="intermediaries_prefetched"),
        Prefetch("legal_sources", queryset=legal_source_citations(), to_attr="legal_sources_prefetched"),
    )
