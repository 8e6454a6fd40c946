"""The public pages: server-rendered, only published data, working without JavaScript."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from countries.models import Agreement, Corridor, Country
from permits.models import PermitCategory

from . import selectors
from .forms import CorridorPickForm, EligibilityForm, LicenceCheckForm, PermitFilterForm
from .templatetags.hub import is_stale

PAGE_SIZE = 20


def _country(code):
    """The country with this ISO code (any case), or None; odd input (NUL bytes, long strings) is None."""
    if not isinstance(code, str) or len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return Country.objects.filter(pk=code.upper()).first()


def _page(request, queryset, size=PAGE_SIZE):
    """One page of `queryset`; a missing, odd or too-high page number gives the first or last page."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "origins": selectors.origins(),
            "destinations": selectors.destinations(),
            "recent_agreements": selectors.agreements_published().filter(status=Agreement.Status.IN_FORCE)[:5],
        },
    )


def country_detail(request, code):
    country = _country(code)
    if country is None:
        raise Http404
    if code != country.pk:
        return redirect("pages:country", code=country.pk, permanent=True)
    permits = list(selectors.permits_published().filter(country=country))
    agreements = list(selectors.agreements_published().filter(parties=country))
    regime = selectors.regime_of(country)
    dated = [item.last_verified for item in [*permits, *agreements, regime] if item is not None]
    corridors = Corridor.objects.filter(origin=country).select_related("destination").order_by("destination__name")
    return render(
        request,
        "pages/country_detail.html",
        {
            "country": country,
            "permits": permits,
            "agreements": agreements,
            "regime": regime,
            "contacts": selectors.contacts_of(country),
            "corridors_from": corridors,
            "oldest_verified": min((day for day in dated if day), default=None),
            "stale_count": sum(1 for day in dated if is_stale(day)),
            "dated_count": len(dated),
        },
    )


def permit_list(request):
    destinations = selectors.destinations()
    form = PermitFilterForm(request.GET or None, destinations=destinations)
    permits = selectors.permits_published()
    occupations = []
    chosen_occupation = None
    if form.is_valid():
        if form.cleaned_data["destination"]:
            permits = permits.filter(country=form.cleaned_data["destination"])
        text = form.cleaned_data["occupation"]
        if text:
            chosen_occupation, occupations = _resolve_occupation(text)
            if chosen_occupation is not None:
                # A permit open to "any occupation" lists none; otherwise one of the group's ancestors must match.
                permits = selectors.permits_for_occupation(permits, chosen_occupation)
    return render(
        request,
        "pages/permit_list.html",
        {
            "form": form,
            "page": _page(request, permits),
            "occupations": occupations,
            "chosen_occupation": chosen_occupation,
        },
    )


def permit_detail(request, code):
    try:
        permit = selectors.permit_for_page(code)
    except PermitCategory.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    thresholds = list(permit.salary_thresholds.all())
    current = [
        t for t in thresholds if (not t.valid_from or t.valid_from <= today) and (not t.valid_to or t.valid_to >= today)
    ]
    return render(
        request,
        "pages/permit_detail.html",
        {
            "permit": permit,
            "current_thresholds": current,
            "other_thresholds": [t for t in thresholds if t not in current],
            "documents": list(permit.documents.all()),
            "fees": list(permit.fees.all()),
        },
    )


def corridor_list(request):
    origins = selectors.origins()
    form = CorridorPickForm(request.GET or None, origins=origins)
    corridors = Corridor.objects.select_related("origin", "destination").order_by("origin__name", "destination__name")
    if form.is_valid():
        corridors = corridors.filter(origin=form.cleaned_data["origin"])
    return render(request, "pages/corridor_list.html", {"form": form, "corridors": corridors})


