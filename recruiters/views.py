"""The licence check page: is licence X of country Y valid today?"""

from django.shortcuts import render
from django.utils import timezone

from . import selectors
from .forms import LicenceCheckForm


def licence_check(request):
    form = LicenceCheckForm(request.GET or None)
    result = None
    if form.is_valid():
        country = form.cleaned_data["country"]
        check = selectors.licence_check_get(
            country=country,
            licence_number=form.cleaned_data["licence"],
            today=timezone.localdate(),
            agencies=selectors.agency_page_list(),
        )
        result = {
            "agency": check.agency,
            "outcome": check.outcome,
            "regime": check.regime,
            "register": check.register,
            "licence_number": check.licence_number,
            "country": country,
        }
    return render(request, "pages/licence_check.html", {"form": form, "result": result})
