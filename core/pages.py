"""What every public page shares."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def page_of(request, queryset, size=PAGE_SIZE):
    """One page of `queryset`; a missing, odd or too-high page number gives the first or last page."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))
