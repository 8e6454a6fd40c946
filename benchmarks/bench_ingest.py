"""Ingest a generated 10,000-row agency file: validate, approve, publish. Prints seconds and peak memory.

    .venv/bin/python benchmarks/bench_ingest.py [--rows 10000]

The parent prepares a fresh SQLite database (migrate, countries); a child process does only the
ingestion, so its peak resident memory (getrusage) is the ingestion's plus Django's own.
Targets: under 10 s and under 200 MB.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MB = 10, 200


def setup_django(database):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("REDIS_URL", None)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility_hub.settings")
    import django

    django.setup()


def agency_csv(rows):
    lines = ["legal_name,licence_number,status,valid_from,valid_until,destinations,sectors,is_example,last_confirmed"]
    for number in range(rows):
        lines.append(
            f"Example agency {number},EXAMPLE-MA-{number:06d},active,2024-01-01,2027-12-31,SA; QA; AE,Q; F,true,"
            "2026-11-25"
        )
    return ("\n".join(lines) + "\n").encode()


def child(database, media, rows):
    setup_django(database)
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from recruiters.models import RecruitmentAgency
    from submissions import services
    from submissions.models import Submission
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = media
    focal_point = UserFactory(role="focal_point", countries=["MA"])
    editor = UserFactory(role="hub_editor")
    data = agency_csv(rows)
    start = time.perf_counter()
    submission = services.submission_create(
        submitter=focal_point, country="MA", file=SimpleUploadedFile("agencies.csv", data)
    )  # validated eagerly on commit
    submission.refresh_from_db(fields=["status"])
    validated = time.perf_counter()
    assert submission.status == "ready_for_review", Submission.objects.get(pk=submission.pk).report["errors"][:3]
    services.submission_approve(submission=submission, reviewer=editor)  # published eagerly on commit
    submission.refresh_from_db(fields=["status"])
    published = time.perf_counter()
    assert submission.status == "published", Submission.objects.get(pk=submission.pk).report
    assert RecruitmentAgency.objects.published().filter(country="MA").count() == rows
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": len(data),
                "validate_seconds": round(validated - start, 2),
                "publish_seconds": round(published - validated, 2),
                "seconds": round(published - start, 2),
                "peak_mb": round(peak_mb, 1),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--child", nargs=2, metavar=("DATABASE", "MEDIA"))
    args = parser.parse_args()
    if args.child:
        return child(*args.child, args.rows)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        setup_django(database)
        from django.core.management import call_command

        with open(os.devnull, "w") as quiet:
            call_command("migrate", verbosity=0, stdout=quiet)
            call_command("load_countries", stdout=quiet)
        output = subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--child", str(database), str(Path(folder) / "media")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if output.returncode:
            sys.stderr.write(output.stdout + output.stderr)
            return output.returncode
        result = json.loads(output.stdout.strip().splitlines()[-1])
    ok = result["seconds"] < TARGET_SECONDS and result["peak_mb"] < TARGET_MB
    print(
        f"bench_ingest: {result['rows']:,} agency rows ({result['bytes']:,} bytes CSV): "
        f"validate {result['validate_seconds']} s + publish {result['publish_seconds']} s = {result['seconds']} s "
        f"(target < {TARGET_SECONDS} s), peak memory {result['peak_mb']} MB (target < {TARGET_MB} MB) "
        f"{'OK' if ok else 'OVER TARGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
