"""The query of the "Report a wrong or missing fact" link: which fact, from which page."""

from urllib.parse import urlencode

from django import template

from ..reports import fact_label

register = template.Library()


@register.simple_tag
def report_query(fact, page):
    return urlencode({"fact": fact_label(fact), "key": fact.pk, "page": page})
