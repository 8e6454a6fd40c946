"""Rows of the common format ↔ model instances, for the four sections.

`export` turns a published object into a row (for the diff and the template examples); `build`
turns a row into the unsaved instance, its many-to-many ids and its children, exactly as they will
be saved (validation runs full_clean() on them; publishing saves them).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from core.fields import PublicationStatus
from countries.models import Agreement, ContactPoint, Country, LegalSource, Sector
from permits.models import Fee, IscoGroup, PermitCategory, RequiredDocument, SalaryThreshold
from recruiters.models import EnforcementAction, RecruitmentAgency, RecruitmentRegime

from .format import OTHER_LANGUAGES, SHEETS


class RowError(Exception):
    """A problem with one field of one row, found while building its instance."""

    def __init__(self, field_name, value, message):
        super().__init__(message)
        self.field, self.value, self.message = field_name, value, message


class References:
    """What rows may cite, read once per file: sources, contacts, countries, ISCO groups, sectors."""

    def __init__(self):
        self.sources = dict(LegalSource.objects.values_list("key", "pk"))
        self.contacts = dict(ContactPoint.objects.values_list("key", "pk"))
        self.countries = set(Country.objects.values_list("code", flat=True))
        self.isco = set(IscoGroup.objects.values_list("code", flat=True))
        self.sectors = set(Sector.objects.values_list("code", flat=True))

    def source_ids(self, keys, field_name="sources"):
        missing = [key for key in keys if key not in self.sources]
        if missing:
            raise RowError(field_name, ", ".join(missing), "unknown_source")
        return [self.sources[key] for key in keys]

    def contact_id(self, key, field_name):
        if not key:
            return None
        if key not in self.contacts:
            raise RowError(field_name, key, "unknown_contact")
        return self.contacts[key]

    def country_codes(self, codes, field_name):
        missing = [code for code in codes if code not in self.countries]
        if missing:
            raise RowError(field_name, ", ".join(missing), "unknown_country")
        return list(codes)

    def isco_codes(self, codes, field_name="isco_unit_groups"):
        missing = [code for code in codes if code not in self.isco]
        if missing:
            raise RowError(field_name, ", ".join(missing), "unknown_isco")
        return list(codes)

    def sector_codes(self, codes, field_name="sectors"):
        missing = [code for code in codes if code not in self.sectors]
        if missing:
            raise RowError(field_name, ", ".join(missing), "unknown_sector")
        return list(codes)


def _date(value, field_name):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RowError(field_name, value, "invalid_date") from None


def _amount(value):
    return None if value in (None, "") else Decimal(value)


def _amount_text(value):
    return None if value is None else f"{value:.2f}"


def _date_text(value):
    return value.isoformat() if value else None


def _translations(row, name, target=None):
    """{name_en: …, name_fr: …, name_ar: …, name_de: …} exactly as given (a blank clears)."""
    target = target or name
    values = {f"{target}_en": row.get(name) or ""}
    for language in OTHER_LANGUAGES:
        values[f"{target}_{language}"] = row.get(f"{name}_{language}") or ""
    return values


def _export_translations(obj, name, target=None):
    target = target or name
    values = {target: getattr(obj, f"{name}_en") or ""}
    for language in OTHER_LANGUAGES:
        values[f"{target}_{language}"] = getattr(obj, f"{name}_{language}") or ""
    return values


def _unknown(row):
    text = "\n".join(row.get("unknown") or [])
    return {"unknown_facts_en": text}


def _export_unknown(obj):
    return [line for line in (obj.unknown_facts_en or "").split("\n") if line]


def _keys(manager):
    return sorted(item.key for item in manager.all())


def _codes(manager):
    return sorted(item.pk for item in manager.all())


def assign(obj, values):
    """Set field values in English, the default language: under another active language,
    django-modeltranslation would route a plain `name` to that language's column."""
    with translation.override("en"):
        for name, value in values.items():
            setattr(obj, name, value)


@dataclass
class Built:
    """A row made into what will be saved."""

    instance: object
    many: dict = field(default_factory=dict)  # m2m field -> ids
    children: dict = field(default_factory=dict)  # relation -> list of (model, values, many)


# -- permits ---------------------------------------------------------------------------------------


