"""Golden verdicts: fixed applicant profiles whose structured verdicts are kept as JSON in tests/golden/.

A change of the demo data or of the engine's rules shows up as a diff of `eligibility.json` in review.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from .eligibility import Applicant, evaluate_all

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "golden"
APPLICANT_FIELDS = {
    "nationality",
    "destination",
    "isco_code",
    "esco_uri",
    "qualification",
    "job_offer",
    "salary",
    "salary_currency",
    "languages",
    "age",
    "qualification_recognised",
    "qualification_comparable",
    "graduation_year",
    "travel_document",
    "region",
    "employer_abroad",
    "sector",
}


def read_profiles(folder=GOLDEN_DIR):
    """The profiles file: {"on": date, "profiles": [{"name": …, applicant fields…, "expected": {…}}]}.

    `expected` holds, for the permits a reviewer checked against the law, {"verdict": …, "because": the
    provision and figure it rests on}; tests compare it with the engine's answer.
    """
    return json.loads((Path(folder) / "profiles.json").read_text(encoding="utf-8"))


def golden_verdicts(profiles):
    """The structured verdicts of every profile: permit code, verdict, reason codes, statuses and sources,
    what would change the answer, and the programmes for the corridor that concern it."""
    on = datetime.date.fromisoformat(profiles["on"])
    results = []
    for profile in profiles["profiles"]:
        verdicts = evaluate_all(applicant_of(profile), on)
        results.append(
            {
                "profile": profile["name"],
                "verdicts": [
                    {
                        "permit": verdict.permit_code,
                        "verdict": verdict.verdict,
                        "reasons": [
                            {"code": reason.code, "status": reason.status, "sources": list(reason.sources)}
                            for reason in verdict.reasons
                        ],
                        "changes": _changes(verdict.changes),
                        "programmes": [agreement.key for agreement in verdict.programmes],
                    }
                    for verdict in verdicts
                ],
            }
        )
    return {"on": profiles["on"], "results": results}


def _changes(changes):
    """What would change the answer, as codes and values (the messages are checked elsewhere)."""
    if changes is None or (not changes.changes and not changes.none):
        return None
    if changes.possible:
        return {"with": [{"code": change.code, **change.params} for change in changes.changes]}
    return {"none": [item.code for item in changes.none]}


def applicant_of(profile):
    """The Applicant a profile describes."""
    values = {key: value for key, value in profile.items() if key in APPLICANT_FIELDS}
    if values.get("salary") is not None:
        values["salary"] = Decimal(values["salary"])
    return Applicant(**values)


def golden_text(data):
    """The JSON text as stored: stable key order and indentation, so diffs stay small."""
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
