"""Text as people type and read it in the hub's four languages: digits, typed numbers, sort order, direction.

The ground floor: plain functions on strings, used by the forms, the API and the template tags alike.
"""

import functools
import re

import pyuca
from django.utils.translation import get_language_bidi

# Arabic-Indic and Eastern Arabic-Indic (Persian) digits, as a phone keyboard types them.
EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)

ARABIC_DECIMAL_SEPARATOR = "\u066b"  # ٫
ARABIC_THOUSANDS_SEPARATOR = "\u066c"  # ٬
# Ways of grouping digits that never mean a decimal point: spaces (plain, no-break, narrow, thin),
# apostrophes, the Arabic thousands separator, and the direction marks a phone keyboard may slip in.
_GROUPING = re.compile("[\\s\u00a0\u202f\u2009'’\u066c\u200e\u200f\u061c]")
_SEPARATOR = re.compile("[.,]")


def digits_latin(text):
    """`text` with Arabic-Indic and Persian digits as Latin ones: "١٤٧٠" is "1470"."""
    return str(text).translate(EASTERN_DIGITS)


def number_normalise(text):
    """A number as a person typed it, written the way Decimal() and int() read it.

    Any digits ("٤٦٠٠٠", "۴۶۰۰۰"), any grouping ("46 000", "46.000", "46,000", "٤٦٬٠٠٠") and either decimal
    mark ("46000,5", "46000.5", "٤٦٠٠٠٫٥") give "46000" or "46000.5". When both "," and "." appear, the last
    one is the decimal mark. A lone one followed by exactly three digits groups thousands, in every language:
    the hub's amounts have at most two decimals, so "46,000" is never forty-six. Anything that is not a
    number is returned (without its spaces) for the field to refuse.
    """
    value = _GROUPING.sub("", digits_latin(text)).replace(ARABIC_DECIMAL_SEPARATOR, ".")
    marks = _SEPARATOR.findall(value)
    if not marks:
        return value
    if len(set(marks)) == 2:
        decimal = marks[-1]
        grouping = "," if decimal == "." else "."
        return value.replace(grouping, "").replace(decimal, ".")
    mark = marks[0]
    head, _, tail = value.rpartition(mark)
    if len(marks) > 1 or (len(tail) == 3 and tail.isdigit() and head.lstrip("+-") not in ("", "0")):
        return value.replace(mark, "")
    return f"{head}.{tail}"


@functools.cache
def _collator():
    # The Unicode Collation Algorithm with its default table (DUCET, the CLDR root order): the order of
    # English, French and German dictionaries, and of the Arabic alphabet. Loaded once, on first use.
    return pyuca.Collator()


@functools.lru_cache(maxsize=4096)
def collation_key(text):
    """The sort key of `text` in the Unicode collation order: "Égypte" sorts with "Egypte", before "Espagne"."""
    return _collator().sort_key(str(text or ""))


def collated(items, key=str):
    """`items` sorted by the collation order of key(item) (by default the item as text)."""
    return sorted(items, key=lambda item: collation_key(key(item)))


# First strong isolate … pop directional isolate: the plain-text twin of <bdi>, for option labels and SVG.
FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolated(text):
    """`text` wrapped in Unicode isolates, so that its direction cannot reorder the words around it."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def reading_arrow(rtl=None):
    """The arrow that points the way the page reads: → left to right, ← right to left (page direction by default).

    Arrows are not mirrored by the bidirectional algorithm (unlike "›", which is), so the page must choose.
    """
    if rtl is None:
        rtl = get_language_bidi()
    return "←" if rtl else "→"


def route_text(origin, destination, rtl=None):
    """Origin, arrow, destination as plain text, the origin first in the reading direction ("المغرب ← ألمانيا")."""
    return f"{isolated(origin)} {reading_arrow(rtl)} {isolated(destination)}"


_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+")

# Function words and letters that only one language of the hub's texts uses. Written by hand because the
# texts are short titles and names: a statistical detector needs longer text (and a model); these words
# decide the hub's sources (English, French, German, Dutch for Belgium) reliably or not at all.
_FUNCTION_WORDS = {
    "en": {"the", "of", "and", "for", "to", "with", "by", "from", "on", "at", "is", "are", "be", "or", "an", "this",
           "that", "which", "under", "into", "your", "you", "who", "may", "must", "not", "has", "have", "their"},
    "fr": {"le", "la", "les", "de", "des", "du", "et", "pour", "au", "aux", "un", "une", "sur", "par", "dans",
           "est", "sont", "à", "l", "d", "qui", "que", "avec", "ou", "ne", "pas", "ce", "cette", "son", "sa",
           "ses", "leur", "vous", "relative", "relatif"},
    "de": {"der", "die", "das", "den", "dem", "und", "für", "von", "zu", "zur", "zum", "mit", "im", "ist",
           "sind", "ein", "eine", "einer", "eines", "auf", "nach", "bei", "über", "aus", "oder", "nicht", "wird",
           "werden", "als", "vom", "beim"},
    "nl": {"het", "een", "van", "voor", "met", "op", "te", "zijn", "bij", "door", "aan", "niet", "naar", "om",
           "wordt", "worden", "ook", "uit"},
}  # fmt: skip
_LETTERS = {"fr": set("éèêëàâçœùûôîï"), "de": set("äöüß")}
# German nouns end so (Aufenthaltsgesetz, Beratung, Staatsangehörigkeit); English words of more than five
# letters rarely do.
_GERMAN_ENDINGS = ("ung", "ungen", "keit", "heit", "schaft", "gesetz", "gesetzes", "verfahren", "verfahrens")


def text_language(text, default, trusted=False):
    """The language `text` is written in, as far as its letters and function words tell; else `default`.

    Arabic script is Arabic. A Latin-script text is French, German, Dutch or English when its function
    words (and accented letters) say so clearly; a text too short to tell keeps `default`, the language
    the data says it is in (English, for Latin text said to be Arabic). `trusted`: `default` is known
    (a translation into that language), only the script is checked.
    """
    text = str(text or "")
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if arabic > latin:
        return "ar"
    if not latin:
        return default
    if default == "ar":
        default, trusted = "en", False
    if trusted:
        return default
    scores = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(text.lower()):
        for language, words in _FUNCTION_WORDS.items():
            if word in words:
                scores[language] += 2
        for language, letters in _LETTERS.items():
            if letters.intersection(word):
                scores[language] += 1
        if len(word) > 5 and word.endswith(_GERMAN_ENDINGS):
            scores["de"] += 1
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, best_score), (_second, second_score) = ranked[0], ranked[1]
    if best_score and best_score > second_score:
        return best
    return default
