"""Words as search compares them, the same on SQLite and PostgreSQL: one normalisation, applied to the
stored labels and to what a person types, and one ranking of how well a label matches.

The ground floor: plain functions on strings (and the one Django expression that ranks a match in the
database), used by the occupation labels, the occupation picker and the site search. Written by hand:
the stemmers of the libraries (Snowball, PostgreSQL's dictionaries) run in one database only or strip
far more than the plural, and the Arabic rules a search box needs are a handful of letters.

What is equal: case (INFIRMIÈRE = infirmière), accents (infirmière = infirmiere), ß and ss, œ and oe;
the Arabic hamza forms of alef (أ إ آ ٱ → ا, and ؤ ئ → و ي, since the hamza is a combining mark),
alef maqsura and yaa (ى → ي), taa marbuta and haa (ة → ه), Persian kaf and yaa, diacritics (tashkeel)
and tatweel; Arabic-Indic and Persian digits and Latin ones. Punctuation separates words
("aide-soignante" is "aide soignante"), except the German hyphen, which joins a compound ("LKW-Fahrer"
is "lkwfahrer", as "Web-Entwickler" is "Webentwickler"). Then each word loses its plural (and Arabic
its feminine ending) by the rules of its language, and an Arabic word its article and attached prefixes.
A query word found inside a longer word still matches (German compounds: "pfleger" in
"krankenpfleger"), ranked after whole words.
"""

import functools
import re
import unicodedata

from django.db.models import Case, IntegerField, Q, Value, When

from core.text import digits_latin

LANGUAGES = ("en", "fr", "de", "ar")

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_NOT_A_WORD = re.compile(r"[\W_]+")
_LETTERS = str.maketrans(
    {
        "\u0671": "\u0627",  # alef wasla → alef (أ إ آ lose their hamza or madda as combining marks)
        "\u0649": "\u064a",  # alef maqsura → yaa
        "\u0629": "\u0647",  # taa marbuta → haa
        "\u06cc": "\u064a",  # Persian yeh → yaa
        "\u06a9": "\u0643",  # keheh (Persian kaf) → kaf
        "\u0640": "",  # tatweel
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ı": "i",
    }
)

# The article and the prepositions or conjunctions written onto it: "والممرض", "بالمستشفى", "للعمال".
_ARABIC_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
# Endings of the plural and of the feminine (ة, after the normalisation ه): ممرضات، مهندسون، عاملين، ممرضة.
_ARABIC_ENDINGS = ("ات", "ون", "ين", "ه")
# "و" (and) written onto a word. ب ل ف ك are taken off only with the article: alone they begin too many
# words (كهربائي electrician, بائع seller, فني technician, لحام welder).
_ARABIC_CONJUNCTION = "و"
_ARABIC_STEM_MIN = 3  # no rule leaves fewer letters
_CONJUNCTION_STEM_MIN = 4  # "وزير", "وكيل" keep their و; "وممرض" loses it


def fold(text):
    """`text` as lower-case words without accents or Arabic letter variants, separated by one space."""
    text = digits_latin(str(text or "")).casefold()
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if unicodedata.category(char) != "Mn")
    return " ".join(_NOT_A_WORD.sub(" ", text.translate(_LETTERS)).split())


def is_arabic(word):
    return bool(_ARABIC.search(word))


def stem(word, language):
    """`word` (already folded) without its plural ending, by the rules of its script and `language`.

    Arabic script: the article (with و ف ب ك ل before it), the endings ات ون ين ه, then a leading و.
    Latin script: English -ies → -y and -s; French -s, -x and -aux → -al; German -innen → -in, -en,
    -ern/-eln → -er/-el, -e. No rule leaves a word shorter than three letters.
    """
    if word.isdigit():
        return word
    if is_arabic(word):
        return _arabic_stem(word)
    if language == "en":
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            return word[:-1]
        return word
    if language == "fr":
        if word.endswith("eaux") and len(word) > 5:
            return word[:-1]
        if word.endswith("aux") and len(word) > 4:
            return word[:-3] + "al"
        if word.endswith(("s", "x")) and len(word) > 3:
            return word[:-1]
        return word
    if language == "de":
        if word.endswith("innen") and len(word) > 7:
            return word[:-3]
        if word.endswith("en") and len(word) > 4:
            return word[:-2]
        if word.endswith(("ern", "eln")) and len(word) > 4:
            return word[:-1]
        if word.endswith("e") and len(word) > 3:
            return word[:-1]
        return word
    return word


def _arabic_stem(word):
    for article in _ARABIC_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= _ARABIC_STEM_MIN:
            word = word[len(article) :]
            break
    for ending in _ARABIC_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _ARABIC_STEM_MIN:
            word = word[: -len(ending)]
            break
    if word.startswith(_ARABIC_CONJUNCTION) and len(word) - 1 >= _CONJUNCTION_STEM_MIN:
        word = word[1:]
    return word