def corridor_detail(request, origin, destination):
    origin_country, destination_country = _country(origin), _country(destination)
    if origin_country is None or destination_country is None or origin_country == destination_country:
        raise Http404
    if (origin, destination) != (origin_country.pk, destination_country.pk):
        return redirect("pages:corridor", origin=origin_country.pk, destination=destination_country.pk, permanent=True)
    today = timezone.localdate()
    agreements = selectors.corridor_agreements(origin=origin_country, destination=destination_country)
    in_force_ids = set(agreements.in_force(today).values_list("pk", flat=True))
    in_force = [a for a in agreements if a.pk in in_force_ids]
    origin_regime = selectors.regime_of(origin_country)
    destination_regime = selectors.regime_of(destination_country)
    intermediaries = {c.pk: c for a in in_force for c in a.intermediaries.all()}
    return render(
        request,
        "pages/corridor_detail.html",
        {
            "origin": origin_country,
            "destination": destination_country,
            "corridor": Corridor.objects.filter(origin=origin_country, destination=destination_country).first(),
            "agreements_in_force": in_force,
            "other_agreements": [a for a in agreements if a.pk not in in_force_ids],
            "permits": selectors.permits_open_to(destination=destination_country, nationality=origin_country, on=today),
            "visa": selectors.visa_requirement(nationality=origin_country, destination=destination_country),
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
            "origin_contacts": list(selectors.contacts_of(origin_country)),
            "destination_contacts": list(selectors.contacts_of(destination_country)),
        },
    )


def agreement_list(request):
    agreements = selectors.agreements_published()
    country = _country(request.GET.get("country", ""))
    if country is not None:
        agreements = agreements.filter(parties=country)
    return render(
        request,
        "pages/agreement_list.html",
        {"page": _page(request, agreements), "country": country, "countries": selectors.agreement_parties()},
    )


def agreement_detail(request, key):
    try:
        agreement = selectors.agreement_for_page(key)
    except Agreement.DoesNotExist:
        raise Http404 from None
    return render(request, "pages/agreement_detail.html", {"agreement": agreement})


def licence_check(request):
    form = LicenceCheckForm(request.GET or None)
    result = None
    if form.is_valid():
        country = form.cleaned_data["country"]
        agency = selectors.agency_by_licence(country=country, licence_number=form.cleaned_data["licence"])
        result = {
            "agency": agency,
            "outcome": selectors.licence_outcome(agency, timezone.localdate()),
            "regime": selectors.regime_of(country),
            "country": country,
        }
    return render(request, "pages/licence_check.html", {"form": form, "result": result})


def change_list(request):
    changes = selectors.published_changes()
    country = _country(request.GET.get("country", ""))
    if country is not None:
        changes = changes.filter(countries=country)
    page = _page(request, changes, 50)
    page.object_list = selectors.describe_changes(list(page.object_list))
    return render(request, "pages/change_list.html", {"page": page, "country": country})


def _resolve_occupation(text):
    """(chosen ISCO unit group or None, candidate groups) for what the person typed."""
    if not text:
        return None, []
    candidates = list(selectors.occupations_matching(text))
    chosen = next((group for group in candidates if group.code == text.strip()), None)
    if chosen is None and len(candidates) == 1:
        chosen = candidates[0]
    return chosen, candidates


def eligibility(request):
    from mobility_hub.eligibility import evaluate_all

    form = EligibilityForm(request.GET or None, destinations=selectors.destinations())
    context = {"form": form, "verdicts": None}
    if form.is_valid():
        chosen, candidates = _resolve_occupation(form.cleaned_data["occupation"])
        verdicts = evaluate_all(form.applicant(chosen.code if chosen else None), timezone.localdate())
        sources = selectors.sources_by_key(
            {key for verdict in verdicts for reason in verdict.reasons for key in reason.sources}
        )
        context.update(
            {
                "verdicts": [
                    {
                        "verdict": verdict,
                        "open_points": [r for r in verdict.reasons if r.status != "met"],
                        "met": [r for r in verdict.reasons if r.status == "met"],
                        "sources": sorted(
                            {sources[key] for r in verdict.reasons for key in r.sources if key in sources},
                            key=lambda source: (source.title, source.article),
                        ),
                    }
                    for verdict in verdicts
                ],
                "chosen_occupation": chosen,
                "occupations": candidates,
            }
        )
    return render(request, "pages/eligibility.html", context)