def permit_export(permit):
    return {
        "code": permit.code,
        "country": permit.country_id,
        **_export_translations(permit, "name"),
        **_export_translations(permit, "description"),
        "purpose": permit.purpose,
        "skill_levels": sorted(permit.skill_levels or []),
        "isco_unit_groups": _codes(permit.occupations),
        "open_to": _codes(permit.open_to),
        "closed_to": _codes(permit.closed_to),
        "agreement_required": permit.agreement_required,
        "job_offer_required": permit.job_offer_required,
        "qualification": permit.qualification,
        "recognition_required": permit.recognition_required,
        "language_level": permit.language_level,
        "min_age": permit.min_age,
        "max_age": permit.max_age,
        "labour_market_test": permit.labour_market_test,
        "quota_size": permit.quota_size,
        "quota_period": permit.quota_period,
        **_export_translations(permit, "application_method"),
        "official_url": permit.official_url,
        "where_to_apply": sorted(permit.where_to_apply or []),
        "processing_days_min": permit.processing_days_min,
        "processing_days_max": permit.processing_days_max,
        "initial_stay_months": permit.initial_stay_months,
        "max_stay_months": permit.max_stay_months,
        "renewable": permit.renewable,
        "multiple_entry": permit.multiple_entry,
        "change_of_employer_allowed": permit.change_of_employer_allowed,
        "permanent_residence_after_months": permit.permanent_residence_after_months,
        "dependents_allowed": permit.dependents_allowed,
        "spouse_may_work": permit.spouse_may_work,
        **_export_translations(permit, "appeal_procedure"),
        "appeal_deadline_days": permit.appeal_deadline_days,
        "sources": _keys(permit.legal_sources),
        "contact": permit.contact_point.key if permit.contact_point else "",
        "valid_from": _date_text(permit.valid_from),
        "valid_to": _date_text(permit.valid_to),
        "last_verified": _date_text(permit.last_verified),
        "unknown": _export_unknown(permit),
        "salary_thresholds": [
            {
                "kind": threshold.kind,
                "amount": _amount_text(threshold.amount),
                "currency": threshold.currency,
                "period": threshold.period,
                "valid_from": _date_text(threshold.valid_from),
                "valid_to": _date_text(threshold.valid_to),
                "label": threshold.label_en or "",
                "reduced": threshold.reduced,
                "applies_from_age": threshold.applies_from_age,
                "sources": _keys(threshold.legal_sources),
            }
            for threshold in permit.salary_thresholds.all()
        ],
        "documents": [
            {
                **_export_translations(document, "name"),
                "mandatory": document.mandatory,
                "translation_needed": document.translation_needed,
                "legalisation": document.legalisation,
                **_export_translations(document, "notes"),
            }
            for document in permit.documents.all()
        ],
        "fees": [
            {
                **_export_translations(fee, "name"),
                "amount": _amount_text(fee.amount),
                "currency": fee.currency,
                "payer": fee.payer,
                **_export_translations(fee, "notes"),
            }
            for fee in permit.fees.all()
        ],
    }


