"""The recruiter rules box: what a worker sees of a country's rules, in their language."""

import pytest
from django.utils import translation

from core.fields import PublicationStatus
from tests.factories import RecruitmentRegimeFactory

pytestmark = pytest.mark.django_db


def test_labels_public_channels_and_the_licence_fee_are_shown(client):
    with translation.override("en"):
        RecruitmentRegimeFactory(
            country_id="DE",
            worker_fee_rule="capped",
            worker_fee_cap="2000.00",
            worker_fee_cap_currency="EUR",
            registration_fee="377.00",
            registration_fee_currency="EUR",
            incentives="State seal 'Faire Anwerbung Pflege Deutschland'.",
            publication_status=PublicationStatus.PUBLISHED,
        )
    english = client.get("/en/countries/DE/").content.decode()
    assert "Labels, public channels and help" in english and "Faire Anwerbung Pflege Deutschland" in english
    assert "Licence fee" in english and "377" in english
    arabic = client.get("/ar/countries/DE/").content.decode()
    assert "العلامات والقنوات العامة والمساعدة" in arabic and "رسوم الترخيص" in arabic
