"""Template helpers of the public pages: freshness, translated texts and their languages, direction, lists,
money and dates as each language writes them."""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.text import collation_key, reading_arrow, route_text, text_language

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


@register.inclusion_tag("pages/includes/freshness.html")
def freshness(day):
    """'Last verified on …', with a warning when the date is old."""
    return {"day": day, "stale": is_stale(day)}


@register.inclusion_tag("pages/includes/sources.html")
def sources(legal_sources):
    return {"sources": legal_sources}


# Whole phrases, not "(in %s)": each language says "in French" its own way ("en français", "auf Französisch").
IN_LANGUAGE = {
    "en": _("(in English)"),
    "fr": _("(in French)"),
    "ar": _("(in Arabic)"),
    "de": _("(in German)"),
    "nl": _("(in Dutch)"),
}


def page_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def shown_text(obj, field):
    """(the text a page shows for `field` of `obj`, the language it is written in).

    A translation into the page's language is taken to be in that language (unless its script says
    otherwise). The original (the default language's field, which django-modeltranslation falls back to,
    and which holds a text in whatever language it was published: French for a French decree) is in the
    language the object declares (`original_language`, where a model records it), else in the one its
    letters and words show (core.text.text_language), else in the default language. A dict or
    a plain object (the comparison's rows, search hits) says nothing of its translations: its text is in
    the language it declares (`language`), else judged by its words, else taken to be the page's.
    """
    language = page_language()
    if isinstance(obj, dict):
        value, declared = obj.get(field) or "", obj.get("language")
        return value, declared or text_language(value, language)
    value = getattr(obj, field, "") or ""
    original = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if not hasattr(obj, f"{field}_{original}"):
        return value, getattr(obj, "language", None) or text_language(value, language)
    if language != original and getattr(obj, f"{field}_{language}", None):
        return value, text_language(value, language, trusted=True)
    return value, text_language(value, getattr(obj, "original_language", None) or original)


@register.simple_tag
def tr(obj, field, paragraphs=False):
    """A translated field in the page's language, or the text shown in its place, isolated and marked.

    The one way pages show a translated text. It is always isolated (<bdi>, or dir="auto" for paragraphs),
    so a Latin title cannot scramble an Arabic line; a text in another language than the page's carries
    lang="xx" and says which language it is in: "(in French)", never "(in English)" for a French text.
    """
    if obj is None:
        return ""
    value, language = shown_text(obj, field)
    if not value:
        return ""
    body = mark_safe(linebreaks(value, autoescape=True)) if paragraphs else value
    foreign = language != page_language()
    lang = format_html(' lang="{}"', language) if foreign else ""
    if paragraphs:
        html = format_html('<div dir="auto"{}>{}</div>', lang, body)
    else:
        html = format_html("<bdi{}>{}</bdi>", lang, body)
    if not foreign:
        return html
    return format_html('{} <small class="fallback">{}</small>', html, IN_LANGUAGE.get(language, ""))


@register.simple_tag
def route(origin, destination, text=False):
    """Origin, arrow, destination: each name isolated, the arrow pointing the reading direction.

    text=True gives plain text (for <title> and option labels), with Unicode isolates instead of <bdi>.
    """
    if text:
        return route_text(origin, destination)
    return format_html("<bdi>{}</bdi> {} <bdi>{}</bdi>", origin, reading_arrow(), destination)


def _text_at(item, path):
    for part in path:
        if part.isdigit():
            item = item[int(part)]
        elif isinstance(item, dict):
            item = item[part]
        else:
            item = getattr(item, part)
    return item


@register.filter
def collated(items, paths=""):
    """`items` in the collation order of the visitor's language, not code-point order ("Égypte" before "Espagne").

    `paths` names the texts to sort by, comma-separated: "name", "origin.name,destination.name", "1" (the
    second element of each pair). Names are already in the page's language (django-modeltranslation).
    """
    keys = [path.split(".") for path in paths.split(",")] if paths else [[]]
    return sorted(items, key=lambda item: tuple(collation_key(_text_at(item, path)) for path in keys))


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def amount(value):
    """A number with the page language's decimal mark and thousands grouping (55,770.00; 55 770,00; 55.770,00)."""
    number = _decimal(value)
    if number is None:
        return ""
    places = max(0, -number.as_tuple().exponent)
    return format_html("<bdi>{}</bdi>", number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True))


@register.filter
def money(value, currency=""):
    """An amount and its currency code, as the page's language writes them: "55,770.00 EUR", "55 770,00 EUR".

    The one filter of every page that shows money. Number and code are each isolated, so on an Arabic page
    the amount reads first, right to left, and the code follows it.
    """
    figure = amount(value)
    if not figure:
        return ""
    if not currency:
        return format_html('<span class="amount">{}</span>', figure)
    return format_html('<span class="amount">{} <bdi>{}</bdi></span>', figure, currency)


@register.filter
def day(value):
    """A date in the page language's one date format, in a <time> element; a date or an ISO date string."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return format_html('<time datetime="{}">{}</time>', value.isoformat()[:10], date_format(value, "DATE_FORMAT"))


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each of the other languages: (code, name in that language, URL)."""
    request = context["request"]
    current = page_language()
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
