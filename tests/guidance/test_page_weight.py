"""A migrant page weighs under 60 KB transferred (HTML + CSS, gzip) and requests nothing else; on the demo data."""

import gzip
import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024
PAGES = {
    "home": "/ar/",
    "permit": "/ar/permits/de-skilled-worker-vocational/",
    "corridor": "/ar/corridors/MA-DE/",
    "eligibility": "/fr/eligibility/?nationality=MA&destination=DE&occupation=2221&job_offer=yes",
}


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def test_migrant_pages_stay_under_60_kb_with_nothing_but_one_stylesheet(client):
    call_command("load_demo_data", stdout=io.StringIO())
    css = Path(finders.find("css/hub.css")).read_bytes()
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content
        # The only subresource is the stylesheet: no scripts, images, fonts or frames to add weight.
        found = re.findall(rb'<(?:script|img|iframe|link)\b[^>]*(?:src|href)="([^"]+)"', html)
        subresources = [url for url in found if not url.startswith(b"data:")]  # inline: no request
        assert subresources == [b"/static/css/hub.css"], (name, subresources)
        total = gzipped_size(html) + gzipped_size(css)
        assert total < BUDGET, f"{name}: {total} bytes"
        # Guard against an empty page passing the budget.
        assert len(html) > 4000, name