def permit_build(row, refs, existing):
    permit = existing or PermitCategory()
    assign(
        permit,
        {
            "code": row["code"],
            "country_id": refs.country_codes([row["country"]], "country")[0],
            **_translations(row, "name"),
            **_translations(row, "description"),
            "purpose": row["purpose"],
            "skill_levels": row["skill_levels"],
            "agreement_required": row["agreement_required"],
            "job_offer_required": row["job_offer_required"],
            "qualification": row["qualification"],
            "recognition_required": row["recognition_required"],
            "language_level": row["language_level"],
            "min_age": row["min_age"],
            "max_age": row["max_age"],
            "labour_market_test": row["labour_market_test"],
            "quota_size": row["quota_size"],
            "quota_period": row["quota_period"],
            **_translations(row, "application_method"),
            "official_url": row["official_url"],
            "where_to_apply": row["where_to_apply"],
            "processing_days_min": row["processing_days_min"],
            "processing_days_max": row["processing_days_max"],
            "initial_stay_months": row["initial_stay_months"],
            "max_stay_months": row["max_stay_months"],
            "renewable": row["renewable"],
            "multiple_entry": row["multiple_entry"],
            "change_of_employer_allowed": row["change_of_employer_allowed"],
            "permanent_residence_after_months": row["permanent_residence_after_months"],
            "dependents_allowed": row["dependents_allowed"],
            "spouse_may_work": row["spouse_may_work"],
            **_translations(row, "appeal_procedure"),
            "appeal_deadline_days": row["appeal_deadline_days"],
            "contact_point_id": refs.contact_id(row["contact"], "contact"),
            "valid_from": _date(row["valid_from"], "valid_from"),
            "valid_to": _date(row["valid_to"], "valid_to"),
            "last_verified": _date(row["last_verified"], "last_verified"),
            **_unknown(row),
            "publication_status": PublicationStatus.PUBLISHED,
        },
    )
    built = Built(
        permit,
        many={
            "legal_sources": refs.source_ids(row["sources"]),
            "occupations": refs.isco_codes(row["isco_unit_groups"]),
            "open_to": refs.country_codes(row["open_to"], "open_to"),
            "closed_to": refs.country_codes(row["closed_to"], "closed_to"),
        },
    )
    if "salary_thresholds" in row:
        built.children["salary_thresholds"] = [
            (
                SalaryThreshold,
                {
                    "kind": item["kind"],
                    "amount": _amount(item["amount"]),
                    "currency": item["currency"],
                    "period": item["period"],
                    "valid_from": _date(item["valid_from"], f"salary_thresholds[{index}].valid_from"),
                    "valid_to": _date(item["valid_to"], f"salary_thresholds[{index}].valid_to"),
                    "label_en": item["label"],
                    "reduced": item["reduced"],
                    "applies_from_age": item["applies_from_age"],
                },
                {"legal_sources": refs.source_ids(item["sources"], f"salary_thresholds[{index}].sources")},
            )
            for index, item in enumerate(row["salary_thresholds"])
        ]
    if "documents" in row:
        built.children["documents"] = [
            (
                RequiredDocument,
                {
                    **_translations(item, "name"),
                    "mandatory": item["mandatory"],
                    "translation_needed": item["translation_needed"],
                    "legalisation": item["legalisation"],
                    **_translations(item, "notes"),
                    "position": index,
                },
                {},
            )
            for index, item in enumerate(row["documents"])
        ]
    if "fees" in row:
        built.children["fees"] = [
            (
                Fee,
                {
                    **_translations(item, "name"),
                    "amount": _amount(item["amount"]),
                    "currency": item["currency"],
                    "payer": item["payer"],
                    **_translations(item, "notes"),
                },
                {},
            )
            for item in row["fees"]
        ]
    return built


# -- agreements ------------------------------------------------------------------------------------


def agreement_export(agreement):
    return {
        "key": agreement.key,
        "type": agreement.type,
        **_export_translations(agreement, "title"),
        **_export_translations(agreement, "summary"),
        "parties": _codes(agreement.parties),
        "signed_on": _date_text(agreement.signed_on),
        "in_force_on": _date_text(agreement.in_force_on),
        "expires_on": _date_text(agreement.expires_on),
        "status": agreement.status,
        "sectors": _codes(agreement.sectors),
        "isco_unit_groups": _codes(agreement.occupations),
        "quota_size": agreement.quota_size,
        "quota_period": agreement.quota_period,
        "intermediaries": _keys(agreement.intermediaries),
        **_export_translations(agreement, "recruitment_cost_rule"),
        "pre_departure_training": agreement.pre_departure_training,
        "pension_portability": agreement.pension_portability,
        "health_coverage": agreement.health_coverage,
        "full_text_url": agreement.full_text_url,
        "sources": _keys(agreement.legal_sources),
        "last_verified": _date_text(agreement.last_verified),
        "unknown": _export_unknown(agreement),
    }


def agreement_build(row, refs, existing):
    agreement = existing or Agreement()
    assign(
        agreement,
        {
            "key": row["key"],
            "type": row["type"],
            **_translations(row, "title"),
            **_translations(row, "summary"),
            "signed_on": _date(row["signed_on"], "signed_on"),
            "in_force_on": _date(row["in_force_on"], "in_force_on"),
            "expires_on": _date(row["expires_on"], "expires_on"),
            "status": row["status"],
            "quota_size": row["quota_size"],
            "quota_period": row["quota_period"],
            **_translations(row, "recruitment_cost_rule"),
            "pre_departure_training": row["pre_departure_training"],
            "pension_portability": row["pension_portability"],
            "health_coverage": row["health_coverage"],
            "full_text_url": row["full_text_url"],
            "last_verified": _date(row["last_verified"], "last_verified"),
            **_unknown(row),
            "publication_status": PublicationStatus.PUBLISHED,
        },
    )
    return Built(
        agreement,
        many={
            "parties": refs.country_codes(row["parties"], "parties"),
            "sectors": refs.sector_codes(row["sectors"]),
            "occupations": refs.isco_codes(row["isco_unit_groups"]),
            "intermediaries": [refs.contact_id(key, "intermediaries") for key in row["intermediaries"]],
            "legal_sources": refs.source_ids(row["sources"]),
        },
    )


