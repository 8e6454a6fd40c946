"""The permit list and the permit page (with its printable checklist)."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.pages import page_of

from . import selectors
from .forms import PermitFilterForm
from .models import PermitCategory


def permit_list(request):
    form = PermitFilterForm(request.GET or None, destinations=selectors.destination_list())
    permits = selectors.permit_published_list()
    occupations = []
    chosen_occupation = None
    if form.is_valid():
        if form.cleaned_data["destination"]:
            permits = permits.filter(country=form.cleaned_data["destination"])
        text = form.cleaned_data["occupation"]
        if text:
            chosen_occupation, occupations = selectors.occupation_match_get(text)
            if chosen_occupation is not None:
                # A permit open to "any occupation" lists none; otherwise one of the group's ancestors must match.
                permits = permits.for_occupation(chosen_occupation)
    return render(
        request,
        "pages/permit_list.html",
        {
            "form": form,
            "page": page_of(request, permits),
            "occupations": occupations,
            "chosen_occupation": chosen_occupation,
        },
    )


def permit_detail(request, code):
    try:
        permit = selectors.permit_page_get(code)
    except PermitCategory.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    thresholds = list(permit.salary_thresholds.all())
    current = [threshold for threshold in thresholds if threshold.is_valid_on(today)]
    return render(
        request,
        "pages/permit_detail.html",
        {
            "permit": permit,
            "current_thresholds": current,
            "other_thresholds": [t for t in thresholds if t not in current],
            "documents": list(permit.documents.all()),
            "fees": list(permit.fees.all()),
            **_recognition(request, permit),
        },
    )


def _recognition(request, permit):
    """The permit page's recognition section: the ways in (the occupations the destination has
    recognition rows for), and for the visitor's occupation (?occupation=, words or an ISCO code, as
    on the permit list and the eligibility check, which links here with it) how it is recognised."""
    occupations = list(selectors.recognition_occupation_list(permit.country_id))
    text = request.GET.get("occupation", "").strip()[:200]
    chosen, candidates = selectors.occupation_match_get(text) if occupations else (None, [])
    return {
        "recognition_occupations": occupations,
        "recognition_asked": text,
        "recognition_occupation": chosen,
        "recognition_candidates": candidates if chosen is None else [],
        "recognition_rows": selectors.recognition_list(permit.country_id, chosen.code) if chosen else [],
    }
