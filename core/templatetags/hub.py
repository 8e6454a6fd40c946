"""Template helpers of the public pages: data freshness and translation fallbacks."""

import datetime

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()


def stale_before(today=None):
    """The day before which a last-verified date counts as possibly out of date."""
    today = today or timezone.localdate()
    months = settings.STALE_AFTER_MONTHS
    year, month = divmod(today.month - 1 - months, 12)
    year += today.year
    month += 1
    # Clamp the day for shorter months (31 March minus one month is 28/29 February).
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@register.filter
def is_stale(day):
    """True when a last-verified date is missing or older than settings.STALE_AFTER_MONTHS."""
    if not day:
        return True
    return day < stale_before()


@register.filter
def in_english(obj, field):
    """True when the page is not in English and `field` has no translation: the English text is shown."""
    language = (get_language() or "en").split("-")[0]
    if language == "en" or obj is None:
        return False
    if not getattr(obj, f"{field}_en", None):
        return False
    return not getattr(obj, f"{field}_{language}", None)


@register.inclusion_tag("pages/includes/freshness.html")
def freshness(day):
    """'Last verified on …', with a warning when the date is old."""
    return {"day": day, "stale": is_stale(day)}


@register.inclusion_tag("pages/includes/sources.html")
def sources(legal_sources):
    return {"sources": legal_sources}


@register.simple_tag
def tr(obj, field, paragraphs=False):
    """A translated field in the page's language; the English text, marked as such, where none exists."""
    value = getattr(obj, field, "") or ""
    body = mark_safe(linebreaks(value)) if paragraphs else value
    if not in_english(obj, field):
        return format_html("{}", body)
    tag = "div" if paragraphs else "span"
    return format_html(
        '<{} lang="en" dir="ltr">{}</{}> <small class="fallback">{}</small>', tag, body, tag, gettext("(in English)")
    )


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each of the other languages: (code, name in that language, URL)."""
    from django.conf import settings
    from django.utils.translation import get_language_info

    request = context["request"]
    current = (get_language() or "en").split("-")[0]
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        links.append((code, get_language_info(code)["name_local"], translate_url(path, code)))
    return links


PLACES = {
    "consulate": _("at a consulate or visa centre"),
    "online": _("online"),
    "in_country": _("in the destination country"),
    "employer": _("the employer applies"),
}


@register.filter
def place(value):
    """A where-to-apply code in words."""
    return PLACES.get(value, value)
