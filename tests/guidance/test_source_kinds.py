"""Source quality is shown: the kind of each legal source beside it, and on a country page the share
of its facts resting on official sources."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.fields import PublicationStatus
from countries.models import LegalSource
from permits.models import SalaryThreshold
from tests.factories import AgreementFactory, LegalSourceFactory, PermitCategoryFactory, RecruitmentRegimeFactory

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
Kind = LegalSource.Kind


def page(client, name, *args, language="en"):
    with translation.override(language):
        path = reverse(name, args=args)
    return html.unescape(client.get(path).content.decode())


def source_items(text):
    """The items of the page's list of legal sources, without their markup."""
    [listing] = re.findall(r'<div class="sources">.*?</div>', text, re.S)
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", listing, re.S)]


@pytest.mark.parametrize(
    ("language", "official", "secondary"),
    [
        ("fr", "source officielle : texte juridique", "source secondaire : cabinet d'avocats"),
        ("ar", "مصدر رسمي: نص قانوني", "مصدر ثانوي: مكتب محاماة"),
        ("de", "amtliche Quelle: Rechtstext", "Sekundärquelle: Anwaltskanzlei"),
    ],
)
def test_each_source_of_a_permit_says_whether_it_is_official(client, language, official, secondary):
    sources = [
        LegalSourceFactory(country_id="DE", title="Aufenthaltsgesetz", kind=Kind.LEGAL_TEXT),
        LegalSourceFactory(country_id="DE", title="Kanzlei-Blog", kind=Kind.LAW_FIRM),
        LegalSourceFactory(country_id="DE", title="Unsortiert"),
    ]
    PermitCategoryFactory(code="de-kinds", publication_status=PUBLISHED, legal_sources=sources)
    items = source_items(page(client, "permits:permit", "de-kinds", language=language))
    law, blog, unsorted = (next(item for item in items if item.startswith(title)) for title in ("Auf", "Kanz", "Uns"))
    assert official in law and secondary not in law
    assert secondary in blog and official not in blog
    assert official not in unsorted and secondary not in unsorted  # not yet classified: no label


def test_the_country_page_shows_the_share_of_its_facts_on_official_sources(client):
    law, gazette, ministry = (LegalSourceFactory(country_id="DE", kind=kind) for kind in LegalSource.OFFICIAL_KINDS)
    press, firm, association, copy, ilo = (
        LegalSourceFactory(country_id="DE", kind=kind)
        for kind in (Kind.PRESS, Kind.LAW_FIRM, Kind.ASSOCIATION, Kind.COPY, Kind.INTERNATIONAL)
    )
    # Facts of Germany citing a source: two permits, two thresholds, one agreement, the recruiter rules.
    official_permit = PermitCategoryFactory(publication_status=PUBLISHED, legal_sources=[law, press])  # counted once
    PermitCategoryFactory(publication_status=PUBLISHED, legal_sources=[press, ilo])  # an ILO page is not the state's
    for cited in ([firm, gazette], [association]):
        threshold = SalaryThreshold.objects.create(
            permit=official_permit, amount="1000.00", currency="EUR", period="year", label=str(len(cited))
        )
        threshold.legal_sources.set(cited)
    AgreementFactory(parties=["DE", "MA"], publication_status=PUBLISHED).legal_sources.set([ministry])
    RecruitmentRegimeFactory(country_id="DE", publication_status=PUBLISHED).legal_sources.set([copy])
    # Not facts of Germany's page: a draft permit, an agreement Germany is no party to, one citing nothing.
    PermitCategoryFactory(legal_sources=[law])
    AgreementFactory(parties=["FR", "MA"], publication_status=PUBLISHED).legal_sources.set([law])
    AgreementFactory(parties=["DE", "MA"], publication_status=PUBLISHED)

    text = page(client, "countries:country", "DE")
    assert "3 of 6 facts (50 %)" in text
    assert "salaire" in page(client, "countries:country", "DE", language="fr")  # the sentence is translated


def test_a_country_without_sourced_facts_shows_no_share(client):
    assert "official source (" not in page(client, "countries:country", "DE")


def test_the_api_gives_the_kind_and_identifier_of_a_source(client):
    LegalSourceFactory(key="de-bgbl", kind=Kind.GAZETTE, identifier="BGBl. 2023 I Nr. 217")
    body = client.get("/api/v1/legal-sources/de-bgbl/").json()
    assert (body["kind"], body["identifier"]) == ("gazette", "BGBl. 2023 I Nr. 217")
