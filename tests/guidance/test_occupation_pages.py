"""Naming a job in one's own words on the pages: the permit filter, the eligibility check and search on
/fr/, /ar/ and /de/ offer the right ISCO-08 unit group first, name the label that matched, mark the hub's
Arabic titles as its translation; search finds countries by their name in every language."""

import re

import pytest

pytestmark = pytest.mark.django_db


def offered(html):
    """The ISCO-08 codes the page offers to choose, in order."""
    return list(dict.fromkeys(re.findall(r"occupation=(\d{4})", html)))


@pytest.mark.parametrize(
    ("language", "word", "code"),
    [
        ("fr", "infirmière", "2221"),
        ("ar", "ممرضة", "2221"),
        ("de", "Pflegefachkraft", "2221"),
        ("fr", "développeur", "2512"),
        ("ar", "مطور برمجيات", "2512"),
        ("de", "Elektriker", "7411"),
        ("fr", "femme de ménage", "9111"),
        ("ar", "عامل منزلي", "9111"),
        ("de", "Haushaltshilfe", "9111"),
        ("fr", "ouvrier agricole", "9213"),
        ("ar", "عامل زراعي", "9211"),
        ("de", "Landarbeiter", "9211"),
        ("fr", "chauffeur poids lourd", "8332"),
        ("ar", "سائق شاحنة", "8332"),
        ("de", "LKW-Fahrer", "8332"),
    ],
)
def test_the_permit_filter_the_eligibility_check_and_search_offer_the_job(client, corridor_data, language, word, code):
    pages = {
        "permits": client.get(f"/{language}/permits/", {"occupation": word}),
        "eligibility": client.get(
            f"/{language}/eligibility/", {"nationality": "MA", "destination": "DE", "occupation": word}
        ),
        "search": client.get(f"/{language}/search/", {"q": word}),
    }
    for page, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, page
        # It is among the first three offered, or, the one group found, it is chosen (named, nothing offered).
        codes = offered(html)
        assert code in codes[:3] or (not codes and code in html), (page, codes)


def test_the_choice_names_the_label_that_matched_and_the_hubs_translation(client, corridor_data):
    html = client.get("/ar/permits/", {"occupation": "ممرضة"}).content.decode()
    assert offered(html)[0] == "2221"
    assert "اختصاصيو التمريض" in html and "(ترجمة المنصة)" in html
    assert "<bdi>ممرضة</bdi>" in html  # in the page's language: no lang attribute, no "(in Arabic)"
    html = client.get("/fr/permits/", {"occupation": "infirmière"}).content.decode()
    assert "Cadres infirmiers" in html and "(traduction du hub)" not in html
    assert re.search(r"<bdi>infirmière[^<]*</bdi>", html)


def test_search_finds_countries_by_name_in_every_language(client, corridor_data, django_assert_max_num_queries):
    for language, word in [("fr", "Allemagne"), ("ar", "ألمانيا"), ("ar", "المانيا"), ("de", "Deutschland")]:
        with django_assert_max_num_queries(5):
            html = client.get(f"/{language}/search/", {"q": word}).content.decode()
        assert f'href="/{language}/countries/DE/"' in html, (language, word)
    html = client.get("/fr/search/", {"q": "Deutschland"}).content.decode()
    assert "<h3>Pays</h3>" in html and "Allemagne" in html and '<bdi lang="de">Deutschland</bdi>' in html