# -- recruitment regime ----------------------------------------------------------------------------


def regime_export(regime):
    return {
        "country": regime.country_id,
        "licensing_authority": regime.licensing_authority.key if regime.licensing_authority else "",
        "licence_validity_months": regime.licence_validity_months,
        "registration_fee": _amount_text(regime.registration_fee),
        "registration_fee_currency": regime.registration_fee_currency,
        "financial_guarantee": _amount_text(regime.financial_guarantee),
        "financial_guarantee_currency": regime.financial_guarantee_currency,
        "worker_fee_rule": regime.worker_fee_rule,
        "worker_fee_cap": _amount_text(regime.worker_fee_cap),
        "worker_fee_cap_currency": regime.worker_fee_cap_currency,
        **_export_translations(regime, "worker_fee_note"),
        "standard_contract_required": regime.standard_contract_required,
        **_export_translations(regime, "penalties"),
        **_export_translations(regime, "incentives"),
        "public_list_url": regime.public_list_url,
        **_export_translations(regime, "summary"),
        "sources": _keys(regime.legal_sources),
        "last_verified": _date_text(regime.last_verified),
        "unknown": _export_unknown(regime),
    }


def regime_build(row, refs, existing):
    regime = existing or RecruitmentRegime()
    assign(
        regime,
        {
            "country_id": refs.country_codes([row["country"]], "country")[0],
            "licensing_authority_id": refs.contact_id(row["licensing_authority"], "licensing_authority"),
            "licence_validity_months": row["licence_validity_months"],
            "registration_fee": _amount(row["registration_fee"]),
            "registration_fee_currency": row["registration_fee_currency"],
            "financial_guarantee": _amount(row["financial_guarantee"]),
            "financial_guarantee_currency": row["financial_guarantee_currency"],
            "worker_fee_rule": row["worker_fee_rule"],
            "worker_fee_cap": _amount(row["worker_fee_cap"]),
            "worker_fee_cap_currency": row["worker_fee_cap_currency"],
            **_translations(row, "worker_fee_note"),
            "standard_contract_required": row["standard_contract_required"],
            **_translations(row, "penalties"),
            **_translations(row, "incentives"),
            "public_list_url": row["public_list_url"],
            **_translations(row, "summary"),
            "last_verified": _date(row["last_verified"], "last_verified"),
            **_unknown(row),
            "publication_status": PublicationStatus.PUBLISHED,
        },
    )
    return Built(regime, many={"legal_sources": refs.source_ids(row["sources"])})


# -- agencies --------------------------------------------------------------------------------------


def agency_export(agency):
    return {
        "country": agency.country_id,
        "legal_name": agency.legal_name,
        "licence_number": agency.licence_number,
        "status": agency.status,
        "valid_from": _date_text(agency.valid_from),
        "valid_until": _date_text(agency.valid_until),
        "destinations": _codes(agency.destinations),
        "sectors": _codes(agency.sectors),
        "address": agency.address,
        "website": agency.website,
        "is_example": agency.is_example,
        "sources": _keys(agency.legal_sources),
        "last_confirmed": _date_text(agency.last_confirmed),
        "enforcement_actions": [
            {
                "date": _date_text(action.date),
                "action": action.action,
                **_export_translations(action, "description"),
                "sources": _keys(action.legal_sources),
            }
            for action in agency.enforcement_actions.all()
        ],
    }


