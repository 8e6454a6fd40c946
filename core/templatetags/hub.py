"""Template helpers of the public pages: freshness, translated texts and their languages, direction, lists,
money and dates as each language writes them."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core import freshness as freshness_rule
from core.models import TextTranslation, TrackedModel
from core.text import collation_key, reading_arrow, route_text, text_language
from core.translations import is_content_model, text_marks, translated_fields

register = template.Library()


@register.filter
def is_stale(day):
    """True when a last-verified date is missing or older than settings.STALE_AFTER_MONTHS."""
    return freshness_rule.is_stale(day)


@register.inclusion_tag("pages/includes/freshness.html")
def freshness(day):
    """'Last verified on …', with a warning when the date is old."""
    return {"day": day, "stale": is_stale(day)}


@register.inclusion_tag("pages/includes/sources.html", takes_context=True)
def sources(context, legal_sources):
    # The request goes along: the texts' marks are read once per request (core.translations.text_marks).
    return {"sources": legal_sources, "request": context.get("request")}


# Whole phrases, not "(in %s)": each language says "in French" its own way ("en français", "auf Französisch").
IN_LANGUAGE = {
    "en": _("(in English)"),
    "fr": _("(in French)"),
    "ar": _("(in Arabic)"),
    "de": _("(in German)"),
    "nl": _("(in Dutch)"),
    "it": _("(in Italian)"),
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


# How a translation is marked: the hub's own is said to be one, with its original one click away; one
# whose original changed since it was made or reviewed says so. Official and reviewed texts are not marked.
HUB_TRANSLATION = _("(the hub's translation)")
OUT_OF_DATE = _("translation may be out of date")
SHOW_ORIGINAL = _("Show the original")
RIGHT_TO_LEFT = {"ar"}


@dataclass(frozen=True)
class Translation:
    """What a shown translation is: its kind and freshness, and the original it was made from."""

    kind: str
    out_of_date: bool
    original: str
    original_language: str

    @property
    def marked(self):
        return self.out_of_date or self.kind not in (TextTranslation.Kind.OFFICIAL, TextTranslation.Kind.REVIEWED)


def _content_text(obj, field, marks):
    """(text, its language, Translation or None) of a content row's field on this page, from the
    row's recorded text kinds (core.translations)."""
    language, default = page_language(), settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    original = getattr(obj, f"{field}_{default}", "") or ""
    recorded = marks.original_language(obj, field)
    if recorded:
        original_language = text_language(original, recorded, trusted=True)
    else:
        original_language = text_language(original, getattr(obj, "original_language", None) or default)
    value = (getattr(obj, f"{field}_{language}", "") or "") if language != default else ""
    if not value or original_language == language:
        return (value or original), (language if value else original_language), None
    kind, out_of_date = marks.kind(obj, field)
    return (
        value,
        text_language(value, language, trusted=True),
        Translation(kind, out_of_date, original, original_language),
    )


def _is_content(obj, field):
    return (
        isinstance(obj, TrackedModel)
        and obj.pk is not None
        and is_content_model(type(obj))
        and field in translated_fields(type(obj))
    )


def _isolated(value, language, paragraphs):
    """The text isolated (<bdi>, or a paragraph block with dir="auto"), with lang="xx" and "(in French)"
    when it is not in the page's language."""
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


WORDS = re.compile(r"[^\W\d_]{2,}")


@register.simple_tag
def plain(value, language=None):
    """A text that is not translated (a publisher's name, an article, a label that matched a search),
    isolated and, when it is in another language than the page's (`language` when the data knows it,
    else as its words show), marked with lang="xx" and "(in German)" like a translated field."""
    if not value:
        return ""
    value = str(value)
    if language:
        return _isolated(value, language, False)
    if len(WORDS.findall(value)) < 2:  # a code or an article number ("§ 18a", "Art. 4") is in no language
        return format_html("<bdi>{}</bdi>", value)
    return _isolated(value, text_language(value, page_language()), False)


@register.simple_tag(takes_context=True)
def source_text(context, source, field):
    """A legal source's untranslated `article` or `publisher`, isolated, in the language its words show,
    else: the article ("§ 18g, § 18 Abs. 2 Nr. 5 AufenthG") in the language of the source's title (its
    recorded original language), the publisher (a name, or a note the hub wrote in English: "employers'
    association, reporting the BMI notice") in the default language. So a German law's article is never
    marked "(in English)", and an English note is never taken for French on a French page."""
    value = getattr(source, field)
    if not value:
        return ""
    written_in = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if field == "article":
        marks = text_marks(context.get("request"), page_language())
        written_in = marks.original_language(source, "title") or written_in
    if len(WORDS.findall(value)) < 2:
        return format_html("<bdi>{}</bdi>", value)
    return _isolated(value, text_language(value, written_in), False)


def translation_mark(translation):
    """The words that mark a translation: "(the hub's translation)", and that it may be out of date."""
    words = []
    if translation.kind not in (TextTranslation.Kind.OFFICIAL, TextTranslation.Kind.REVIEWED):
        words.append(str(HUB_TRANSLATION))
    if translation.out_of_date:
        words.append(str(OUT_OF_DATE))
    return " · ".join(words)


def original_block(translation):
    """The original of a translation, in its own language and direction, behind a <summary> (no JavaScript)."""
    language = translation.original_language
    return format_html(
        '<details class="original"><summary>{} {}</summary><div lang="{}" dir="{}">{}</div>'
        ' <small class="fallback">{}</small></details>',
        format_html('<span class="translation-mark">{}</span>', translation_mark(translation)),
        SHOW_ORIGINAL,
        language,
        "rtl" if language in RIGHT_TO_LEFT else "ltr",
        mark_safe(linebreaks(translation.original, autoescape=True)),
        IN_LANGUAGE.get(language, ""),
    )


@register.simple_tag(takes_context=True)
def tr(context, obj, field, paragraphs=False):
    """A translated field in the page's language, or the text shown in its place, isolated and marked.

    The one way pages show a translated text. It is always isolated (<bdi>, or dir="auto" for paragraphs),
    so a Latin title cannot scramble an Arabic line; a text in another language than the page's carries
    lang="xx" and says which language it is in: "(in French)", never "(in English)" for a French text.
    The hub's own translation of a content row says so, "(the hub's translation)", and "translation may
    be out of date" when its original changed since; a paragraph shows its original behind a <details>
    (an inline text, in a heading or a link, cannot hold one: `{% originals obj %}` shows them). Official
    texts and reviewed translations are not marked.
    """
    if obj is None:
        return ""
    translation = None
    if _is_content(obj, field):
        marks = text_marks(context.get("request"), page_language())
        value, language, translation = _content_text(obj, field, marks)
    else:
        value, language = shown_text(obj, field)
    if not value:
        return ""
    html = _isolated(value, language, paragraphs)
    if translation is None or not translation.marked:
        return html
    if paragraphs and translation.original:
        return format_html("{}{}", html, original_block(translation))
    return format_html('{} <small class="translation-mark">{}</small>', html, translation_mark(translation))


@register.inclusion_tag("pages/includes/originals.html", takes_context=True)
def originals(context, obj, *fields):
    """The originals of a row's short texts shown as the hub's translations (its name, title), each
    behind a <details>: where a heading or a link holds the text, its original is one click away here."""
    shown = []
    if obj is not None:
        marks = text_marks(context.get("request"), page_language())
        for field in fields or translated_fields(type(obj)):
            if not _is_content(obj, field):
                continue
            _value, _language, translation = _content_text(obj, field, marks)
            if translation is not None and translation.marked and translation.original:
                shown.append(original_block(translation))
    return {"originals": shown}


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
