"""The published data in the vocabularies data users expect (issue 23), as JSON-LD.

- the dataset: DCAT-AP (dcat:Dataset with its distributions, the bulk downloads);
- a permit: CPSV-AP (cpsv:PublicService: competent authority, cost, requirement → evidence,
  processing time, legal resource, channel, contact point);
- the permit and agreement pages: schema.org GovernmentService and Legislation, embedded.

Every document carries its context inline (prefixes of the vocabularies' namespaces), so that it
expands without fetching a remote context: the tests expand them with pyld, offline. Countries are
the EU authority table's URIs (ISO 3166 alpha-3), currencies its ISO 4217 URIs, occupations ISCO-08
codes with their ESCO URIs, languages its ISO 639 URIs.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from permits.models import ProcessingBasis

from .datasets import HUB_DATA_LICENCE

PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "https://schema.org/",
}
AUTHORITY = "http://publications.europa.eu/resource/authority/"
# ISO 639-2 codes of the EU language authority table for the hub's languages.
LANGUAGE_AUTHORITY = {"en": "ENG", "fr": "FRA", "ar": "ARA", "de": "DEU"}
SCHEMA_ORG_CONTEXT = {"@vocab": "https://schema.org/"}


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def texts(obj, field):
    """A translated field in every language that has a text, as JSON-LD language-tagged values."""
    values = []
    for language in _languages():
        text = getattr(obj, f"{field}_{language}", "") or ""
        if text:
            values.append({"@value": text, "@language": language})
    return values


def country_uri(country):
    return f"{AUTHORITY}country/{country.iso3}"


def currency_uri(code):
    return f"{AUTHORITY}currency/{code}" if code else None


def _date(value):
    return {"@value": value.isoformat(), "@type": "xsd:date"} if value else None


def _drop_empty(document):
    return {key: value for key, value in document.items() if value not in (None, "", [], {})}


# -- DCAT-AP: the dataset ------------------------------------------------------------------------------


def dcat_dataset(*, base_url, packages, countries):
    """The DCAT-AP description of the hub's dataset: one distribution per kept package (newest
    first), the API as a data service."""
    dataset_uri = base_url + reverse("api-dcat")
    distributions = []
    for entry in packages:
        url = base_url + reverse("api-datapackage-file", args=[entry["file"]])
        distributions.append(
            _drop_empty(
                {
                    "@id": url,
                    "@type": "dcat:Distribution",
                    "dct:title": f"Data package {entry['data_version']}",
                    "dcat:downloadURL": {"@id": url},
                    "dcat:accessURL": {"@id": url},
                    "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/application/zip"},
                    "dct:format": {"@id": f"{AUTHORITY}file-type/ZIP"},
                    "dct:license": {"@id": HUB_DATA_LICENCE["url"]},
                    "dcat:byteSize": {"@value": str(entry["bytes"]), "@type": "xsd:nonNegativeInteger"},
                    "dct:issued": {"@value": entry["data_version_time"], "@type": "xsd:dateTime"},
                    "owl:versionInfo": entry["data_version"],
                    "spdx:checksum": {
                        "@type": "spdx:Checksum",
                        "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                        "spdx:checksumValue": {"@value": entry["sha256"], "@type": "xsd:hexBinary"},
                    },
                }
            )
        )
    api_root = base_url + reverse("api-root")
    with translation.override("en"):
        title = "Mobility Hub: rules of labour mobility"
        description = (
            "Work and residence permits with their documents, fees and salary thresholds, bilateral labour "
            "agreements, corridors, recruitment regimes, licensed recruitment agencies, legal sources and "
            "contact points, in English, French, Arabic and German."
        )
    document = {
        "@context": PREFIXES,
        "@id": dataset_uri,
        "@type": "dcat:Dataset",
        "dct:title": {"@value": title, "@language": "en"},
        "dct:description": {"@value": description, "@language": "en"},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": "Mobility Hub", "foaf:homepage": {"@id": base_url + "/"}},
        "dct:license": {"@id": HUB_DATA_LICENCE["url"]},
        "dct:language": [{"@id": f"{AUTHORITY}language/{LANGUAGE_AUTHORITY[code]}"} for code in _languages()],
        "dct:spatial": [{"@id": country_uri(country)} for country in countries],
        "dcat:landingPage": {"@id": base_url + reverse("guidance:downloads")},
        "dcat:distribution": distributions,
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:hasEmail": {"@id": f"mailto:{settings.HUB_CONTACT_EMAIL}"},
        },
        "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"},
    }
    if packages:
        document["owl:versionInfo"] = packages[0]["data_version"]
        document["dct:modified"] = {"@value": packages[0]["data_version_time"], "@type": "xsd:dateTime"}
    service = {
        "@id": api_root,
        "@type": "dcat:DataService",
        "dct:title": {"@value": "Mobility Hub API", "@language": "en"},
        "dcat:endpointURL": {"@id": api_root},
        "dcat:endpointDescription": {"@id": base_url + reverse("api-schema")},
        "dcat:servesDataset": {"@id": dataset_uri},
    }
    return {"@context": PREFIXES, "@graph": [_strip_context(document), service]}


def _strip_context(document):
    return {key: value for key, value in document.items() if key != "@context"}


# -- CPSV-AP: a permit ---------------------------------------------------------------------------------


def _contact(contact):
    if contact is None:
        return None
    return _drop_empty(
        {
            "@type": "schema:ContactPoint",
            "schema:name": contact.name,
            "schema:url": contact.url,
            "schema:email": contact.email,
            "schema:telephone": contact.phone,
        }
    )


# An ELI (European Legislation Identifier) is an HTTP URI identifying a legal resource, built by its
# publisher on the template {base}/eli/{jurisdiction}/{agent}/.../{year}/.../{natural identifier}/...
# (ELI pillar I; the register's technical information, https://eur-lex.europa.eu/eli-register/technical_information.html,
# read 2026-12-03; examples: http://data.europa.eu/eli/dir/2020/1057/oj, https://www.boe.es/eli/es/lo/2013/12/20/9).
ELI_URL = re.compile(r"https?://[^/?#]+/eli/[^?#]+")


def eli_of(url):
    """The European Legislation Identifier a source's URL is, or None when it is another page."""
    return url if url and ELI_URL.fullmatch(url) else None


