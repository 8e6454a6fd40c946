"""Recognition of qualifications: the rows of the most specific occupation group, by region or
community; the permit page's section; the engine's "regulated profession" condition; the API; reports."""

import datetime
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from countries.models import RecognitionArea
from guidance.eligibility import MET, NOT_MET, UNKNOWN, Applicant, evaluate, evaluate_all, what_would_change
from permits.models import QualificationRecognition
from permits.selectors import recognition_list
from submissions.models import Report
from tests.factories import ContactPointFactory, LegalSourceFactory, PermitCategoryFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 1)


def recognition(country="DE", occupation="2221", area="", regulated=True, **values):
    with translation.override("en"):
        row = QualificationRecognition.objects.create(
            country_id=country,
            occupation_id=occupation,
            area=area,
            regulated=regulated,
            last_verified=datetime.date(2026, 12, 4),
            **values,
        )
    source = LegalSourceFactory(country_id=country, kind="guidance", title=f"Recognition page {row.pk}")
    row.legal_sources.set([source])
    return row


def open_permit(country="DE", **values):
    defaults = {
        "qualification": "none",
        "language_level": "none",
        "job_offer_required": False,
        "recognition_required": False,
        "publication_status": "published",
    }
    return PermitCategoryFactory(country_id=country, **{**defaults, **values})


def reason(verdict, code):
    return next((item for item in verdict.reasons if item.code == code), None)


# The one read


def test_the_most_specific_group_with_rows_answers_one_row_per_area():
    recognition(occupation="22", regulated=None)
    unit = recognition(occupation="2221", procedure="Land authority")
    assert recognition_list("DE", "2221") == [unit]
    assert [row.occupation_id for row in recognition_list("DE", "2222")] == ["22"]  # the group above
    assert recognition_list("FR", "2221") == [] and recognition_list("DE", None) == []


def test_a_community_row_covers_the_regions_where_its_institutions_are():
    covers = RecognitionArea.covers
    assert covers("BE-VG", "BE-VLG") and covers("BE-VG", "BE-BRU") and not covers("BE-VG", "BE-WAL")
    assert covers("BE-FWB", "BE-WAL") and covers("BE-DG", "BE-WAL") and not covers("BE-DG", "BE-BRU")
    assert covers("", "BE-WAL") and covers("BE-WAL", None) and not covers("BE-WAL", "BE-BRU")


def test_an_area_of_another_country_is_refused_in_words():
    row = QualificationRecognition(country_id="DE", occupation_id="2221", area="BE-VG")
    with pytest.raises(Exception) as problem, translation.override("fr"):
        row.full_clean()
    assert "area" in problem.value.message_dict


# The engine


def test_a_regulated_profession_is_a_condition_whatever_the_permit():
    recognition()
    permit = open_permit()
    asked = evaluate(Applicant("MA", "DE", isco_code="2221"), permit, ON)
    assert reason(asked, "regulated").status == UNKNOWN and asked.verdict == "possible"
    with translation.override("en"):
        assert "Nursing professionals" in str(reason(asked, "regulated").message)
        assert "regulated profession in" in str(reason(asked, "regulated").message)
    assert reason(asked, "regulated").sources  # the recognition row's own source
    refused = evaluate(Applicant("MA", "DE", isco_code="2221", qualification_recognised=False), permit, ON)
    assert (reason(refused, "regulated").status, refused.verdict) == (NOT_MET, "not_eligible")
    done = evaluate(Applicant("MA", "DE", isco_code="2221", qualification_recognised=True), permit, ON)
    assert (reason(done, "regulated").status, done.verdict) == (MET, "likely")
    change = what_would_change(Applicant("MA", "DE", isco_code="2221", qualification_recognised=False), permit, ON)
    assert [item.code for item in change.changes] == ["recognition"] and change.makes == "likely"


def test_an_unregulated_profession_says_recognition_is_a_help_not_a_condition():
    recognition(occupation="25", regulated=False)
    verdict = evaluate(Applicant("MA", "DE", isco_code="2512", qualification_recognised=False), open_permit(), ON)
    assert (reason(verdict, "regulated").status, verdict.verdict) == (MET, "likely")
    with translation.override("de"):
        message = str(reason(verdict, "regulated").message)
    assert "kein reglementierter Beruf" in message and "vergleichbar" in message


def test_rows_that_differ_by_region_wait_for_the_region():
    recognition(country="BE", occupation="7411", area="BE-VLG", regulated=False)
    recognition(country="BE", occupation="7411", area="BE-WAL", regulated=True)
    permit = open_permit(country="BE")
    undecided = evaluate(Applicant("MA", "BE", isco_code="7411"), permit, ON)
    assert reason(undecided, "regulated").status == UNKNOWN
    with translation.override("fr"):
        assert "Région wallonne" in str(reason(undecided, "regulated").message)
    flanders = evaluate(Applicant("MA", "BE", isco_code="7411", region="BE-VLG"), permit, ON)
    assert reason(flanders, "regulated").status == MET
    wallonia = evaluate(
        Applicant("MA", "BE", isco_code="7411", region="BE-WAL", qualification_recognised=False), permit, ON
    )
    assert reason(wallonia, "regulated").status == NOT_MET