def agency_build(row, refs, existing):
    number = row["licence_number"].strip()
    if row["is_example"] and not number.startswith("EXAMPLE-"):
        raise RowError("licence_number", number, "example_prefix")
    if not row["is_example"] and not row["sources"]:
        raise RowError("sources", "", "agency_register")
    values = {
        "country_id": refs.country_codes([row["country"]], "country")[0],
        "legal_name": row["legal_name"],
        "licence_number": number,
        "status": row["status"],
        "valid_from": _date(row["valid_from"], "valid_from"),
        "valid_until": _date(row["valid_until"], "valid_until"),
        "address": row["address"],
        "website": row["website"],
        "is_example": row["is_example"],
        "last_confirmed": _date(row["last_confirmed"], "last_confirmed"),
        "publication_status": PublicationStatus.PUBLISHED,
    }
    if existing is None:
        agency = RecruitmentAgency(**values)  # one pass: a register may hold thousands of new rows
    else:
        agency = existing
        assign(agency, values)
    built = Built(
        agency,
        many={
            "destinations": refs.country_codes(row["destinations"], "destinations"),
            "sectors": refs.sector_codes(row["sectors"]),
            "legal_sources": refs.source_ids(row["sources"]),
        },
    )
    if "enforcement_actions" in row:
        built.children["enforcement_actions"] = [
            (
                EnforcementAction,
                {
                    "date": _date(item["date"], f"enforcement_actions[{index}].date"),
                    "action": item["action"],
                    **_translations(item, "description"),
                },
                {"legal_sources": refs.source_ids(item["sources"], f"enforcement_actions[{index}].sources")},
            )
            for index, item in enumerate(row["enforcement_actions"])
        ]
    return built


# -- the sections ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    name: str
    model: type
    export: object
    build: object
    prefetch: tuple
    select: tuple = ()

    def key(self, row):
        if self.name == "permits":
            return row["code"]
        if self.name == "agreements":
            return row["key"]
        if self.name == "recruitment_regime":
            return row["country"]
        return f"{row['country']}:{row['licence_number'].strip()}"

    def object_key(self, obj):
        if self.name == "permits":
            return obj.code
        if self.name == "agreements":
            return obj.key
        if self.name == "recruitment_regime":
            return obj.country_id
        return f"{obj.country_id}:{obj.licence_number}"

    def countries_of(self, row):
        return row["parties"] if self.name == "agreements" else [row["country"]]

    def queryset(self):
        return self.model._base_manager.select_related(*self.select).prefetch_related(*self.prefetch)

    def existing(self, keys):
        """The stored objects (any publication status) for these row keys, by key."""
        queryset = self.queryset()
        if self.name == "permits":
            queryset = queryset.filter(code__in=keys)
        elif self.name == "agreements":
            queryset = queryset.filter(key__in=keys)
        elif self.name == "recruitment_regime":
            queryset = queryset.filter(country_id__in=keys)
        else:
            countries = {key.split(":", 1)[0] for key in keys}
            numbers = {key.split(":", 1)[1] for key in keys}
            queryset = queryset.filter(country_id__in=countries, licence_number__in=numbers)
        return {self.object_key(obj): obj for obj in queryset}

    def published_in(self, country):
        """Published objects of `country` in this section (what a full section replaces)."""
        queryset = self.queryset().filter(publication_status=PublicationStatus.PUBLISHED)
        if self.name == "agreements":
            return queryset.filter(parties=country)
        return queryset.filter(country_id=country)

    def label(self, obj):
        return str(obj)


SECTION_MODELS = {
    "permits": Section(
        "permits",
        PermitCategory,
        permit_export,
        permit_build,
        (
            "occupations",
            "open_to",
            "closed_to",
            "legal_sources",
            "salary_thresholds__legal_sources",
            "documents",
            "fees",
        ),
        ("contact_point",),
    ),
    "agreements": Section(
        "agreements",
        Agreement,
        agreement_export,
        agreement_build,
        ("parties", "sectors", "occupations", "intermediaries", "legal_sources"),
    ),
    "recruitment_regime": Section(
        "recruitment_regime",
        RecruitmentRegime,
        regime_export,
        regime_build,
        ("legal_sources",),
        ("licensing_authority", "country"),
    ),
    "agencies": Section(
        "agencies",
        RecruitmentAgency,
        agency_export,
        agency_build,
        ("destinations", "sectors", "legal_sources", "enforcement_actions__legal_sources"),
    ),
}
CHILD_KEYS = {name: tuple(sheet.children) for name, sheet in SHEETS.items()}
