"""The public datasets the hub uses, with their licences and the statements those licences ask for.

The one place these facts live (the About page reads them); the files themselves and their full
licence texts are in reference_data/ (see its README). An `attribution` is kept in English, as the
licence words it, and marked with gettext_noop so that the page can show a translation beside it.
"""

from dataclasses import dataclass
from importlib.metadata import version

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

EU_REUSE_DECISION = _("Commission Decision 2011/833/EU on the reuse of Commission documents")
EU_REUSE_DECISION_URL = "https://eur-lex.europa.eu/eli/dec/2011/833/oj"


@dataclass(frozen=True)
class ReferenceDataset:
    key: str
    name: str
    used_for: str
    publisher: str
    source_url: str
    version: str
    licence: str
    licence_url: str
    folder: str = ""
    attribution: str = ""
    note: str = ""


REFERENCE_DATASETS = (
    ReferenceDataset(
        key="esco",
        name=_("Occupations: the ESCO classification and ISCO-08"),
        used_for=_(
            "The occupations people can choose in the eligibility check and in search, and the ISCO-08 groups of "
            "the International Labour Organization that ESCO places them in."
        ),
        publisher=_("European Commission (ESCO © European Union)"),
        source_url="https://esco.ec.europa.eu/",
        version=_("ESCO v1.0 (English), v1.1.1 (French), v1.2.0 (German), v1.2.1 (Arabic)"),
        licence=EU_REUSE_DECISION,
        licence_url=EU_REUSE_DECISION_URL,
        folder="reference_data/esco-isco08/",
        attribution=gettext_noop("This service uses the ESCO classification of the European Commission."),
        note=_("ESCO has no Arabic titles for the ISCO-08 groups: the Arabic group titles are the hub's own."),
    ),
    ReferenceDataset(
        key="passport-index",
        name=_("Visa requirements: the Passport Index Dataset"),
        used_for=_("Whether people of one nationality need a visa to visit another country."),
        publisher=_("Ilya Ilyankou, from the data of passportindex.org"),
        source_url="https://github.com/ilyankou/passport-index-dataset",
        version=_("snapshot of 12 January 2025"),
        licence=_("MIT licence"),
        licence_url="https://github.com/ilyankou/passport-index-dataset/blob/HEAD/LICENSE",
        folder="reference_data/passport-index/",
        attribution=gettext_noop(
            "Copyright (c) 2019 Ilya Ilyankou. The Passport Index Dataset is used under the MIT licence."
        ),
    ),
    ReferenceDataset(
        key="schengen-visa-statistics",
        name=_("Schengen visa statistics per consulate"),
        used_for=_("How many short-stay Schengen visas consulates issued and refused, in the corridor comparison."),
        publisher=_("European Commission, DG Migration and Home Affairs (© European Union)"),
        source_url="https://ec.europa.eu/home-affairs/policies/schengen-borders-and-visa/visa-policy_en",
        version=_("statistics for the years 2022, 2023 and 2024"),
        licence=EU_REUSE_DECISION,
        licence_url=EU_REUSE_DECISION_URL,
        folder="reference_data/schengen-visa-stats/",
        attribution=gettext_noop("Source: European Commission, DG Migration and Home Affairs"),
        note=_("The figures are by the country where the consulate is, not by the applicants' nationality."),
    ),
    ReferenceDataset(
        key="iso-3166",
        name=_("Country names and codes: ISO 3166"),
        used_for=_("Country codes, and country names in English, French, Arabic and German."),
        publisher=_("The pycountry package, which ships the ISO 3166 data of Debian's iso-codes"),
        source_url="https://pypi.org/project/pycountry/",
        version=f"pycountry {version('pycountry')}",
        licence=_("GNU Lesser General Public License, version 2.1 (LGPL-2.1)"),
        licence_url="https://www.gnu.org/licenses/old-licenses/lgpl-2.1.html",
    ),
)

# The hub's own data (what its focal points and editors publish), distinct from the datasets above.
HUB_DATA_LICENCE = {
    "name": _("Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
