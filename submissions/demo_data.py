"""Loads the curated demo data of demo_data/*.json (format: demo_data/FORMAT.md).

Rows are matched on their keys, so a second load changes nothing; every row is checked with
full_clean(), and the first pass collects every error so that one run shows them all.
"""

import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.fields import PublicationStatus
from countries.models import Agreement, ContactPoint, Corridor, Country, LegalSource, Sector
from permits.models import Fee, IscoGroup, PermitCategory, RequiredDocument, SalaryThreshold
from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime

LANGUAGES = ("en", "fr", "ar", "de")


class DemoDataError(Exception):
    def __init__(self, messages):
        super().__init__("\n".join(messages))
        self.messages = messages


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _amount(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None


def _translated(item, field, target=None):
    """{"name_en": …, "name_fr": …} from an item's "name", "name_fr", "name_ar", "name_de"."""
    target = target or field
    values = {f"{target}_en": item.get(field) or ""}
    for language in LANGUAGES[1:]:
        if item.get(f"{field}_{language}"):
            values[f"{target}_{language}"] = item[f"{field}_{language}"]
    values[target] = values[f"{target}_en"]
    return values


def _unknown(item):
    return "\n".join(item.get("unknown") or [])


def _status(item):
    return PublicationStatus.PUBLISHED if item.get("sources") else PublicationStatus.DRAFT


class DemoDataLoader:
    def __init__(self, progress=print):
        self.progress = progress
        self.errors = []
        self.counts = Counter()
        self.sources = {}
        self.contacts = {}

    # -- entry point -------------------------------------------------------------------------

    def load(self, documents):
        self.countries = set(Country.objects.values_list("code", flat=True))
        if not self.countries:
            raise DemoDataError(["Load the countries first (manage.py load_countries)."])
        self.isco = set(IscoGroup.objects.values_list("code", flat=True))
        self.sectors = set(Sector.objects.values_list("code", flat=True))
        # Sources and contacts first: any file may cite those of another.
        for name, document in documents:
            self._each(name, document, "sources", self._source)
            self._each(name, document, "contacts", self._contact)
        for name, document in documents:
            self._each(name, document, "corridors", self._corridor)
            self._each(name, document, "permits", self._permit)
            if document.get("recruitment_regime"):
                self._guard(name, "recruitment_regime", self._regime, document["recruitment_regime"], document)
            self._each(name, document, "agencies", self._agency)
            self._each(name, document, "agreements", self._agreement)
            self.progress(f"  {name}: read")
        if self.errors:
            raise DemoDataError(self.errors)
        return dict(self.counts)

    def _each(self, file_name, document, section, handler):
        for index, item in enumerate(document.get(section) or []):
            label = (
                (item.get("key") or item.get("code") or item.get("licence_number")) if isinstance(item, dict) else None
            )
            label = label or index
            self._guard(file_name, f"{section}[{label}]", handler, item, document)

    def _guard(self, file_name, where, handler, item, document):
        try:
            # A savepoint per item: one bad row must not poison the transaction for the others.
            with transaction.atomic():
                handler(item, document)
        except ValidationError as error:
            details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, messages in details.items():
                self.errors.append(f"{file_name} {where} {field}: {' '.join(messages)}")
        except (AttributeError, KeyError, ValueError, TypeError, LookupError, IntegrityError) as error:
            self.errors.append(f"{file_name} {where}: {error.__class__.__name__}: {error}")

    # -- lookups -----------------------------------------------------------------------------

    def _country(self, code):
        if code not in self.countries:
            raise LookupError(f"unknown country {code!r}")
        return code

    def _source_ids(self, keys):
        missing = [key for key in keys or [] if key not in self.sources]
        if missing:
            raise LookupError(f"unknown source key(s) {', '.join(missing)}")
        return [self.sources[key] for key in keys or []]

    def _contact_id(self, key):
        if not key:
            return None
        if key not in self.contacts:
            raise LookupError(f"unknown contact key {key!r}")
        return self.contacts[key]

    def _isco_codes(self, codes):
        missing = [code for code in codes or [] if code not in self.isco]
        if missing:
            raise LookupError(f"unknown ISCO-08 code(s) {', '.join(missing)} (load the occupations first)")
        return list(codes or [])

    def _sector_codes(self, codes):
        missing = [code for code in codes or [] if code not in self.sectors]
        if missing:
            raise LookupError(f"unknown ISIC section(s) {', '.join(missing)}")
        return list(codes or [])

    # -- writing -----------------------------------------------------------------------------

    def _upsert(self, model, lookup, values, many=None):
        """Create or update one row; save only when something changed (so the change log stays honest)."""
        obj = model._base_manager.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
        changed = created or any(getattr(obj, field) != value for field, value in values.items())
        for field, value in values.items():
            setattr(obj, field, value)
        obj.full_clean()
        if changed:
            obj.save()
        for field, ids in (many or {}).items():
            manager = getattr(obj, field)
            if set(manager.values_list("pk", flat=True)) != set(ids):
                manager.set(ids)
        self.counts[model._meta.verbose_name_plural] += 1
        return obj

    def _replace_children(self, model, parent_field, parent, items, key_fields):
        """Make a parent's children exactly `items` (dicts of field values), matched on `key_fields`."""
        kept = []
        for position, values in enumerate(items):
            many = values.pop("_many", None)
            lookup = {parent_field: parent, **{field: values.pop(field) for field in key_fields}}
            if "position" in [f.name for f in model._meta.fields]:
                values.setdefault("position", position)
            kept.append(self._upsert(model, lookup, values, many).pk)
        model._base_manager.filter(**{parent_field: parent}).exclude(pk__in=kept).delete()

    def _source(self, item, document):
        country = item.get("country", document.get("country"))
        obj = self._upsert(
            LegalSource,
            {"key": item["key"]},
            {
                "country_id": self._country(country) if country else None,
                **_translated(item, "title"),
                "article": item.get("article") or "",
                "url": item["url"],
                "publisher": item.get("publisher") or "",
                "version_date": _date(item.get("version_date")),
                "last_verified": _date(item["last_verified"]),
                **_translated(item, "note"),
            },
        )
        self.sources[item["key"]] = obj.pk

    def _contact(self, item, document):
        obj = self._upsert(
            ContactPoint,
            {"key": item["key"]},
            {
                "country_id": self._country(item.get("country", document.get("country"))),
                **_translated(item, "name"),
                "kind": item["kind"],
                "url": item.get("url") or "",
                "email": item.get("email") or "",
                "phone": item.get("phone") or "",
                **_translated(item, "address"),
            },
        )
        self.contacts[item["key"]] = obj.pk

    def _corridor(self, item, document):
        origin, destination = item
        self._upsert(Corridor, {"origin_id": self._country(origin), "destination_id": self._country(destination)}, {})

    def _permit(self, item, document):
        country = self._country(item.get("country", document.get("country")))
        sources = self._source_ids(item.get("sources"))
        permit = self._upsert(
            PermitCategory,
            {"code": item["code"]},
            {
                "country_id": country,
                **_translated(item, "name"),
                **_translated(item, "description"),
                "purpose": item["purpose"],
                "skill_levels": item.get("skill_levels") or [],
                "agreement_required": bool(item.get("agreement_required")),
                "job_offer_required": item.get("job_offer_required"),
                "qualification": item.get("qualification") or "",
                "recognition_required": item.get("recognition_required"),
                "language_level": item.get("language_level") or "",
                "min_age": item.get("min_age"),
                "max_age": item.get("max_age"),
                "labour_market_test": item.get("labour_market_test"),
                "quota_size": item.get("quota_size"),
                "quota_period": item.get("quota_period") or "",
                **_translated(item, "application_method"),
                "official_url": item.get("official_url") or "",
                "where_to_apply": item.get("where_to_apply") or [],
                "processing_days_min": item.get("processing_days_min"),
                "processing_days_max": item.get("processing_days_max"),
                "initial_stay_months": item.get("initial_stay_months"),
                "max_stay_months": item.get("max_stay_months"),
                "renewable": item.get("renewable"),
                "multiple_entry": item.get("multiple_entry"),
                "change_of_employer_allowed": item.get("change_of_employer_allowed"),
                "permanent_residence_after_months": item.get("permanent_residence_after_months"),
                "dependents_allowed": item.get("dependents_allowed"),
                "spouse_may_work": item.get("spouse_may_work"),
                **_translated(item, "appeal_procedure"),
                "appeal_deadline_days": item.get("appeal_deadline_days"),
                "contact_point_id": self._contact_id(item.get("contact")),
                "valid_from": _date(item.get("valid_from")),
                "valid_to": _date(item.get("valid_to")),
                "publication_status": _status(item),
                "last_verified": _date(item.get("last_verified")),
                "unknown_facts": _unknown(item),
                "unknown_facts_en": _unknown(item),
            },
            many={
                "legal_sources": sources,
                "occupations": self._isco_codes(item.get("isco_unit_groups")),
                "open_to": [self._country(code) for code in item.get("open_to") or []],
                "closed_to": [self._country(code) for code in item.get("closed_to") or []],
            },
        )
        self._replace_children(
            SalaryThreshold,
            "permit",
            permit,
            [
                {
                    "label_en": threshold.get("label") or "",
                    "valid_from": _date(threshold["valid_from"]),
                    "label": threshold.get("label") or "",
                    "kind": threshold.get("kind") or SalaryThreshold.Kind.SALARY,
                    "reduced": bool(threshold.get("reduced")),
                    "applies_from_age": threshold.get("applies_from_age"),
                    "amount": _amount(threshold["amount"]),
                    "currency": threshold["currency"],
                    "period": threshold["period"],
                    "valid_to": _date(threshold.get("valid_to")),
                    "_many": {"legal_sources": self._source_ids(threshold.get("sources"))},
                }
                for threshold in item.get("salary_thresholds") or []
            ],
            key_fields=("label_en", "valid_from"),
        )
        self._replace_children(
            RequiredDocument,
            "permit",
            permit,
            [
                {
                    "name_en": document["name"],
                    **_translated(document, "name"),
                    "mandatory": document.get("mandatory", True),
                    "translation_needed": document.get("translation_needed"),
                    "legalisation": document.get("legalisation") or "",
                    **_translated(document, "notes"),
                }
                for document in item.get("documents") or []
            ],
            key_fields=("name_en",),
        )
        self._replace_children(
            Fee,
            "permit",
            permit,
            [
                {
                    "name_en": fee["name"],
                    **_translated(fee, "name"),
                    "amount": _amount(fee["amount"]),
                    "currency": fee["currency"],
                    "payer": fee.get("payer") or Fee.Payer.UNSPECIFIED,
                    **_translated(fee, "notes"),
                }
                for fee in item.get("fees") or []
            ],
            key_fields=("name_en",),
        )

    def _regime(self, item, document):
        country = self._country(item.get("country", document.get("country")))
        self._upsert(
            RecruitmentRegime,
            {"country_id": country},
            {
                **_translated(item, "summary"),
                "licensing_authority_id": self._contact_id(item.get("licensing_authority")),
                "licence_validity_months": item.get("licence_validity_months"),
                "registration_fee": _amount(item.get("registration_fee")),
                "registration_fee_currency": item.get("registration_fee_currency") or "",
                "financial_guarantee": _amount(item.get("financial_guarantee")),
                "financial_guarantee_currency": item.get("financial_guarantee_currency") or "",
                "worker_fee_rule": item.get("worker_fee_rule") or "",
                "worker_fee_cap": _amount(item.get("worker_fee_cap")),
                "worker_fee_cap_currency": item.get("worker_fee_cap_currency") or "",
                **_translated(item, "worker_fee_note"),
                "standard_contract_required": item.get("standard_contract_required"),
                **_translated(item, "penalties"),
                **_translated(item, "incentives"),
                "public_list_url": item.get("public_list_url") or "",
                "unknown_facts": _unknown(item),
                "unknown_facts_en": _unknown(item),
                "publication_status": _status(item),
                "last_verified": _date(item.get("last_verified")),
            },
            many={"legal_sources": self._source_ids(item.get("sources"))},
        )

    def _agency(self, item, document):
        country = self._country(item.get("country", document.get("country")))
        number = item["licence_number"].strip()
        if item.get("is_example") and not number.startswith("EXAMPLE-"):
            raise ValueError("an example agency's licence number must start with EXAMPLE-")
        if not item.get("is_example") and not item.get("sources"):
            raise ValueError("a real agency needs its register as a source")
        agency = self._upsert(
            RecruitmentAgency,
            {"country_id": country, "licence_number": number},
            {
                "legal_name": item["legal_name"],
                "status": item.get("status") or RecruitmentAgency.Status.ACTIVE,
                "valid_from": _date(item.get("valid_from")),
                "valid_until": _date(item.get("valid_until")),
                "address": item.get("address") or "",
                "website": item.get("website") or "",
                "is_example": bool(item.get("is_example")),
                "last_confirmed": _date(item.get("last_confirmed")),
                "publication_status": PublicationStatus.PUBLISHED,
            },
            many={
                "destinations": [self._country(code) for code in item.get("destinations") or []],
                "sectors": self._sector_codes(item.get("sectors")),
                "legal_sources": self._source_ids(item.get("sources")),
            },
        )
        self._replace_children(
            EnforcementAction,
            "agency",
            agency,
            [
                {
                    "date": _date(action["date"]),
                    "action": action["action"],
                    **_translated(action, "description"),
                    "_many": {"legal_sources": self._source_ids(action.get("sources"))},
                }
                for action in item.get("enforcement_actions") or []
            ],
            key_fields=("date", "action"),
        )

    def _agreement(self, item, document):
        self._upsert(
            Agreement,
            {"key": item["key"]},
            {
                "type": item["type"],
                **_translated(item, "title"),
                **_translated(item, "summary"),
                "signed_on": _date(item.get("signed_on")),
                "in_force_on": _date(item.get("in_force_on")),
                "expires_on": _date(item.get("expires_on")),
                "status": item["status"],
                "quota_size": item.get("quota_size"),
                "quota_period": item.get("quota_period") or "",
                **_translated(item, "recruitment_cost_rule"),
                "pre_departure_training": item.get("pre_departure_training"),
                "pension_portability": item.get("pension_portability"),
                "health_coverage": item.get("health_coverage"),
                "full_text_url": item.get("full_text_url") or "",
                "unknown_facts": _unknown(item),
                "unknown_facts_en": _unknown(item),
                "publication_status": _status(item),
                "last_verified": _date(item.get("last_verified")),
            },
            many={
                "parties": [self._country(code) for code in item["parties"]],
                "sectors": self._sector_codes(item.get("sectors")),
                "occupations": self._isco_codes(item.get("isco_unit_groups")),
                "intermediaries": [self._contact_id(key) for key in item.get("intermediaries") or []],
                "legal_sources": self._source_ids(item.get("sources")),
            },
        )