def _legal_resource(source):
    """A legal source as an eli:LegalResource, the class CPSV-AP 3.x takes from the ELI ontology and
    whose properties it leaves to it (CPSV-AP 3.2.0, "Legal Resource": https://semiceu.github.io/CPSV-AP/
    releases/3.2.0/, its rdf/cpsv-ap.ttl read 2026-12-03). The ELI identifies the legal resource: it is
    the node's @id. A source whose URL is not an ELI (a page about the law, a gazette's PDF) is a node
    without identifier, its URL the page about it (foaf:page, CPSV-AP's "related documentation"): the
    hub makes up no ELI."""
    eli = eli_of(source.url)
    return _drop_empty(
        {
            "@id": eli,
            "foaf:page": None if eli else {"@id": source.url},
            "@type": "eli:LegalResource",
            "dct:title": source.title,
            "eli:number": source.article,
            "eli:date_document": _date(source.version_date),
        }
    )


def permit_cpsv(permit, *, base_url):
    """A published permit as a CPSV-AP public service."""
    page = base_url + reverse("permits:permit", args=[permit.code])
    contact = permit.contact_point
    authority = _drop_empty(
        {
            "@type": "cv:PublicOrganisation",
            "skos:prefLabel": contact.name if contact else None,
            "cv:spatial": {"@id": country_uri(permit.country)},
            "foaf:homepage": {"@id": contact.url} if contact and contact.url else None,
        }
    )
    costs = [
        _drop_empty(
            {
                "@type": "cv:Cost",
                "dct:description": texts(fee, "name") or fee.name,
                "cv:value": {"@value": f"{fee.amount:.2f}", "@type": "xsd:decimal"} if fee.amount is not None else None,
                "cv:currency": {"@id": currency_uri(fee.currency)} if fee.currency else None,
                "dct:type": fee.payer,
            }
        )
        for fee in permit.fees.all()
    ]
    requirements = [
        _drop_empty(
            {
                "@type": "cv:Requirement",
                "dct:title": texts(document, "name") or document.name,
                "cv:hasSupportingEvidence": {
                    "@type": "cv:Evidence",
                    "dct:title": texts(document, "name") or document.name,
                },
                "cv:obligatory": {"@value": "true" if document.mandatory else "false", "@type": "xsd:boolean"},
            }
        )
        for document in permit.documents.all()
    ]
    channels = [
        _drop_empty({"@type": "cv:Channel", "dct:type": place, "cv:ownedBy": authority or None})
        for place in permit.where_to_apply or []
    ]
    if permit.official_url:
        channels.append({"@id": permit.official_url, "@type": "cv:Channel", "dct:type": "online"})
    document = {
        "@context": PREFIXES,
        "@id": page,
        "@type": "cpsv:PublicService",
        "dct:identifier": permit.code,
        "dct:title": texts(permit, "name"),
        "dct:description": texts(permit, "description"),
        "dct:spatial": {"@id": country_uri(permit.country)},
        "cv:hasCompetentAuthority": authority,
        "cv:hasCost": costs,
        "cv:holdsRequirement": requirements,
        "cv:processingTime": (
            {"@value": f"P{permit.processing_days_max}D", "@type": "xsd:duration"}
            if permit.processing_days_max and ProcessingBasis.is_time_to_decision(permit.processing_basis)
            else None
        ),
        "cv:hasLegalResource": [_legal_resource(source) for source in permit.legal_sources.all()],
        "cv:hasChannel": channels,
        "cv:hasContactPoint": _contact(contact),
        "cv:sector": [{"@id": f"http://data.europa.eu/esco/isco/C{group.code}"} for group in permit.occupations.all()],
        "dct:modified": _date(permit.last_verified),
    }
    return _drop_empty(document)


