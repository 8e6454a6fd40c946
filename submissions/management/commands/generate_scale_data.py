"""Synthetic data at scale, for benchmarks only: every country, thousands of permits, tens of thousands of agencies.

Every row is marked as synthetic (codes and keys start with "scale-", agencies are examples), so it
can never pass for real data. Bulk inserts, no change log (benchmarks measure reads). Deterministic:
the same seed gives the same rows. Refuses to run twice on the same database.
"""

import datetime
import random
import time
from decimal import Decimal

from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection, transaction
from django.utils import translation

from core.fields import PublicationStatus
from countries.models import Agreement, ContactPoint, Country, LegalSource, Sector
from permits.models import Fee, IscoGroup, PermitCategory, RequiredDocument, SalaryThreshold
from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime

PREFIX = "scale-"
BATCH = 5000
PUBLISHED = PublicationStatus.PUBLISHED
DOCUMENTS = ("Passport", "Employment contract", "Diploma", "Police certificate", "Health insurance")


class Command(BaseCommand):
    help = "Generate large synthetic data (benchmarks only): all countries, permits, agencies, agreements."

    def add_arguments(self, parser):
        parser.add_argument("--permits-per-country", type=int, default=13)
        parser.add_argument("--agencies-per-country", type=int, default=201)
        parser.add_argument("--agreements", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=9)

    def handle(self, *args, **options):
        translation.activate("en")
        started = time.monotonic()
        self.random = random.Random(options["seed"])
        if Country.objects.count() < 200:
            call_command("load_countries", stdout=self.stdout)
        if PermitCategory.objects.filter(code__startswith=PREFIX).exists():
            # Deleting row by row would log every deletion; a fresh database is quicker and cleaner.
            raise CommandError("Synthetic data is already there: drop the database to make it again.")
        with transaction.atomic():
            counts = self.generate(options)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner would treat the new tables as empty.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Synthetic data in {elapsed:.1f} s: {summary}."))

    def generate(self, options):
        rng = self.random
        countries = list(Country.objects.order_by("code").values_list("code", flat=True))
        sectors = list(Sector.objects.values_list("code", flat=True))
        occupations = list(IscoGroup.objects.filter(level__in=(2, 3, 4)).values_list("code", flat=True))
        today = datetime.date.today()

        sources = LegalSource.objects.bulk_create(
            [
                LegalSource(
                    key=f"{PREFIX}{code.lower()}-law",
                    country_id=code,
                    title=f"Synthetic immigration law of {code}",
                    article="Art. 1",
                    url="https://example.org/synthetic",
                    last_verified=today,
                )
                for code in countries
            ],
            batch_size=BATCH,
        )
        source_of = {source.country_id: source for source in sources}
        contacts = ContactPoint.objects.bulk_create(
            [
                ContactPoint(
                    key=f"{PREFIX}{code.lower()}-office",
                    country_id=code,
                    name=f"Synthetic immigration office of {code}",
                    kind=ContactPoint.Kind.IMMIGRATION_AUTHORITY,
                    url="https://example.org/office",
                )
                for code in countries
            ],
            batch_size=BATCH,
        )
        contact_of = {contact.country_id: contact for contact in contacts}

        purposes = [choice for choice, _ in PermitCategory.Purpose.choices]
        permits = []
        for code in countries:
            for index in range(options["permits_per_country"]):
                low = rng.randint(5, 60)
                permits.append(
                    PermitCategory(
                        country_id=code,
                        code=f"{PREFIX}{code.lower()}-{index:02d}",
                        name=f"Synthetic permit {index} of {code}",
                        description="Synthetic data for benchmarks; not a real permit.",
                        purpose=purposes[index % len(purposes)],
                        skill_levels=sorted(rng.sample([1, 2, 3, 4], rng.randint(0, 2))),
                        job_offer_required=rng.choice([True, False, None]),
                        processing_days_min=low,
                        processing_days_max=low + rng.randint(0, 90),
                        initial_stay_months=12,
                        max_stay_months=48,
                        dependents_allowed=rng.choice([True, False, None]),
                        permanent_residence_after_months=rng.choice([None, 21, 36, 60]),
                        where_to_apply=["consulate"],
                        contact_point=contact_of[code],
                        publication_status=PUBLISHED,
                        last_verified=today,
                    )
                )
        permits = PermitCategory.objects.bulk_create(permits, batch_size=BATCH)

        documents, fees, thresholds, permit_sources, permit_occupations, permit_open_to = [], [], [], [], [], []
        for permit in permits:
            for position, name in enumerate(DOCUMENTS):
                documents.append(RequiredDocument(permit=permit, name=name, position=position))
            fees.append(Fee(permit=permit, name="Visa fee", amount=Decimal(rng.randint(20, 150)), currency="EUR"))
            fees.append(
                Fee(
                    permit=permit,
                    name="Permit fee",
                    amount=Decimal(rng.randint(50, 500)),
                    currency="EUR",
                    payer="employer",
                )
            )
            thresholds.append(
                SalaryThreshold(
                    permit=permit, amount=Decimal(rng.randint(20, 60) * 1000), currency="EUR", period="year"
                )
            )
            permit_sources.append(
                PermitCategory.legal_sources.through(permitcategory=permit, legalsource=source_of[permit.country_id])
            )
            for occupation in rng.sample(occupations, min(2, len(occupations))):
                permit_occupations.append(
                    PermitCategory.occupations.through(permitcategory_id=permit.pk, iscogroup_id=occupation)
                )
            if rng.random() < 0.3:
                for nationality in rng.sample(countries, 3):
                    permit_open_to.append(
                        PermitCategory.open_to.through(permitcategory_id=permit.pk, country_id=nationality)
                    )
        RequiredDocument.objects.bulk_create(documents, batch_size=BATCH)
        Fee.objects.bulk_create(fees, batch_size=BATCH)
        SalaryThreshold.objects.bulk_create(thresholds, batch_size=BATCH)
        PermitCategory.legal_sources.through.objects.bulk_create(permit_sources, batch_size=BATCH)
        PermitCategory.occupations.through.objects.bulk_create(permit_occupations, batch_size=BATCH)
        PermitCategory.open_to.through.objects.bulk_create(permit_open_to, batch_size=BATCH)

        RecruitmentRegime.objects.bulk_create(
            [
                RecruitmentRegime(
                    country_id=code,
                    summary="Synthetic recruitment regime for benchmarks.",
                    licensing_authority=contact_of[code],
                    licence_validity_months=24,
                    worker_fee_rule=RecruitmentRegime.WorkerFeeRule.ZERO_FEE,
                    publication_status=PUBLISHED,
                )
                for code in countries
                if not RecruitmentRegime.objects.filter(country_id=code).exists()
            ],
            batch_size=BATCH,
        )

        statuses = [choice for choice, _ in RecruitmentAgency.Status.choices]
        agencies = []
        for code in countries:
            for index in range(options["agencies_per_country"]):
                agencies.append(
                    RecruitmentAgency(
                        country_id=code,
                        legal_name=f"Synthetic agency {index} of {code}",
                        licence_number=f"SCALE-{code}-{index:05d}",
                        status=statuses[0] if rng.random() < 0.85 else rng.choice(statuses[1:]),
                        valid_from=today - datetime.timedelta(days=rng.randint(30, 900)),
                        valid_until=today + datetime.timedelta(days=rng.randint(-200, 900)),
                        address="Synthetic address",
                        is_example=True,
                        last_confirmed=today - datetime.timedelta(days=rng.randint(0, 365)),
                        publication_status=PUBLISHED,
                    )
                )
        agencies = RecruitmentAgency.objects.bulk_create(agencies, batch_size=BATCH)
        agency_destinations, agency_sectors, actions = [], [], []
        for agency in agencies:
            for destination in rng.sample(countries, 2):
                if destination != agency.country_id:
                    agency_destinations.append(
                        RecruitmentAgency.destinations.through(recruitmentagency_id=agency.pk, country_id=destination)
                    )
            agency_sectors.append(
                RecruitmentAgency.sectors.through(recruitmentagency_id=agency.pk, sector_id=rng.choice(sectors))
            )
            if rng.random() < 0.05:
                actions.append(EnforcementAction(agency=agency, date=today, action=EnforcementAction.Action.WARNING))
        RecruitmentAgency.destinations.through.objects.bulk_create(agency_destinations, batch_size=BATCH)
        RecruitmentAgency.sectors.through.objects.bulk_create(agency_sectors, batch_size=BATCH)
        EnforcementAction.objects.bulk_create(actions, batch_size=BATCH)

        types = [choice for choice, _ in Agreement.Type.choices]
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    key=f"{PREFIX}agreement-{index:05d}",
                    type=types[index % len(types)],
                    title=f"Synthetic agreement {index}",
                    status=Agreement.Status.IN_FORCE,
                    in_force_on=today - datetime.timedelta(days=rng.randint(1, 4000)),
                    publication_status=PUBLISHED,
                )
                for index in range(options["agreements"])
            ],
            batch_size=BATCH,
        )
        parties, agreement_sources = [], []
        for agreement in agreements:
            first, second = rng.sample(countries, 2)
            parties.append(Agreement.parties.through(agreement_id=agreement.pk, country_id=first))
            parties.append(Agreement.parties.through(agreement_id=agreement.pk, country_id=second))
            agreement_sources.append(
                Agreement.legal_sources.through(agreement_id=agreement.pk, legalsource_id=source_of[first].pk)
            )
        Agreement.parties.through.objects.bulk_create(parties, batch_size=BATCH)
        Agreement.legal_sources.through.objects.bulk_create(agreement_sources, batch_size=BATCH)
        return {
            "countries": len(countries),
            "permits": len(permits),
            "required documents": len(documents),
            "fees": len(fees),
            "agencies": len(agencies),
            "agreements": len(agreements),
        }
