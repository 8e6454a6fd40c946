"""The country, corridor and agreement pages: server-rendered, only published data, no JavaScript needed.

A data app's pages stand above the data of its sibling apps: the country and corridor pages read the
permits and recruiters selectors (never their models' queries directly).
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from core.pages import page_of
from core.templatetags.hub import is_stale
from permits import selectors as permit_selectors
from recruiters import selectors as recruiter_selectors

from . import selectors
from .forms import CorridorPickForm
from .models import Agreement, Corridor


def country_detail(request, code):
    country = selectors.country_get(code)
    if country is None:
        raise Http404
    if code != country.pk:
        return redirect("countries:country", code=country.pk, permanent=True)
    permits = list(permit_selectors.permit_published_list().filter(country=country))
    agreements = list(selectors.agreement_published_list().filter(parties=country))
    regime = recruiter_selectors.regime_page_get(country)
    dated = [item.last_verified for item in [*permits, *agreements, regime] if item is not None]
    services = [agreement for agreement in agreements if agreement.is_service]
    corridors = Corridor.objects.filter(origin=country).select_related("destination").order_by("destination__name")
    official_facts, cited_facts = selectors.official_source_share(
        *permit_selectors.permit_source_citations(country),
        selectors.agreement_source_citations(country),
        recruiter_selectors.regime_source_citations(country),
    )
    return render(
        request,
        "pages/country_detail.html",
        {
            "country": country,
            "permits": permits,
            "agreements": [agreement for agreement in agreements if not agreement.is_service],
            "services": services,
            "regime": regime,
            "contacts": selectors.contact_point_list(country),
            "corridors_from": corridors,
            "oldest_verified": min((day for day in dated if day), default=None),
            "stale_count": sum(1 for day in dated if is_stale(day)),
            "dated_count": len(dated),
            "official_facts": official_facts,
            "cited_facts": cited_facts,
            "official_percent": round(100 * official_facts / cited_facts) if cited_facts else None,
        },
    )


def corridor_list(request):
    form = CorridorPickForm(request.GET or None, origins=selectors.origin_list())
    corridors = selectors.corridor_page_list()
    if form.is_valid():
        corridors = corridors.filter(origin=form.cleaned_data["origin"])
    return render(request, "pages/corridor_list.html", {"form": form, "corridors": corridors})


def corridor_detail(request, origin, destination):
    origin_country, destination_country = selectors.country_get(origin), selectors.country_get(destination)
    if origin_country is None or destination_country is None or origin_country == destination_country:
        raise Http404
    if (origin, destination) != (origin_country.pk, destination_country.pk):
        return redirect(
            "countries:corridor", origin=origin_country.pk, destination=destination_country.pk, permanent=True
        )
    today = timezone.localdate()
    agreements = selectors.corridor_agreement_list(origin=origin_country, destination=destination_country)
    in_force_ids = set(agreements.in_force(today).values_list("pk", flat=True))
    in_force = [a for a in agreements if a.pk in in_force_ids and not a.is_service]
    origin_regime = recruiter_selectors.regime_page_get(origin_country)
    destination_regime = recruiter_selectors.regime_page_get(destination_country)
    intermediaries = {c.pk: c for a in in_force for c in a.intermediaries.all()}
    return render(
        request,
        "pages/corridor_detail.html",
        {
            "origin": origin_country,
            "destination": destination_country,
            "corridor": Corridor.objects.filter(origin=origin_country, destination=destination_country).first(),
            "agreements_in_force": in_force,
            "other_agreements": [a for a in agreements if a.pk not in in_force_ids and not a.is_service],
            "services": [a for a in agreements if a.is_service],
            "permits": permit_selectors.permit_open_list(
                destination=destination_country, nationality=origin_country, on=today
            ),
            "visa": permit_selectors.visa_requirement_get(nationality=origin_country, destination=destination_country),
            "origin_regime": origin_regime,
            "destination_regime": destination_regime,
            "fee_rules": [(origin_country, origin_regime), (destination_country, destination_regime)],
            "social_security": [
                a
                for a in in_force
                if a.type == Agreement.Type.SOCIAL_SECURITY
                or a.pension_portability is not None
                or a.health_coverage is not None
            ],
            "intermediaries": list(intermediaries.values()),
            "origin_contacts": list(selectors.contact_point_list(origin_country)),
            "destination_contacts": list(selectors.contact_point_list(destination_country)),
        },
    )


def agreement_list(request):
    agreements = selectors.agreement_published_list()
    country = selectors.country_get(request.GET.get("country", ""))
    if country is not None:
        agreements = agreements.filter(parties=country)
    return render(
        request,
        "pages/agreement_list.html",
        {"page": page_of(request, agreements), "country": country, "countries": selectors.agreement_party_list()},
    )


def agreement_detail(request, key):
    try:
        agreement = selectors.agreement_page_get(key)
    except Agreement.DoesNotExist:
        raise Http404 from None
    return render(request, "pages/agreement_detail.html", {"agreement": agreement})
