"""Right to left, language marks, each language's order, money and dates, numbers typed with any digits."""

import datetime
import re
import unicodedata
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from countries.models import Corridor, Country
from guidance.charts import bar_chart
from guidance.forms import EligibilityForm
from permits.models import SalaryThreshold
from tests.factories import AgreementFactory, LegalSourceFactory, RecruitmentAgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
FSI, PDI = "\u2068", "\u2069"


@pytest.fixture(autouse=True)
def english_originals():
    """`title=` in a factory fills the active language's field: make it the original's (English) one."""
    with translation.override("en"):
        yield


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def render(source, language, **context):
    with translation.override(language):
        return Template("{% load hub %}" + source).render(Context(context))


def option_labels(html, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [strip_tags(label).strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


class TestDirection:
    def test_arabic_corridor_arrow_points_from_origin_to_destination_right_to_left(self, client, corridor_data):
        listing = page(client, "/ar/corridors/")
        assert "<bdi>المغرب</bdi> ← <bdi>ألمانيا</bdi>" in listing
        detail = page(client, "/ar/corridors/MA-DE/")
        assert f"<title>{FSI}المغرب{PDI} ← {FSI}ألمانيا{PDI} –" in detail
        assert "→" not in listing and "→" not in detail

    def test_left_to_right_pages_keep_the_right_arrow(self, client, corridor_data):
        assert "<bdi>Morocco</bdi> → <bdi>Germany</bdi>" in page(client, "/en/corridors/")
        assert "<bdi>Maroc</bdi> → <bdi>Allemagne</bdi>" in page(client, "/fr/corridors/")

    def test_comparison_choices_and_headings_read_origin_first_in_arabic(self, client, corridor_data):
        html = page(client, "/ar/compare/")
        assert f'<option value="MA-DE">{FSI}المغرب{PDI} ← {FSI}ألمانيا{PDI}</option>' in html
        assert "→" not in html

    def test_breadcrumb_chevron_is_one_the_bidi_algorithm_mirrors(self, client, corridor_data):
        # "›" is Bidi_Mirrored: between Arabic words it is drawn "‹", pointing the way Arabic reads.
        html = page(client, "/ar/corridors/MA-DE/")
        crumbs = re.search(r'<nav class="crumbs".*?</nav>', html, re.S).group(0)
        assert "›" in crumbs and unicodedata.mirrored("›")

    def test_codes_articles_licences_and_urls_are_isolated(self, client, corridor_data):
        RecruitmentAgencyFactory(licence_number="MA-100", publication_status="published")
        permit = corridor_data["permit"]
        permit.occupations.set(["2221"])
        permit_html = page(client, "/ar/permits/de-skilled/")
        assert "<bdi>2221</bdi>" in permit_html
        assert "<bdi>§ 18a</bdi>" in permit_html
        assert "<bdi>2221</bdi>" in page(client, "/en/permits/?occupation=nursing")  # which occupation?
        chosen = page(client, "/ar/eligibility/?nationality=MA&destination=DE&occupation=2221")
        assert "<bdi>2221</bdi>" in chosen
        licence = page(client, "/ar/licence-check/?country=MA&licence=MA-100")
        assert "<dd><bdi>MA-100</bdi></dd>" in licence
        corridor = page(client, "/ar/corridors/MA-DE/")
        assert '<a href="https://anapec.ma" rel="noopener" dir="ltr">https://anapec.ma</a>' in corridor
        assert "<bdi>Passport Index</bdi>" in corridor

    def test_charts_mirror_on_right_to_left_pages(self):
        items = [("A", 10, "10"), ("B", 5, "5")]
        ltr, rtl = bar_chart("T", items, rtl=False), bar_chart("T", items, rtl=True)
        assert 'direction="ltr"' in ltr and 'direction="rtl"' in rtl
        # Left to right: labels at the left edge, bars from x=70. Right to left: labels at the right edge
        # (x=330), the full bar ending where the labels begin (330 - 70 = 260 = 60 + 200).
        assert '<text x="0" y="17">A</text><rect class="bar" x="70" y="5" width="200"' in ltr
        assert '<text x="330" y="17">A</text><rect class="bar" x="60" y="5" width="200"' in rtl
        assert '<rect class="bar" x="160" y="31" width="100"' in rtl
        assert '<text x="154" y="43">5</text>' in rtl

    def test_comparison_charts_follow_the_page_direction(self, client, corridor_data):
        Corridor.objects.create(origin_id="TN", destination_id="DE")
        arabic = page(client, "/ar/compare/?corridor=MA-DE&corridor=TN-DE")
        english = page(client, "/en/compare/?corridor=MA-DE&corridor=TN-DE")
        assert 'class="chart" role="img"' in arabic
        assert 'direction="rtl"' in arabic and 'direction="rtl"' not in english
        assert f"{FSI}MA{PDI} ← {FSI}DE{PDI}" in arabic and f"{FSI}MA{PDI} → {FSI}DE{PDI}" in english

    def test_admin_arabic_inputs_are_typed_right_to_left(self, client):
        client.force_login(UserFactory(role="hub_editor"))
        html = page(client, reverse("admin:permits_permitcategory_add"))
        inputs = {name: tag for tag, name in re.findall(r'(<(?:input|textarea)[^>]*name="([a-z_]+)"[^>]*>)', html)}
        assert 'dir="rtl"' in inputs["name_ar"] and 'dir="rtl"' in inputs["description_ar"]
        assert 'dir="rtl"' not in inputs["name_fr"] and 'dir="rtl"' not in inputs["name_en"]


class TestLanguageMarks:
    def test_english_fallback_on_an_arabic_page_says_lang_en(self, client, corridor_data):
        html = page(client, "/ar/permits/de-skilled/")
        assert '<h1><bdi lang="en">Skilled worker</bdi> <small class="fallback">(بالإنجليزية)</small></h1>' in html
        assert '<div dir="auto" lang="en"><p>For people with recognised vocational training.</p></div>' in html

    def test_page_language_text_carries_no_mark(self, client, corridor_data):
        # Official names in the page's language: no language mark, no translation mark.
        permit = corridor_data["permit"]
        permit.name_ar = "عامل ماهر"
        permit.text_origin = {"official_texts": ["name_ar", "name_de"]}
        permit.save()
        html = page(client, "/de/permits/de-skilled/")
        assert "<h1><bdi>Fachkraft</bdi></h1>" in html
        html = page(client, "/ar/permits/de-skilled/")
        assert "<h1><bdi>عامل ماهر</bdi></h1>" in html

    def test_french_source_title_is_never_called_english(self, client, corridor_data):
        source = LegalSourceFactory(
            country_id="DE",
            title="Convention de sécurité sociale entre la France et le Maroc",
            url="https://example.org/convention",
            last_verified=TODAY,
        )
        corridor_data["permit"].legal_sources.add(source)
        html = page(client, "/ar/permits/de-skilled/")
        assert (
            '<bdi lang="fr">Convention de sécurité sociale entre la France et le Maroc</bdi> '
            '<small class="fallback">(بالفرنسية)</small>'
        ) in html
        english_page = page(client, "/en/permits/de-skilled/")
        assert '<bdi lang="fr">Convention de sécurité sociale' in english_page and "(in French)" in english_page

    def test_arabic_text_in_the_original_field_is_lang_ar_and_unmarked_on_arabic_pages(self, client, corridor_data):
        source = LegalSourceFactory(
            country_id="DE", title="قانون العمل الجديد", url="https://example.org/eg", last_verified=TODAY
        )
        corridor_data["permit"].legal_sources.add(source)
        french = page(client, "/fr/permits/de-skilled/")
        assert '<bdi lang="ar">قانون العمل الجديد</bdi> <small class="fallback">(en arabe)</small>' in french
        arabic = page(client, "/ar/permits/de-skilled/")
        assert "<bdi>قانون العمل الجديد</bdi>" in arabic
        assert "قانون العمل الجديد</bdi> <small" not in arabic

    def test_a_declared_original_language_wins_over_the_guess(self, corridor_data):
        permit = corridor_data["permit"]
        permit.original_language = "de"
        html = render('{% tr permit "name" %}', "fr", permit=permit)
        assert html == '<bdi lang="de">Skilled worker</bdi> <small class="fallback">(en allemand)</small>'

    def test_comparison_rows_are_marked_by_their_words(self, client, corridor_data):
        html = render('{% tr row "title" %}', "ar", row={"title": "Accord de main-d'œuvre entre la France et le Maroc"})
        assert html.startswith('<bdi lang="fr">') and "(بالفرنسية)" in html


class TestOrder:
    def test_french_country_list_follows_french_collation(self, client, corridor_data):
        labels = option_labels(page(client, "/fr/eligibility/"), "nationality")
        assert labels.index("Afrique du Sud") < labels.index("Albanie") < labels.index("Allemagne")
        # "É" sorts with "E", not after "Z" as its code point would put it.
        assert labels.index("Danemark") < labels.index("Égypte") < labels.index("Équateur") < labels.index("Espagne")
        assert labels.index("Émirats arabes unis") < labels.index("Zambie")

    def test_arabic_and_german_lists_are_in_their_own_names_order(self, client, corridor_data):
        german = option_labels(page(client, "/de/eligibility/"), "nationality")
        assert german.index("Ägypten") < german.index("Albanien") < german.index("Marokko") < german.index("Österreich")
        assert german.index("Österreich") < german.index("Panama")
        arabic = option_labels(page(client, "/ar/eligibility/"), "nationality")
        # The Arabic alphabet's order: alef (اليمن), baa, taa, meem, haa.
        assert arabic.index("اليمن") < arabic.index("بلجيكا") < arabic.index("تونس") < arabic.index("مصر")
        assert arabic.index("مصر") < arabic.index("هولندا")

    def test_agreement_filter_and_corridor_list_are_collated(self, client, corridor_data):
        AgreementFactory(key="eg-fr", title="Égypte–France", parties=["EG", "FR"], publication_status="published")
        AgreementFactory(key="ae-es", title="Émirats–Espagne", parties=["AE", "ES"], publication_status="published")
        filter_labels = option_labels(page(client, "/fr/agreements/"), "country")
        assert filter_labels[1:] == ["Allemagne", "Égypte", "Émirats arabes unis", "Espagne", "France", "Maroc"]
        for origin, destination in (("EG", "FR"), ("TN", "FR"), ("EG", "DE")):
            Corridor.objects.create(origin_id=origin, destination_id=destination)
        listing = page(client, "/fr/corridors/")
        routes = [
            strip_tags(route) for route in re.findall(r'<a href="/fr/corridors/[A-Z]{2}-[A-Z]{2}/">(.*?)</a>', listing)
        ]
        assert routes == ["Égypte → Allemagne", "Égypte → France", "Maroc → Allemagne", "Tunisie → France"]


class TestMoneyAndDates:
    @pytest.mark.parametrize(
        ("language", "shown"),
        [("en", "55,770.00 EUR"), ("fr", "55\xa0770,00 EUR"), ("de", "55.770,00 EUR"), ("ar", "55.770,00 EUR")],
    )
    def test_money_filter_writes_each_languages_separators(self, language, shown):
        html = render("{{ value|money:'EUR' }}", language, value=Decimal("55770.00"))
        assert strip_tags(html) == shown
        assert html.endswith(" <bdi>EUR</bdi></span>")

    @pytest.mark.parametrize(
        ("language", "threshold", "fee"),
        [
            ("en", "43,470.00", "75.00"),
            ("fr", "43\xa0470,00", "75,00"),
            ("de", "43.470,00", "75,00"),
            ("ar", "43.470,00", "75,00"),
        ],
    )
    def test_permit_page_amounts(self, client, corridor_data, language, threshold, fee):
        html = page(client, f"/{language}/permits/de-skilled/")
        assert f'<span class="amount"><bdi>{threshold}</bdi> <bdi>EUR</bdi></span>' in html
        assert f'<span class="amount"><bdi>{fee}</bdi> <bdi>EUR</bdi></span>' in html

    def test_comparison_amounts_and_dates_are_localised(self, client, corridor_data):
        Corridor.objects.create(origin_id="TN", destination_id="DE")
        html = page(client, "/fr/compare/?corridor=MA-DE&corridor=TN-DE")
        assert '<span class="amount"><bdi>75,00</bdi> <bdi>EUR</bdi></span>' in html
        assert f'<time datetime="{TODAY.isoformat()}">' in html
        assert f"<bdi>{TODAY.isoformat()}</bdi>" not in html

    @pytest.mark.parametrize(
        ("language", "shown"),
        [("en", "5 March 2025"), ("fr", "5 mars 2025"), ("de", "5. März 2025"), ("ar", "5 مارس 2025")],
    )
    def test_one_day_first_date_format_per_language(self, language, shown):
        day = datetime.date(2025, 3, 5)
        html = render("{{ day|day }}|{{ day|date:'SHORT_DATE_FORMAT' }}", language, day=day)
        assert html == f'<time datetime="2025-03-05">{shown}</time>|{shown}'
        moment = render(
            "{{ moment|date:'SHORT_DATETIME_FORMAT' }}", language, moment=datetime.datetime(2025, 3, 5, 14, 30)
        )
        assert moment.startswith(shown.split(" ")[0]) and "14:30" in moment

    def test_every_date_on_a_page_has_the_one_format(self, client, corridor_data):
        SalaryThreshold.objects.create(
            permit=corridor_data["permit"], amount="1.00", currency="EUR", period="year",
            valid_from=datetime.date(2024, 1, 2), valid_to=datetime.date(2024, 12, 31),
        )  # fmt: skip
        html = page(client, "/en/permits/de-skilled/")
        shown = re.findall(r"<time[^>]*>(.*?)</time>", html)
        assert "2 January 2024" in shown and "31 December 2024" in shown
        assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", text) for text in shown), shown


class TestAnyDigits:
    @pytest.mark.parametrize(
        ("typed", "number"),
        [
            ("٤٦٠٠٠", Decimal("46000")),
            ("۴۶۰۰۰", Decimal("46000")),
            ("٤٦٬٠٠٠٫٥", Decimal("46000.5")),
            ("46 000", Decimal("46000")),
            ("46,000", Decimal("46000")),
            ("46.000,50", Decimal("46000.50")),
            ("46000,5", Decimal("46000.5")),
        ],
    )
    def test_eligibility_form_reads_the_salary_however_typed(self, corridor_data, typed, number):
        form = EligibilityForm(
            {"nationality": "MA", "destination": "DE", "salary": typed, "currency": "EUR", "age": "٣٠"},
            destinations=Country.objects.filter(code="DE"),
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["salary"] == number
        assert form.cleaned_data["age"] == 30

    def test_salary_and_age_boxes_take_any_digits_in_the_browser(self, client, corridor_data):
        html = page(client, "/ar/eligibility/")
        salary = re.search(r'<input[^>]*name="salary"[^>]*>', html).group(0)
        age = re.search(r'<input[^>]*name="age"[^>]*>', html).group(0)
        # type="number" would empty "٤٦٠٠٠" before the form is sent.
        assert 'type="text"' in salary and 'inputmode="decimal"' in salary
        assert 'type="text"' in age and 'inputmode="numeric"' in age

    @staticmethod
    def verdicts(response):
        return [
            (
                item["verdict"].permit_code,
                item["verdict"].verdict,
                [(r.code, r.status) for r in item["verdict"].reasons],
            )
            for item in response.context["verdicts"]
        ]

    @pytest.mark.parametrize(
        ("latin", "arabic"), [("46000", "٤٦٠٠٠"), ("46000", "۴۶۰۰۰"), ("40000", "٤٠٬٠٠٠"), ("46000.5", "٤٦٬٠٠٠٫٥")]
    )
    def test_eligibility_page_gives_the_same_verdicts_for_arabic_digits(self, client, corridor_data, latin, arabic):
        query = {"nationality": "MA", "destination": "DE", "currency": "EUR", "occupation": "2221", "age": "30"}
        expected = self.verdicts(client.get("/ar/eligibility/", {**query, "salary": latin}))
        typed = {**query, "salary": arabic, "occupation": "٢٢٢١", "age": "٣٠"}
        assert self.verdicts(client.get("/ar/eligibility/", typed)) == expected
        salary = next(dict(reasons)["salary"] for code, _verdict, reasons in expected if code == "de-skilled")
        assert salary == ("met" if latin.startswith("46") else "not_met")

    @pytest.mark.parametrize(
        ("latin", "arabic"), [("46000", "٤٦٠٠٠"), ("46000", "۴۶۰۰۰"), ("40000", "٤٠٬٠٠٠"), ("46000.5", "٤٦٬٠٠٠٫٥")]
    )
    def test_eligibility_api_gives_the_same_verdicts_for_arabic_digits(self, client, corridor_data, latin, arabic):
        query = {"nationality": "MA", "destination": "DE", "salary_currency": "EUR", "occupation": "2221"}
        latin_answer = client.get("/api/v1/eligibility/", {**query, "salary": latin, "age": "30"})
        arabic_answer = client.get(
            "/api/v1/eligibility/", {**query, "salary": arabic, "age": "٣٠", "occupation": "٢٢٢١"}
        )
        assert latin_answer.status_code == arabic_answer.status_code == 200
        assert arabic_answer.json() == latin_answer.json()
        skilled = next(v for v in latin_answer.json()["verdicts"] if v["permit_code"] == "de-skilled")
        reasons = {r["code"]: r["status"] for r in skilled["reasons"]}
        assert reasons["salary"] == ("met" if latin.startswith("46") else "not_met")

    def test_licence_in_arabic_digits_is_found(self, client, agencies):
        agencies["valid"].licence_number = "1470"
        agencies["valid"].save()
        html = page(client, "/ar/licence-check/?country=MA&licence=١٤٧٠")
        assert '<h2 id="answer">' in html and "<dd><bdi>1470</bdi></dd>" in html
        assert html.count("result-valid") == 1
