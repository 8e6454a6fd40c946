"""Corridor comparison: 2–4 corridors (origin → destination) side by side, for the page and the API.

`compare_corridors(corridors, on)` reads everything in a fixed number of queries, whatever the
number of corridors, and returns one JSON-ready dict per corridor (amounts as strings). Nothing is
guessed: a figure the hub does not have is None, and counts say how many permits lack it.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from countries.models import Agreement, ConsulateVisaStatistic, Country, LegalSource
from permits.models import Fee, PermitCategory, ProcessingBasis, VisaRequirement
from recruiters.models import RecruitmentRegime

MIN_CORRIDORS, MAX_CORRIDORS = 2, 4
CORRIDOR_PATTERN = re.compile(r"^([A-Za-z]{2})-([A-Za-z]{2})$")


class CorridorError(ValueError):
    """The corridors asked for cannot be compared; the message says why, for the person asking."""


def parse_corridors(value, *, known_countries=None):
    """["MA", "DE"] pairs from "MA-DE,TN-FR" (or a list of such strings); CorridorError when invalid.

    `known_countries` (a set of ISO codes) is looked up when not given (one query).
    """
    items = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    items = [item.strip() for item in items if item and item.strip()]
    if not MIN_CORRIDORS <= len(items) <= MAX_CORRIDORS:
        raise CorridorError(_("Give from 2 to 4 corridors, e.g. MA-DE,TN-FR."))
    pairs = []
    for item in items:
        match = CORRIDOR_PATTERN.match(item)
        if not match:
            raise CorridorError(
                _("%(item)s is not a corridor: write origin-destination, e.g. MA-DE.") % {"item": item[:20]}
            )
        origin, destination = match.group(1).upper(), match.group(2).upper()
        if origin == destination:
            raise CorridorError(_("%(item)s: origin and destination must differ.") % {"item": item})
        if (origin, destination) in pairs:
            raise CorridorError(_("%(item)s is given twice.") % {"item": item})
        pairs.append((origin, destination))
    if known_countries is None:
        codes = {code for pair in pairs for code in pair}
        known_countries = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    for pair in pairs:
        for code in pair:
            if code not in known_countries:
                raise CorridorError(_("%(code)s is not a known country code.") % {"code": code})
    return pairs


def compare_corridors(corridors, on=None):
    """Side-by-side facts of each (origin, destination) corridor, in the order given.

    Keys of each dict: corridor, origin, destination (code and name), agreements (in force, with
    sources), permits_open (count and list, each permit with its processing time and what that figure
    is), fees (ranges per payer and currency), processing_days (the range of the figures that cover the
    whole procedure: a figure for one step only is counted in step_only, never in the range),
    stay_months, family (counts of yes / no / unknown), recruiter_fees (the origin's regime),
    visa (the requirement for the origin's nationals), schengen_refusal (or None).
    """

    on = on or datetime.date.today()
    origins = sorted({origin for origin, _destination in corridors})
    destinations = sorted({destination for _origin, destination in corridors})
    sources = LegalSource.objects.only("id", "key")

    countries = Country.objects.in_bulk([*origins, *destinations])
    agreements = list(
        Agreement.objects.published()
        .in_force(on)
        .exclude(type=Agreement.Type.SERVICE)
        .filter(parties__in=origins)
        .filter(parties__in=destinations)
        .prefetch_related(
            Prefetch("parties", queryset=Country.objects.only("code")), Prefetch("legal_sources", queryset=sources)
        )
        .distinct()
        .order_by("key")
    )
    permits = PermitCategory.objects.published().filter(country__in=destinations)
    for origin in origins:  # one annotation per nationality: still one query (PermitQuerySet.open_to's rule)
        permits = permits.with_open_to(origin, on=on, name=f"open_to_{origin}")
    permits = list(
        permits.exclude(purpose=PermitCategory.Purpose.FAMILY)
        .prefetch_related(
            Prefetch("fees", queryset=Fee.objects.order_by("id")),
        )
        .order_by("name", "code")
    )
    regimes = {
        regime.country_id: regime
        for regime in RecruitmentRegime.objects.published()
        .filter(country__in=origins)
        .prefetch_related(Prefetch("legal_sources", queryset=sources))
    }
    pair_filter = Q(pk__in=[])
    for origin, destination in corridors:
        pair_filter |= Q(nationality=origin, destination=destination)
    visas = {(visa.nationality_id, visa.destination_id): visa for visa in VisaRequirement.objects.filter(pair_filter)}
    statistics = defaultdict(list)
    for row in ConsulateVisaStatistic.objects.filter(schengen_state__in=destinations, consulate_country__in=origins):
        statistics[(row.consulate_country_id, row.schengen_state_id)].append(row)

    results = []
    for origin, destination in corridors:
        pair_agreements = [
            agreement
            for agreement in agreements
            if {origin, destination} <= {country.code for country in agreement.parties.all()}
        ]
        open_permits = [
            permit for permit in permits if permit.country_id == destination and getattr(permit, f"open_to_{origin}")
        ]
        results.append(
            {
                "corridor": f"{origin}-{destination}",
                "origin": _country(countries.get(origin), origin),
                "destination": _country(countries.get(destination), destination),
                "agreements": [_agreement(agreement) for agreement in pair_agreements],
                "permits_open": {
                    "count": len(open_permits),
                    "permits": [_permit(permit) for permit in open_permits],
                },
                "fees": _fee_ranges(open_permits),
                "processing_days": _processing_range(open_permits),
                "stay_months": {
                    **_range(open_permits, "initial_stay_months", "initial_stay_months"),
                    "longest_max": _max(open_permits, "max_stay_months"),
                },
                "family": {
                    "dependents_allowed": _tally(open_permits, "dependents_allowed"),
                    "spouse_may_work": _tally(open_permits, "spouse_may_work"),
                },
                "recruiter_fees": _regime(regimes.get(origin)),
                "visa": _visa(visas.get((origin, destination))),
                "schengen_refusal": _schengen(statistics.get((origin, destination), [])),
            }
        )
    return results


def comparison_rows(results):
    """The comparison as rows of a table (one row per fact, one column per corridor), for CSV."""
    facts = [
        ("agreements_in_force", lambda item: len(item["agreements"])),
        ("agreements", lambda item: "; ".join(agreement["key"] for agreement in item["agreements"])),
        ("permits_open", lambda item: item["permits_open"]["count"]),
        ("permits", lambda item: "; ".join(permit["code"] for permit in item["permits_open"]["permits"])),
        ("fees_worker", lambda item: _fee_text(item["fees"], "worker")),
        ("fees_employer", lambda item: _fee_text(item["fees"], "employer")),
        ("processing_days_min", lambda item: item["processing_days"]["min"]),
        ("processing_days_max", lambda item: item["processing_days"]["max"]),
        ("processing_step_only", lambda item: item["processing_days"]["step_only"]),
        ("processing_by_permit", lambda item: "; ".join(_processing_text(p) for p in item["permits_open"]["permits"])),
        ("initial_stay_months_min", lambda item: item["stay_months"]["min"]),
        ("initial_stay_months_max", lambda item: item["stay_months"]["max"]),
        ("family_may_join", lambda item: _tally_text(item["family"]["dependents_allowed"])),
        ("spouse_may_work", lambda item: _tally_text(item["family"]["spouse_may_work"])),
        ("recruiter_fee_rule", lambda item: (item["recruiter_fees"] or {}).get("worker_fee_rule")),
        ("recruiter_fee_cap", lambda item: _cap_text(item["recruiter_fees"])),
        ("visa_requirement", lambda item: (item["visa"] or {}).get("requirement")),
        ("visa_free_days", lambda item: (item["visa"] or {}).get("days")),
        ("schengen_refusal_rate", lambda item: (item["schengen_refusal"] or {}).get("refusal_rate")),
        ("schengen_year", lambda item: (item["schengen_refusal"] or {}).get("year")),
        ("schengen_source", lambda item: (item["schengen_refusal"] or {}).get("source")),
    ]
    return [{"fact": name, **{item["corridor"]: value(item) for item in results}} for name, value in facts]


def _country(country, code):
    return {"code": code, "name": str(country.name) if country else code}


def _agreement(agreement):
    return {
        "key": agreement.key,
        "title": str(agreement.title),
        "type": agreement.type,
        "in_force_on": agreement.in_force_on.isoformat() if agreement.in_force_on else None,
        "sources": sorted(source.key for source in agreement.legal_sources.all()),
        "last_verified": agreement.last_verified.isoformat() if agreement.last_verified else None,
    }


def _permit(permit):
    return {
        "code": permit.code,
        "name": str(permit.name),
        "processing_days_min": permit.processing_days_min,
        "processing_days_max": permit.processing_days_max,
        "processing_basis": permit.processing_basis or None,
    }


def _processing_range(permits):
    """The range of the processing times that cover the whole procedure; a figure for one step only
    (a labour-ministry approval, a visa issued on a portal) says nothing of the time to a decision."""
    whole = [permit for permit in permits if ProcessingBasis.is_time_to_decision(permit.processing_basis)]
    return {**_range(whole, "processing_days_min", "processing_days_max"), "step_only": len(permits) - len(whole)}


def _processing_text(permit):
    """One permit's processing time in a CSV cell: "sa-domestic-worker-visa: up to 1 days (step)"."""
    low, high = permit["processing_days_min"], permit["processing_days_max"]
    if low is None and high is None:
        return f"{permit['code']}: not known"
    if low is None:
        days = f"up to {high}"
    elif high is None or high == low:
        days = f"{low}" if high == low else f"at least {low}"
    else:
        days = f"{low}-{high}"
    return f"{permit['code']}: {days} days ({permit['processing_basis'] or 'basis not known'})"


def _fee_ranges(permits):
    ranges, unknown = {}, 0
    for permit in permits:
        for fee in permit.fees.all():
            if fee.amount is None:
                unknown += 1
                continue
            key = (fee.payer, fee.currency)
            low, high = ranges.get(key, (fee.amount, fee.amount))
            ranges[key] = (min(low, fee.amount), max(high, fee.amount))
    return {
        "ranges": [
            {"payer": payer, "currency": currency, "min": str(low), "max": str(high)}
            for (payer, currency), (low, high) in sorted(ranges.items())
        ],
        "amount_unknown": unknown,
    }


def _range(permits, low_field, high_field):
    lows = [getattr(permit, low_field) for permit in permits if getattr(permit, low_field) is not None]
    highs = [getattr(permit, high_field) for permit in permits if getattr(permit, high_field) is not None]
    unknown = sum(1 for permit in permits if getattr(permit, low_field) is None and getattr(permit, high_field) is None)
    return {"min": min(lows, default=None), "max": max(highs, default=None), "unknown": unknown}


def _max(permits, field):
    return max((getattr(permit, field) for permit in permits if getattr(permit, field) is not None), default=None)


def _tally(permits, field):
    values = [getattr(permit, field) for permit in permits]
    return {
        "yes": sum(1 for value in values if value is True),
        "no": sum(1 for value in values if value is False),
        "unknown": sum(1 for value in values if value is None),
    }


def _regime(regime):
    if regime is None:
        return None
    return {
        "country": regime.country_id,
        "worker_fee_rule": regime.worker_fee_rule or None,
        "worker_fee_cap": str(regime.worker_fee_cap) if regime.worker_fee_cap is not None else None,
        "worker_fee_cap_currency": regime.worker_fee_cap_currency or None,
        "worker_fee_note": str(regime.worker_fee_note),
        "sources": sorted(source.key for source in regime.legal_sources.all()),
        "last_verified": regime.last_verified.isoformat() if regime.last_verified else None,
    }


def _visa(visa):
    if visa is None:
        return None
    return {"requirement": visa.requirement, "days": visa.days, "source": visa.source, "as_of": visa.as_of.isoformat()}


def _schengen(rows):
    """The latest year's figures of the destination's consulates in the origin country, or None."""
    if not rows:
        return None
    year = max(row.year for row in rows)
    latest = [row for row in rows if row.year == year]
    issued = sum(row.issued + row.limited_validity_issued for row in latest)
    not_issued = sum(row.not_issued for row in latest)
    decided = issued + not_issued
    return {
        "year": year,
        "consulates": sorted(row.consulate_city for row in latest),
        "applications": sum(row.applications for row in latest),
        "issued": issued,
        "not_issued": not_issued,
        "refusal_rate": str((Decimal(not_issued) / decided).quantize(Decimal("0.0001"))) if decided else None,
        "source": latest[0].source,
    }


def _fee_text(fees, payer):
    return "; ".join(
        f"{item['min']}–{item['max']} {item['currency']}"
        if item["min"] != item["max"]
        else f"{item['min']} {item['currency']}"
        for item in fees["ranges"]
        if item["payer"] == payer
    )


def _tally_text(tally):
    return f"yes {tally['yes']}, no {tally['no']}, unknown {tally['unknown']}"


def _cap_text(regime):
    if not regime or regime["worker_fee_cap"] is None:
        return None
    return f"{regime['worker_fee_cap']} {regime['worker_fee_cap_currency'] or ''}".strip()
