"""How pages mark what a text is: the hub's translation (with its original one click away), out of
date, official, reviewed, or an original in another language; and no English left unmarked in /ar/."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.models import TextTranslation
from core.text import text_language
from core.translations import translation_review
from countries.models import Agreement, Corridor, Country
from permits.models import PermitCategory
from recruiters.models import RecruitmentAgency
from submissions.services import document_import

pytestmark = pytest.mark.django_db

SOURCE = {"key": "fr-mark-source", "title": "Code du travail", "original_language": "fr",
          "url": "https://example.org/code", "last_verified": "2026-01-01"}  # fmt: skip
PERMIT = {
    "code": "fr-mark-permit",
    "name": "Work permit",
    "name_fr": "Autorisation de travail",
    "name_ar": "رخصة عمل",
    "name_de": "Arbeitserlaubnis",
    "description": "The employer applies for the permit.",
    "description_fr": "L'employeur demande l'autorisation.",
    "description_ar": "يطلب صاحب العمل الترخيص.",
    "description_de": "Der Arbeitgeber beantragt die Erlaubnis.",
    "official_texts": ["name_fr"],
    "purpose": "work",
    "sources": ["fr-mark-source"],
    "last_verified": "2026-01-01",
}


def _load(permit=PERMIT):
    document_import(document={"country": "FR", "sources": [SOURCE], "permits": [permit]}, reason="test")
    return PermitCategory.objects.get(code=permit["code"])


def render(obj, field, language, paragraphs=False):
    request = RequestFactory().get("/")
    with translation.override(language):
        template = Template("{% load hub %}{% tr obj field paragraphs=paragraphs %}")
        return template.render(Context({"obj": obj, "field": field, "paragraphs": paragraphs, "request": request}))


def said(language, text):
    with translation.override(language):
        return str(translation.gettext(text))


@pytest.mark.parametrize("language", ["fr", "ar", "de"])
def test_the_hubs_translation_is_marked_with_its_original_behind_a_summary(language):
    permit = _load()
    html = render(permit, "description", language, paragraphs=True)
    assert said(language, "(the hub's translation)") in html
    assert "<details" in html and "<summary>" in html
    assert '<div lang="en" dir="ltr"><p>The employer applies for the permit.</p></div>' in html
    assert said(language, "(in English)") in html
    assert said(language, "translation may be out of date") not in html
    # The translation itself is in the page's language: no lang attribute of its own.
    assert html.startswith('<div dir="auto"><p>')


@pytest.mark.parametrize("language", ["ar", "de"])
def test_an_inline_hub_translation_is_marked(language):
    html = render(_load(), "name", language)
    assert html.startswith("<bdi>")
    assert said(language, "(the hub's translation)") in html
    assert "<details" not in html  # a heading or a link cannot hold one


def test_an_official_text_is_not_marked_as_a_translation():
    html = render(_load(), "name", "fr")
    assert html == "<bdi>Autorisation de travail</bdi>"


@pytest.mark.parametrize("language", ["fr", "ar", "de"])
def test_a_changed_original_says_the_translation_may_be_out_of_date_until_reviewed(language):
    permit = _load()
    permit = _load({**PERMIT, "description": "The employer or the worker applies."})
    html = render(permit, "description", language, paragraphs=True)
    assert said(language, "translation may be out of date") in html
    assert "The employer or the worker applies." in html  # the original shown is the current one
    reviewer = get_user_model().objects.create_user("reviewer")
    translation_review(
        translations=TextTranslation.objects.filter(object_id=permit.pk, field="description", language=language),
        user=reviewer,
    )
    html = render(permit, "description", language, paragraphs=True)
    assert said(language, "translation may be out of date") not in html
    assert said(language, "(the hub's translation)") not in html  # reviewed: no longer marked
    assert "<details" not in html


@pytest.mark.parametrize(("language", "marked"), [("fr", False), ("ar", True), ("de", True), ("en", True)])
def test_an_original_in_another_language_carries_its_lang_and_says_so(language, marked):
    from countries.models import LegalSource

    _load()
    source = LegalSource.objects.get(key="fr-mark-source")
    html = render(source, "title", language)
    assert ('lang="fr"' in html) is marked
    assert (said(language, "(in French)") in html) is marked
    assert said(language, "(the hub's translation)") not in html  # an original is no translation


def render_source(source, field, language):
    with translation.override(language):
        template = Template("{% load hub %}{% source_text source field %}")
        return template.render(Context({"source": source, "field": field, "request": RequestFactory().get("/")}))


@pytest.mark.parametrize(("language", "marked"), [("fr", False), ("ar", True), ("de", True), ("en", True)])
def test_a_sources_article_is_in_the_language_of_its_law_and_its_publisher_note_as_its_words_show(language, marked):
    from countries.models import LegalSource

    _load()
    source = LegalSource.objects.get(key="fr-mark-source")
    source.article = "Art. L5221-2 et R5221-1"
    source.publisher = "Legifrance, the official site for French law"
    article = render_source(source, "article", language)
    assert ('lang="fr"' in article) is marked
    assert (said(language, "(in French)") in article) is marked
    assert said(language, "(in English)") not in article
    publisher = render_source(source, "publisher", language)
    assert ('lang="en"' in publisher) is (language != "en")
    source.article = "§ 18a"  # a bare number is in no language
    assert render_source(source, "article", language) == "<bdi>§ 18a</bdi>"


def test_the_permit_page_marks_the_translation_in_each_language(client):
    _load()
    for language in ("fr", "ar", "de"):
        html = client.get(f"/{language}/permits/fr-mark-permit/").content.decode()
        assert said(language, "(the hub's translation)") in html, language
        assert '<details class="original">' in html, language


def test_the_originals_tag_shows_the_originals_of_short_texts(client):
    permit = _load()
    request = RequestFactory().get("/")
    with translation.override("ar"):
        html = Template("{% load hub %}{% originals permit %}").render(Context({"permit": permit, "request": request}))
    assert "Work permit" in html and "The employer applies for the permit." in html
    with translation.override("fr"):  # official name, hub description
        html = Template('{% load hub %}{% originals permit "name" %}').render(
            Context({"permit": permit, "request": request})
        )
    assert html.strip() == ""


def test_a_page_reads_the_text_kinds_in_one_query(django_assert_num_queries):
    permit = _load()
    request = RequestFactory().get("/")
    template = Template('{% load hub %}{% tr p "name" %}{% tr p "description" paragraphs=True %}{% tr p "name" %}')
    with translation.override("ar"), django_assert_num_queries(1):
        template.render(Context({"p": permit, "request": request}))


# -- no English left unmarked on the Arabic pages ------------------------------------------------------


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
SKIPPED = {"script", "style", "head", "code", "kbd", "samp"}


def _is_english(text):
    words = LATIN_WORD.findall(text)
    if len(words) < 2 or "://" in text or "@" in text:
        return False
    if text_language(text, "en") != "en":
        return False
    function_words = {"the", "of", "and", "for", "to", "with", "by", "from", "on", "is", "are", "or", "must", "may"}
    lower = [word for word in words if word[0].islower()]
    return bool(function_words.intersection(word.lower() for word in words)) or (len(words) >= 3 and bool(lower))


def _marker_after(node, marker):
    """Whether `node` (an element with lang="en") is followed by its "(in English)" marker."""
    siblings = node.parent.children
    after = siblings[siblings.index(node) + 1 :]
    for sibling in after:
        if isinstance(sibling, str):
            if sibling.strip():
                return False
            continue
        return sibling.tag == "small" and marker in sibling.text()
    return False


def unmarked_english(html, marker):
    """The English texts of a page not marked as English: outside any lang="en" element, or inside one
    that lacks its "(in English)" marker."""
    tree = Tree()
    tree.feed(html)
    found = []

    def walk(node, language_node):
        for child in node.children:
            if isinstance(child, str):
                text = " ".join(child.split())
                if not _is_english(text):
                    continue
                declared = language_node.attrs.get("lang") if language_node is not None else None
                if declared not in (None, "en", "ar"):
                    continue  # marked as another language (a Dutch article the guess takes for English)
                marked = (
                    language_node is not None
                    and language_node.attrs.get("lang") == "en"
                    and _marker_after(language_node, marker)
                )
                if not marked:
                    found.append(text)
            elif child.tag not in SKIPPED:
                walk(child, child if "lang" in child.attrs and child.tag != "html" else language_node)

    walk(tree.root, None)
    return found


def arabic_pages():
    """Every public page of the demo data, in Arabic."""
    urls = [
        "/ar/",
        "/ar/search/?q=ممرض",
        "/ar/search/?q=work",
        "/ar/permits/",
        "/ar/agreements/",
        "/ar/corridors/",
        "/ar/licence-check/",
        "/ar/eligibility/?nationality=MA&destination=DE&occupation=2221&job_offer=yes",
        "/ar/compare/?corridor=MA-DE&corridor=TN-DE",
        "/ar/changes/",
    ]
    codes = sorted(set(PermitCategory.objects.values_list("country_id", flat=True)))
    urls += [reverse("countries:country", args=[code]) for code in codes]
    urls += [
        reverse("countries:corridor", args=[origin, destination])
        for origin, destination in Corridor.objects.values_list("origin_id", "destination_id")
    ]
    urls += [reverse("permits:permit", args=[code]) for code in PermitCategory.objects.values_list("code", flat=True)]
    urls += [reverse("countries:agreement", args=[key]) for key in Agreement.objects.values_list("key", flat=True)]
    for country_id, number in RecruitmentAgency.objects.values_list("country_id", "licence_number")[:20]:
        urls.append(f"/ar/licence-check/?country={country_id}&licence={number}")
    for country in Country.objects.filter(code__in=["MA", "TN", "EG"]):
        urls.append(f"/ar/licence-check/?country={country.code}&licence=1")
    return [url if url.startswith("/ar/") else "/ar" + url.removeprefix("/en") for url in urls]


def test_no_english_content_is_left_unmarked_on_the_arabic_pages(client):
    call_command("load_demo_data", stdout=io.StringIO())
    marker = said("ar", "(in English)")
    unmarked = {}
    for url in arabic_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        texts = unmarked_english(response.content.decode(), marker)
        if texts:
            unmarked[url] = texts
    count = sum(len(texts) for texts in unmarked.values())
    listing = "\n".join(f"{url}: {texts[:5]}" for url, texts in sorted(unmarked.items()))
    assert not unmarked, f"{count} English texts unmarked on {len(unmarked)} Arabic pages:\n{listing}"


def test_the_walk_finds_unmarked_english_and_accepts_marked_english():
    marker = "(بالإنجليزية)"
    assert unmarked_english("<p>This permit is for the employer</p>", marker) == ["This permit is for the employer"]
    marked = f'<p><bdi lang="en">This permit is for the employer</bdi> <small class="fallback">{marker}</small></p>'
    assert unmarked_english(marked, marker) == []
    assert unmarked_english('<p><bdi lang="en">This permit is for the employer</bdi></p>', marker) != []
    assert unmarked_english("<p>رخصة عمل <bdi>EUR</bdi> de-eu-blue-card</p>", marker) == []
