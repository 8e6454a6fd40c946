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
    "language_level",
    "age",
    "qualification_recognised",
}


def read_profiles(folder=GOLDEN_DIR):
    """The profiles file: {"on": date, "profiles": [{"name": …, applicant fields…}]}."""
    return json.loads((Path(folder) / "profiles.json").read_text(encoding="utf-8"))


def golden_verdicts(profiles):
    """The structured verdicts of every profile: permit code, verdict, reason codes, statuses and sources."""
    on = datetime.date.fromisoformat(profiles["on"])
    results = []
    for profile in profiles["profiles"]:
        values = {key: value for key, value in profile.items() if key in APPLICANT_FIELDS}
        if values.get("salary") is not None:
            values["salary"] = Decimal(values["salary"])
        verdicts = evaluate_all(Applicant(**values), on)
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
                    }
                    for verdict in verdicts
                ],
            }
        )
    return {"on": profiles["on"], "results": results}


def golden_text(data):
    """The JSON text as stored: stable key order and indentation, so diffs stay small."""
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