def _corridor_choices():
    corridors = Corridor.objects.select_related("origin", "destination").order_by("origin__name", "destination__name")
    return [(f"{c.origin_id}-{c.destination_id}", f"{c.origin.name} → {c.destination.name}") for c in corridors]


def compare(request):
    """2–4 corridors side by side (the engine's comparison), with bar charts drawn on the server."""
    from mobility_hub.comparison import MAX_CORRIDORS, CorridorError, compare_corridors, parse_corridors

    choices = _corridor_choices()
    picked = [value.strip() for value in request.GET.getlist("corridor") if value.strip()]
    results, error = None, None
    if picked:
        try:
            results = compare_corridors(parse_corridors(picked[: MAX_CORRIDORS + 1]), timezone.localdate())
        except CorridorError as problem:
            error = str(problem)
    slots = [picked[index] if index < len(picked) else "" for index in range(MAX_CORRIDORS)]
    context = {"choices": choices, "slots": slots, "error": error, "results": results}
    if results:
        context.update(comparison_display(results))
        context["csv_query"] = ",".join(item["corridor"] for item in results)
    return render(request, "pages/compare.html", context)


def comparison_display(results):
    """Labels, links and charts for the comparison table; the figures are the engine's, unchanged."""
    from permits.models import Fee, VisaRequirement
    from recruiters.models import RecruitmentRegime

    from .charts import bar_chart

    payers = dict(Fee.Payer.choices)
    for item in results:
        item["label"] = f"{item['origin']['code']}→{item['destination']['code']}"
        item["fee_lines"] = [
            {**fee, "payer_label": payers.get(fee["payer"], fee["payer"])} for fee in item["fees"]["ranges"]
        ]
        regime = item["recruiter_fees"]
        if regime and regime["worker_fee_rule"]:
            item["recruiter_rule"] = RecruitmentRegime.WorkerFeeRule(regime["worker_fee_rule"]).label
        visa = item["visa"]
        if visa:
            item["visa_label"] = VisaRequirement.Requirement(visa["requirement"]).label
        refusal = item["schengen_refusal"]
        if refusal and refusal["refusal_rate"] is not None:
            item["refusal_percent"] = round(float(refusal["refusal_rate"]) * 100, 1)
    charts = [
        bar_chart(
            _("Permits open to the origin's nationals"),
            [(item["label"], item["permits_open"]["count"], str(item["permits_open"]["count"])) for item in results],
        ),
        bar_chart(
            _("Longest processing time (days)"),
            [
                (item["label"], item["processing_days"]["max"], _known(item["processing_days"]["max"]))
                for item in results
            ],
        ),
        bar_chart(
            _("Schengen short-stay visas not issued (%)"),
            [(item["label"], item.get("refusal_percent"), _known(item.get("refusal_percent"))) for item in results],
        ),
    ]
    return {"charts": [chart for chart in charts if chart]}


def _known(value):
    return str(value) if value is not None else str(_("not known"))


SEARCH_KIND_ORDER = ("permit", "agreement", "agency", "occupation")


def search(request):
    """Permits, agreements, agencies and occupations matching the words typed (the engine's search)."""
    from mobility_hub.search import MAX_QUERY_LENGTH
    from mobility_hub.search import search as run_search

    # NUL bytes cannot reach PostgreSQL; nobody types them.
    query = " ".join(request.GET.get("q", "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    language = (request.LANGUAGE_CODE or "en").split("-")[0]
    groups = {kind: [] for kind in SEARCH_KIND_ORDER}
    if query:
        for result in run_search(query, language, limit=50):
            groups.setdefault(result.kind, []).append(result)
    return render(
        request,
        "pages/search.html",
        {"query": query, "groups": [(kind, groups[kind]) for kind in SEARCH_KIND_ORDER], "searched": bool(query)},
    )