@functools.lru_cache(maxsize=65536)
def search_text(text, language):
    """The normalised form of `text` in `language` (en, fr, de, ar): folded, each word stemmed.

    What is stored beside each searchable label and what a typed query is turned into before they are
    compared: "Infirmières" and "infirmière" are both "infirmiere"; "الممرضات" and "ممرضة" both "ممرض".
    German writes one compound joined or hyphenated ("Web-Entwickler", "Webentwickler": one word either
    way) and ä ö ü as ae oe ue on a keyboard without them ("Baecker" is "Bäcker").
    """
    text = str(text or "")
    if language == "de":
        text = _GERMAN_HYPHEN.sub("", text)
        return " ".join(stem(_german_letters(word), language) for word in fold(text).split())
    return " ".join(stem(word, language) for word in fold(text).split())


_GERMAN_HYPHEN = re.compile(r"(?<=\w)[-‐‑](?=\w)")
_GERMAN_UMLAUT_SPELLINGS = re.compile("ae|oe|ue")


def _german_letters(word):
    # Folded, ä is already a; its spelling "ae" becomes a too.
    return _GERMAN_UMLAUT_SPELLINGS.sub(lambda match: match.group(0)[0], word)


# How well a label matches the query, best first (lower is better).
EQUAL, STARTS_WITH_WORDS, HAS_WORDS, STARTS_WITH, WORD_STARTS_WITH, INSIDE_A_WORD, ALL_WORDS = range(7)
# The tiers in four kinds of match, best first: the query's words as whole words of the label (equal to it,
# starting it or inside it), a word of the label starting with the query, the query inside a word (a part of
# a German compound), the query's words apart. Within a kind a ranking may weigh what the label is (an
# occupation's name before one of its alternative labels) before the tier: a label equal to the query is no
# stronger a hint than a name holding it ("Krankenpfleger Allgemeine Krankenpflege", a nurse's name, and the
# alternative label "Krankenpfleger" of nurse assistants).
WHOLE_WORDS, WORD_PREFIX, WORD_PART, WORDS_APART = range(4)
_KIND_OF_MATCH = {
    EQUAL: WHOLE_WORDS,
    STARTS_WITH_WORDS: WHOLE_WORDS,
    HAS_WORDS: WHOLE_WORDS,
    STARTS_WITH: WORD_PREFIX,
    WORD_STARTS_WITH: WORD_PREFIX,
    INSIDE_A_WORD: WORD_PART,
    ALL_WORDS: WORDS_APART,
}


def match_tier(query, label):
    """How well the normalised `label` matches the normalised `query`: EQUAL, then labels starting with
    the query's words, then holding them as whole words, then starting with the query, then a word
    starting with it, then the query inside a word (a German compound: "pfleger" in "krankenpfleger"),
    then all the query's words apart. None when a word of the query is missing.
    """
    if not query:
        return None
    padded, phrase = f" {label} ", f" {query} "
    if label == query:
        return EQUAL
    if padded.startswith(phrase):
        return STARTS_WITH_WORDS
    if phrase in padded:
        return HAS_WORDS
    if padded.startswith(phrase.rstrip()):
        return STARTS_WITH
    if phrase.rstrip() in padded:
        return WORD_STARTS_WITH
    if query in label:
        return INSIDE_A_WORD
    if all(word in label for word in query.split()):
        return ALL_WORDS
    return None


def match_tier_expression(field, query, kind_weight=0):
    """match_tier() as a database expression over the normalised column `field`, for rows already
    filtered on holding every word of `query`: LIKE only, the same on SQLite and PostgreSQL.

    With a `kind_weight`, each tier's value is match_kind(tier) * kind_weight + tier: one number that
    sorts by the kind of match, then the tier, and leaves the digits between them to a ranking's other
    keys. One CASE serves both: an expression over an annotated tier (match_kind_expression) repeats the
    tier's CASE in the SQL once per branch, and building those LIKEs was half of the occupation match's time.
    """

    def value(tier):
        return Value(_KIND_OF_MATCH[tier] * kind_weight + tier)

    return Case(
        When(**{field: query}, then=value(EQUAL)),
        When(**{f"{field}__startswith": f"{query} "}, then=value(STARTS_WITH_WORDS)),
        When(
            Q(**{f"{field}__contains": f" {query} "}) | Q(**{f"{field}__endswith": f" {query}"}), then=value(HAS_WORDS)
        ),
        When(**{f"{field}__startswith": query}, then=value(STARTS_WITH)),
        When(**{f"{field}__contains": f" {query}"}, then=value(WORD_STARTS_WITH)),
        When(**{f"{field}__contains": query}, then=value(INSIDE_A_WORD)),
        default=value(ALL_WORDS),
        output_field=IntegerField(),
    )


def match_kind(tier):
    """The kind of match (WHOLE_WORDS, WORD_PREFIX, WORD_PART, WORDS_APART) a match_tier() belongs to."""
    return _KIND_OF_MATCH.get(tier)


def match_kind_expression(tier_field):
    """match_kind() as a database expression over the annotated match_tier_expression() `tier_field`
    (the tiers are numbered in the order of their kinds)."""
    return Case(
        When(**{f"{tier_field}__lte": HAS_WORDS}, then=Value(WHOLE_WORDS)),
        When(**{f"{tier_field}__lte": WORD_STARTS_WITH}, then=Value(WORD_PREFIX)),
        When(**{f"{tier_field}__lte": INSIDE_A_WORD}, then=Value(WORD_PART)),
        default=Value(WORDS_APART),
        output_field=IntegerField(),
    )