def test_no_row_or_no_answer_reports_no_condition():
    permit = open_permit()
    assert reason(evaluate(Applicant("MA", "DE", isco_code="2221"), permit, ON), "regulated") is None
    recognition(regulated=None)
    assert reason(evaluate(Applicant("MA", "DE", isco_code="2221"), permit, ON), "regulated") is None
    assert reason(evaluate(Applicant("MA", "DE"), permit, ON), "regulated") is None


def test_evaluating_every_permit_reads_the_recognition_once():
    recognition()
    applicant = Applicant("MA", "DE", isco_code="2221")

    def queries():
        evaluate_all(applicant, ON)  # content types and the like, read once per process
        with CaptureQueriesContext(connection) as context:
            verdicts = evaluate_all(applicant, ON)
        assert all(reason(verdict, "regulated") for verdict in verdicts)
        return len(context)

    open_permit()
    one = queries()
    for _ in range(4):
        open_permit()
    assert queries() == one
    recognition_reads = one - len_without_occupation(applicant)
    assert recognition_reads == 2  # the rows with their bodies, and their sources


def len_without_occupation(applicant):
    with CaptureQueriesContext(connection) as context:
        evaluate_all(replace(applicant, isco_code=None), ON)
    return len(context)


# The permit page


@pytest.mark.parametrize(
    ("language", "heading", "regulated"),
    [
        ("en", "Recognition of your qualification", "A regulated profession"),
        ("fr", "Reconnaissance de votre qualification", "Une profession réglementée"),
        ("ar", "الاعتراف بمؤهلك", "مهنة منظمة"),
        ("de", "Anerkennung Ihrer Qualifikation", "Ein reglementierter Beruf"),
    ],
)
def test_the_permit_page_shows_how_the_visitors_occupation_is_recognised(client, language, heading, regulated):
    body = ContactPointFactory(country_id="DE", name="Landesamt für Pflege", url="https://example.org/lfp")
    recognition(body=body, procedure="Equivalence check", fee_min="60.00", fee_max="200.00", fee_currency="EUR")
    permit = open_permit(recognition_required=True)
    html = client.get(f"/{language}/permits/{permit.code}/", {"occupation": "2221"}).content.decode()
    section = html[html.index('id="recognition"') :]
    assert heading in section and regulated in section and "Landesamt für Pflege" in section
    assert "https://example.org/lfp" in section and "Equivalence check" in section
    assert "fact=permits.qualificationrecognition" in section  # each row can be reported
    assert "official source" in html or language != "en"


def test_without_an_occupation_the_page_offers_the_ones_it_knows(client):
    recognition()
    permit = open_permit()
    html = client.get(f"/en/permits/{permit.code}/").content.decode()
    section = html[html.index('id="recognition"') :]
    assert "Name your occupation" in section and "?occupation=2221#recognition" in section
    unknown = client.get(f"/en/permits/{permit.code}/", {"occupation": "7411"}).content.decode()
    assert "The hub has no recognition information for this occupation in Germany" in unknown


def test_a_country_without_rows_has_no_section(client):
    permit = open_permit()
    assert 'id="recognition"' not in client.get(f"/en/permits/{permit.code}/").content.decode()


def test_the_eligibility_answer_links_to_the_recognition_of_the_occupation(client):
    recognition()
    permit = open_permit()
    html = client.get(
        "/fr/eligibility/", {"nationality": "MA", "destination": "DE", "occupation": "2221"}
    ).content.decode()
    assert f"/fr/permits/{permit.code}/?occupation=2221#recognition" in html


# API and reports


def test_the_api_gives_the_area_and_filters_by_the_region_of_the_work(client):
    recognition(country="BE", area="BE-VG")
    recognition(country="BE", area="BE-FWB")
    recognition(country="BE", area="BE-DG")
    rows = client.get("/api/v1/qualification-recognition/", {"country": "BE", "area": "BE-BRU"}).json()["results"]
    assert sorted(row["area"] for row in rows) == ["BE-FWB", "BE-VG"]
    refused = client.get("/api/v1/qualification-recognition/", {"area": "XX"})
    assert refused.status_code == 400


def test_a_report_on_a_recognition_row_goes_to_that_country(client):
    row = recognition()
    from django.urls import reverse

    with translation.override("ar"):
        url = f"{reverse('guidance:report')}?fact=permits.qualificationrecognition&key={row.pk}"
    response = client.post(url, {"message": "الرسوم تغيرت"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert [country.pk for country in report.countries.all()] == ["DE"] and report.language == "ar"
