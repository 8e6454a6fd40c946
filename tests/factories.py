import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.fields import PublicationStatus
from countries.models import Agreement, ContactPoint, CountryMembership, LegalSource
from countries.roles import FOCAL_POINTS, HUB_EDITORS, roles_sync
from permits.models import Fee, PermitCategory, RequiredDocument
from recruiters.models import RecruitmentAgency, RecruitmentRegime


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True

    @classmethod
    def _create(cls, model_class, *args, role=None, countries=(), **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if role:
            roles_sync()
            user.groups.add(Group.objects.get(name={"hub_editor": HUB_EDITORS, "focal_point": FOCAL_POINTS}[role]))
        for code in countries:
            CountryMembership.objects.create(user=user, country_id=code)
        return user


class LegalSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalSource

    key = factory.Sequence(lambda n: f"source-{n}")
    country_id = "MA"
    title = factory.Sequence(lambda n: f"Law {n}")
    article = "Art. 1"
    url = "https://example.org/law"
    last_verified = datetime.date(2026, 11, 25)


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    key = factory.Sequence(lambda n: f"contact-{n}")
    country_id = "MA"
    name = factory.Sequence(lambda n: f"Office {n}")
    kind = ContactPoint.Kind.MINISTRY


class PermitCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermitCategory
        skip_postgeneration_save = True

    country_id = "DE"
    code = factory.Sequence(lambda n: f"permit-{n}")
    name = factory.Sequence(lambda n: f"Permit {n}")
    purpose = PermitCategory.Purpose.WORK
    publication_status = PublicationStatus.DRAFT

    @factory.post_generation
    def legal_sources(permit, create, extracted, **kwargs):
        if create and extracted:
            permit.legal_sources.set(extracted)


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    permit = factory.SubFactory(PermitCategoryFactory)
    name = "Passport"


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    permit = factory.SubFactory(PermitCategoryFactory)
    name = "Visa fee"
    amount = "75.00"
    currency = "EUR"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"agreement-{n}")
    type = Agreement.Type.BLA
    title = factory.Sequence(lambda n: f"Agreement {n}")
    status = Agreement.Status.IN_FORCE

    @factory.post_generation
    def parties(agreement, create, extracted, **kwargs):
        if create:
            agreement.parties.set(extracted or ["MA", "DE"])


class RecruitmentRegimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentRegime

    country_id = "MA"


class RecruitmentAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruitmentAgency

    country_id = "MA"
    legal_name = factory.Sequence(lambda n: f"Example agency {n}")
    licence_number = factory.Sequence(lambda n: f"EXAMPLE-{n:04d}")
    is_example = True


def permit_form_data(country, **extra):
    """A complete, valid POST of the admin's permit form (no inline rows); `extra` overrides fields."""
    data = {
        "country": country,
        "code": f"new-{country.lower()}",
        "name_en": "New permit",
        "purpose": "work",
        "publication_status": "draft",
        "skill_levels": ["3", "4"],
        "where_to_apply": ["consulate"],
    }
    for prefix in ("salary_thresholds", "language_requirements", "documents", "fees"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(extra)
    return data
