"""Template tags of the open data: the schema.org JSON-LD of the permit and agreement pages, and the
mirror banner."""

import json

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from core.api.versioning import data_version_current

from .. import jsonld

register = template.Library()

# What may not appear raw inside a <script> element (as django.utils.html.json_script escapes).
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _script(document):
    text = json.dumps(document, ensure_ascii=False, sort_keys=True).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def permit_jsonld(context, permit):
    """schema.org GovernmentService of a permit page."""
    request = context["request"]
    return _script(jsonld.permit_schema_org(permit, page_url=request.build_absolute_uri(request.path)))


@register.simple_tag(takes_context=True)
def agreement_jsonld(context, agreement):
    """schema.org Legislation of an agreement page."""
    request = context["request"]
    return _script(jsonld.agreement_schema_org(agreement, page_url=request.build_absolute_uri(request.path)))


@register.inclusion_tag("pages/includes/mirror_banner.html")
def mirror_banner():
    """On a mirror (MIRROR_OF set): whose data this is and as of when."""
    if not settings.MIRROR_OF:
        return {"mirror_of": ""}
    return {"mirror_of": settings.MIRROR_OF, "data_as_of": data_version_current().last_change_time}
