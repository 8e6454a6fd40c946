"""The pages that span the data apps: home, eligibility check, corridor comparison, search, public changes, about."""

from itertools import pairwise
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.api.versioning import changes_between, data_version_current
from core.middleware import PageThrottleMiddleware
from core.pages import page_of
from core.text import route_text
from countries import selectors as country_selectors
from countries.models import Agreement
from permits import selectors as permit_selectors
from permits.models import Fee, ProcessingBasis, VisaRequirement
from recruiters.models import RecruitmentRegime
from submissions.mirror import ReadOnlyMirrorMiddleware
from submissions.reports import report_create

from . import changes, datapackage, reports
from .charts import bar_chart
from .comparison import MAX_CORRIDORS, CorridorError, compare_corridors, parse_corridors
from .datasets import HUB_DATA_LICENCE, REFERENCE_DATASETS
from .eligibility import LIKELY, POSSIBLE, TRAVEL_DOCUMENTS, corridor_programmes, evaluate_all, summary
from .forms import EligibilityForm
from .search import KIND_ORDER, MAX_QUERY_LENGTH
from .search import search as run_search


def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "origins": country_selectors.origin_list(),
            "destinations": permit_selectors.destination_list(),
            "recent_agreements": country_selectors.agreement_published_list().filter(status=Agreement.Status.IN_FORCE)[
                :5
            ],
        },
    )


def about(request):
    """What the hub is, who keeps which country's data, the datasets' licences, how to report a mistake."""
    return render(
        request,
        "pages/about.html",
        {
            "focal_point_countries": country_selectors.focal_point_country_list(),
            "contact_point_countries": country_selectors.contact_point_country_list(),
            "datasets": REFERENCE_DATASETS,
            "hub_data_licence": HUB_DATA_LICENCE,
            "hub_contact_email": settings.HUB_CONTACT_EMAIL,
        },
    )


def change_list(request):
    public = changes.published_changes()
    country = country_selectors.country_get(request.GET.get("country", ""))
    if country is not None:
        public = public.filter(countries=country)
    versions = {key: request.GET.get(key, "") for key in ("after_version", "up_to_version")}
    public = changes_between(public, **versions)
    page = page_of(request, public, 50)
    page.object_list = changes.describe_changes(list(page.object_list))
    return render(request, "pages/change_list.html", {"page": page, "country": country})


def eligibility(request):
    """The eligibility check: the profile travels in the URL (GET), nothing is stored; verdicts first, form folded."""
    form = EligibilityForm(request.GET or None, destinations=permit_selectors.destination_list())
    context = {"form": form, "verdicts": None}
    if form.is_valid():
        chosen, candidates = permit_selectors.occupation_match_get(form.cleaned_data["occupation"])
        applicant = form.applicant(chosen.code if chosen else None)
        answered_on = timezone.localdate()
        verdicts = evaluate_all(applicant, answered_on)
        permits = {verdict.permit_code: verdict.permit for verdict in verdicts}
        sources = country_selectors.legal_source_map_get(
            {key for verdict in verdicts for reason in verdict.reasons for key in reason.sources}
        )
        context.update(
            {
                "summary": summary(verdicts),
                "best": [verdict.permit for verdict in verdicts if verdict.verdict == LIKELY][:3]
                or [verdict.permit for verdict in verdicts if verdict.verdict == POSSIBLE][:3],
                "verdicts": [
                    {
                        "verdict": verdict,
                        "open_points": [r for r in verdict.reasons if r.status != "met"],
                        "met": [r for r in verdict.reasons if r.status == "met"],
                        "changes": verdict.changes,
                        # The permit page's recognition section, for the occupation named, where it counts.
                        "recognition_link": bool(chosen)
                        and (
                            bool(verdict.permit.recognition_required)
                            or any(reason.code == "regulated" for reason in verdict.reasons)
                        ),
                        "sources": sorted(
                            {sources[key] for r in verdict.reasons for key in r.sources if key in sources},
                            key=lambda source: (source.title, source.article),
                        ),
                    }
                    for verdict in verdicts
                ],
                "chosen_occupation": chosen,
                "occupations": candidates,
                "programmes": [
                    {
                        "agreement": programme.agreement,
                        "permits": [permits[code] for code in programme.permit_codes],
                    }
                    for programme in corridor_programmes(verdicts)
                ],
                "travel_document": TRAVEL_DOCUMENTS.get(applicant.travel_document),
                # What a printed answer says it rests on: the day of the check and the data version (the
                # token of the API's X-Data-Version and of the downloads, whose changes page lists what changed).
                "answered_on": answered_on,
                "data_version": data_version_current().token,
            }
        )
    return render(request, "pages/eligibility.html", context)


