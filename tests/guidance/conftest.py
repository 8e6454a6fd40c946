import datetime

import pytest
from django.utils import translation

from core.fields import PublicationStatus
from countries.models import Corridor
from permits.models import SalaryThreshold, VisaRequirement
from tests.factories import (
    AgreementFactory,
    ContactPointFactory,
    FeeFactory,
    LegalSourceFactory,
    PermitCategoryFactory,
    RecruitmentAgencyFactory,
    RecruitmentRegimeFactory,
    RequiredDocumentFactory,
)

TODAY = datetime.date.today()


@pytest.fixture
def corridor_data(db):
    """A small Morocco → Germany corridor: published permits, an agreement, recruiter rules, a visa rule."""
    # `name=` fills the field of the active language (django-modeltranslation): make it English.
    with translation.override("en"):
        return _corridor_data()


def _corridor_data():
    source = LegalSourceFactory(
        country_id="DE",
        title="Aufenthaltsgesetz",
        article="§ 18a",
        url="https://example.org/aufenthg",
        last_verified=TODAY,
    )
    permit = PermitCategoryFactory(
        code="de-skilled",
        name="Skilled worker",
        name_de="Fachkraft",
        description="For people with recognised vocational training.",
        publication_status=PublicationStatus.PUBLISHED,
        last_verified=TODAY,
        job_offer_required=True,
        where_to_apply=["consulate"],
        processing_days_min=30,
        processing_days_max=60,
        legal_sources=[source],
    )
    RequiredDocumentFactory(permit=permit, name="Valid passport", position=1)
    RequiredDocumentFactory(
        permit=permit, name="Recognition notice", position=2, translation_needed=True, legalisation="apostille"
    )
    FeeFactory(permit=permit, name="National visa fee", amount="75.00", currency="EUR")
    SalaryThreshold.objects.create(
        permit=permit, label="general", amount="43470.00", currency="EUR", period="year", valid_from=TODAY
    )
    draft = PermitCategoryFactory(code="de-draft", name="Secret draft permit")
    closed = PermitCategoryFactory(
        code="de-closed", name="Closed to Moroccans", publication_status=PublicationStatus.PUBLISHED
    )
    closed.closed_to.set(["MA"])
    needs_agreement = PermitCategoryFactory(
        code="de-needs-agreement",
        name="Seasonal under an agreement",
        agreement_required=True,
        publication_status=PublicationStatus.PUBLISHED,
    )
    agreement = AgreementFactory(
        key="de-ma-social",
        title="Germany–Morocco social security",
        type="social_security",
        publication_status=PublicationStatus.PUBLISHED,
        in_force_on=datetime.date(1986, 8, 1),
        pension_portability=True,
        last_verified=TODAY,
    )
    agreement.legal_sources.set([source])
    AgreementFactory(key="de-ma-draft", title="Draft agreement", publication_status=PublicationStatus.DRAFT)
    anapec = ContactPointFactory(
        key="ma-anapec", name="ANAPEC", kind="public_employment_service", url="https://anapec.ma"
    )
    regime = RecruitmentRegimeFactory(
        country_id="MA",
        worker_fee_rule="zero_fee",
        licensing_authority=anapec,
        publication_status=PublicationStatus.PUBLISHED,
        last_verified=TODAY,
    )
    Corridor.objects.create(origin_id="MA", destination_id="DE")
    VisaRequirement.objects.create(
        nationality_id="MA", destination_id="DE", requirement="visa_required", source="Passport Index", as_of=TODAY
    )
    return {
        "permit": permit,
        "draft": draft,
        "closed": closed,
        "needs_agreement": needs_agreement,
        "agreement": agreement,
        "regime": regime,
        "source": source,
    }


@pytest.fixture
def agencies(db):
    published = PublicationStatus.PUBLISHED
    RecruitmentRegimeFactory(country_id="MA", publication_status=published, last_verified=TODAY)
    return {
        "valid": RecruitmentAgencyFactory(licence_number="MA-100", publication_status=published, last_confirmed=TODAY),
        "suspended": RecruitmentAgencyFactory(
            licence_number="MA-200", status="suspended", publication_status=published
        ),
        "revoked": RecruitmentAgencyFactory(licence_number="MA-300", status="revoked", publication_status=published),
        "lapsed": RecruitmentAgencyFactory(
            licence_number="MA-400", valid_until=TODAY - datetime.timedelta(days=1), publication_status=published
        ),
        "draft": RecruitmentAgencyFactory(licence_number="MA-500"),
    }