# -- schema.org, embedded in the pages -----------------------------------------------------------------


def _in_language(obj, field):
    """The text of the page's language, English when it has none."""
    language = translation.get_language() or "en"
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_en", "") or getattr(obj, field, "") or ""


def permit_schema_org(permit, *, page_url):
    """A permit page's schema.org GovernmentService."""
    contact = permit.contact_point
    offers = [
        _drop_empty(
            {
                "@type": "Offer",
                "name": _in_language(fee, "name"),
                "price": f"{fee.amount:.2f}" if fee.amount is not None else None,
                "priceCurrency": fee.currency,
            }
        )
        for fee in permit.fees.all()
    ]
    return _drop_empty(
        {
            "@context": SCHEMA_ORG_CONTEXT,
            "@type": "GovernmentService",
            "@id": page_url,
            "url": page_url,
            "identifier": permit.code,
            "name": _in_language(permit, "name"),
            "description": _in_language(permit, "description"),
            "inLanguage": translation.get_language(),
            "serviceType": permit.get_purpose_display(),
            "areaServed": {"@type": "Country", "name": permit.country.name, "identifier": permit.country.code},
            "provider": _drop_empty({"@type": "GovernmentOrganization", "name": contact.name, "url": contact.url})
            if contact
            else None,
            "availableChannel": {"@type": "ServiceChannel", "serviceUrl": permit.official_url}
            if permit.official_url
            else None,
            "offers": offers,
            "isBasedOn": [
                _drop_empty(
                    {
                        "@type": "Legislation",
                        "name": source.title,
                        "url": source.url,
                        "legislationIdentifier": source.article,
                    }
                )
                for source in permit.legal_sources.all()
            ],
            "license": HUB_DATA_LICENCE["url"],
        }
    )


def agreement_schema_org(agreement, *, page_url):
    """An agreement page's schema.org Legislation."""
    return _drop_empty(
        {
            "@context": SCHEMA_ORG_CONTEXT,
            "@type": "Legislation",
            "@id": page_url,
            "url": page_url,
            "identifier": agreement.key,
            "name": _in_language(agreement, "title"),
            "abstract": _in_language(agreement, "summary"),
            "inLanguage": translation.get_language(),
            "legislationType": agreement.get_type_display(),
            "legislationDate": agreement.signed_on.isoformat() if agreement.signed_on else None,
            "legislationDateOfApplicability": agreement.in_force_on.isoformat() if agreement.in_force_on else None,
            "expires": agreement.expires_on.isoformat() if agreement.expires_on else None,
            "legislationJurisdiction": [
                {"@type": "Country", "name": country.name, "identifier": country.code}
                for country in agreement.parties.all()
            ],
            "sameAs": agreement.full_text_url,
            "license": HUB_DATA_LICENCE["url"],
        }
    )