def _corridor_choices():
    corridors = country_selectors.corridor_page_list()
    return [(f"{c.origin_id}-{c.destination_id}", route_text(c.origin.name, c.destination.name)) for c in corridors]


def compare(request):
    """2–4 corridors side by side (the engine's comparison), with bar charts drawn on the server."""
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
    payers = dict(Fee.Payer.choices)
    bases = dict(ProcessingBasis.choices)
    for item in results:
        item["label"] = route_text(item["origin"]["code"], item["destination"]["code"])
        item["fee_lines"] = [
            {**fee, "payer_label": payers.get(fee["payer"], fee["payer"])} for fee in item["fees"]["ranges"]
        ]
        for permit in item["permits_open"]["permits"]:
            permit["processing_basis_label"] = bases.get(permit["processing_basis"], "")
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


def search(request):
    """Permits, agreements, agencies and occupations matching the words typed (the engine's search)."""
    # NUL bytes cannot reach PostgreSQL; nobody types them.
    query = " ".join(request.GET.get("q", "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    language = (request.LANGUAGE_CODE or "en").split("-")[0]
    groups = {kind: [] for kind in KIND_ORDER}
    if query:
        for result in run_search(query, language, limit=50):
            groups.setdefault(result.kind, []).append(result)
    return render(
        request,
        "pages/search.html",
        {"query": query, "groups": [(kind, groups[kind]) for kind in KIND_ORDER], "searched": bool(query)},
    )


def downloads(request):
    """The bulk downloads of the published data: the latest package and the previous versions, each
    but the oldest with the changes since the one before it (the changes page between their versions)."""
    packages = datapackage.package_list()
    for entry in packages:  # shown in the page language's date and time format, like the changes page
        entry["data_as_of"] = parse_datetime(entry["data_version_time"] or "")
    for entry, older in pairwise(packages):  # newest first
        entry["previous_data_version"] = older["data_version"]
    return render(
        request,
        "pages/downloads.html",
        {"latest": packages[0] if packages else None, "previous": packages[1:], "hub_data_licence": HUB_DATA_LICENCE},
    )


def report(request):
    """Report a wrong or missing fact: the fact named in the query (?fact=<model>&key=<key>), a short
    form without account or JavaScript; the report goes to the focal points of the fact's countries."""
    label, key = request.GET.get("fact", ""), request.GET.get("key", "")
    fact = reports.fact_get(label, key)
    if fact is None:
        raise Http404(_("There is no such fact to report."))
    page = request.GET.get("page", "")
    if not page.startswith("/") or page.startswith("//") or "\x00" in page:
        page = ""  # only a page of this site: the admin links to it
    context = {"fact": fact, "kind": fact._meta.verbose_name, "page": page, "mirror_of": settings.MIRROR_OF}
    if request.GET.get("sent") == "1" and request.method != "POST":
        return render(request, "pages/report.html", {**context, "sent": True})
    form = reports.ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if settings.MIRROR_OF:
            return ReadOnlyMirrorMiddleware.refuse(request)
        throttle = reports.ReportThrottle()
        if not throttle.allow_request(request, None):
            return PageThrottleMiddleware._throttled(request, throttle.wait())
        if request.POST.get(reports.HONEYPOT):
            # Stored nowhere; told plainly, in case a person's browser filled the hidden field.
            return render(request, "pages/report.html", {**context, "refused": True}, status=400)
        if form.is_valid():
            report_create(
                fact=fact,
                message=form.cleaned_data["message"],
                source_url=form.cleaned_data["source_url"],
                email=form.cleaned_data["email"],
                language=(request.LANGUAGE_CODE or "en").split("-")[0],
                page=page,
            )
            query = urlencode({"fact": label, "key": key, "page": page, "sent": "1"})
            return redirect(f"{request.path}?{query}")
    return render(request, "pages/report.html", {**context, "form": form}, status=400 if form.errors else 200)
