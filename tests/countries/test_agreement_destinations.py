"""A multilateral programme leads to the countries it names: THAMM (Germany with Morocco, Tunisia and
Egypt) is a route to Germany, not from Morocco to Tunisia. A bilateral agreement names none and opens
both directions."""

import datetime

import pytest

from core.fields import PublicationStatus
from countries.models import Agreement
from countries.selectors import corridor_agreement_list
from guidance.eligibility import agreements_in_force
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 1)


@pytest.fixture
def agreements():
    common = {"status": "in_force", "publication_status": PublicationStatus.PUBLISHED}
    thamm = AgreementFactory(key="thamm", type=Agreement.Type.SKILLS_PARTNERSHIP, parties=["DE", "MA", "TN"], **common)
    thamm.destinations.set(["DE"])
    AgreementFactory(key="ma-tn-bla", type=Agreement.Type.BLA, parties=["MA", "TN"], **common)


def keys(rows):
    return sorted(row.key for row in rows)


def test_a_programme_towards_germany_is_no_route_between_its_other_parties(agreements):
    assert keys(corridor_agreement_list(origin="MA", destination="DE")) == ["thamm"]
    assert keys(corridor_agreement_list(origin="MA", destination="TN")) == ["ma-tn-bla"]
    assert keys(agreements_in_force("TN", "DE", ON)) == ["thamm"]
    assert keys(agreements_in_force("TN", "MA", ON)) == ["ma-tn-bla"]


def test_a_bilateral_agreement_opens_both_directions(agreements):
    assert keys(corridor_agreement_list(origin="TN", destination="MA")) == ["ma-tn-bla"]
    assert keys(corridor_agreement_list(origin="MA", destination="TN")) == ["ma-tn-bla"]
