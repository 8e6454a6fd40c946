"""Ingest a generated agency file as the embedded mode does: upload, validate, approve, publish.
Prints seconds and memory.

    .venv/bin/python benchmarks/bench_ingest.py [--rows 10000]
    .venv/bin/python benchmarks/bench_ingest.py --large      # 110,000 rows, 9.8 MB: the issue 18 probe

The parent prepares a fresh SQLite database (migrate, countries); a child process does only the
ingestion, so its peak resident memory (getrusage) is the ingestion's plus Django's own. The upload
returns at once (validation and publishing run in the embedded mode's background thread, which the
child waits for); the increase is the peak resident memory after the ingestion minus the one before.
Targets: 10,000 rows under 10 s and 200 MB peak; 110,000 rows: the upload under 1 s, under 300 MB
peak increase, under 120 s in all.
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
TARGETS = {  # rows: (seconds in all, MB peak or peak increase, seconds for the upload request)
    "small": (10, 200, 1),
    "large": (120, 300, 1),
}
LARGE_ROWS = 110_000


def setup_django(database):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.pop("REDIS_URL", None)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility_hub.settings")
    import django

    django.setup()


def agency_csv(rows):
    """A register of `rows` example agencies (89 bytes a row: 110,000 rows fit in 10 MB)."""
    lines = ["legal_name,licence_number,status,valid_from,valid_until,destinations,sectors,is_example,last_confirmed"]
    for number in range(rows):
        lines.append(
            f"Agency {number},EXAMPLE-MA-{number:06d},active,2024-01-01,2027-12-31,SA;QA;AE,Q;F,true,2026-11-25"
        )
    return ("\n".join(lines) + "\n").encode()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(database, media, rows):
    setup_django(database)
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from recruiters.models import RecruitmentAgency
    from submissions import background, services
    from submissions.api.serializers import SubmissionSerializer
    from submissions.models import Submission
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = media
    focal_point = UserFactory(role="focal_point", countries=["MA"])
    editor = UserFactory(role="hub_editor")
    data = agency_csv(rows)
    upload = SimpleUploadedFile("agencies.csv", data)
    before_mb = peak_mb()
    start = time.perf_counter()
    submission = services.submission_create(submitter=focal_point, country="MA", file=upload)
    uploaded = time.perf_counter()  # what the request waits for; validation follows in the background
    del data, upload
    assert background.wait(timeout=3600)
    submission.refresh_from_db()
    validated = time.perf_counter()
    assert submission.status == "ready_for_review", Submission.objects.get(pk=submission.pk).report["errors"][:3]
    detail_bytes = len(json.dumps(SubmissionSerializer(submission).data, default=str))  # the API's detail
    services.submission_approve(submission=submission, reviewer=editor)
    assert background.wait(timeout=3600)
    submission.refresh_from_db()
    published = time.perf_counter()
    assert submission.status == "published", submission.report
    assert RecruitmentAgency.objects.published().filter(country="MA").count() == rows
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": submission.size,
                "upload_seconds": round(uploaded - start, 2),
                "validate_seconds": round(validated - uploaded, 2),
                "publish_seconds": round(published - validated, 2),
                "seconds": round(published - start, 2),
                "detail_bytes": detail_bytes,
                "before_mb": round(before_mb, 1),
                "peak_mb": round(peak_mb(), 1),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--large", action="store_true", help=f"{LARGE_ROWS:,} rows, the peak increase targeted")
    parser.add_argument("--child", nargs=2, metavar=("DATABASE", "MEDIA"))
    args = parser.parse_args()
    rows = LARGE_ROWS if args.large else args.rows
    if args.child:
        return child(*args.child, rows)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        setup_django(database)
        from django.core.management import call_command

        with open(os.devnull, "w") as quiet:
            call_command("migrate", verbosity=0, stdout=quiet)
            call_command("load_countries", stdout=quiet)
        output = subprocess.run(
            [sys.executable, __file__, "--rows", str(rows), "--child", str(database), str(Path(folder) / "media")],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if output.returncode:
            sys.stderr.write(output.stdout + output.stderr)
            return output.returncode
        result = json.loads(output.stdout.strip().splitlines()[-1])
    seconds, megabytes, upload_seconds = TARGETS["large" if args.large else "small"]
    increase = round(result["peak_mb"] - result["before_mb"], 1)
    memory, memory_text = (
        (increase, f"peak memory increase {increase} MB ({result['before_mb']} → {result['peak_mb']} MB)")
        if args.large
        else (result["peak_mb"], f"peak memory {result['peak_mb']} MB")
    )
    ok = result["seconds"] < seconds and memory < megabytes and result["upload_seconds"] < upload_seconds
    print(
        f"bench_ingest: {result['rows']:,} agency rows ({result['bytes']:,} bytes CSV): upload "
        f"{result['upload_seconds']} s (target < {upload_seconds} s), then validate {result['validate_seconds']} s "
        f"+ publish {result['publish_seconds']} s = {result['seconds']} s (target < {seconds} s), "
        f"{memory_text} (target < {megabytes} MB); the submission's API detail {result['detail_bytes']:,} bytes "
        f"{'OK' if ok else 'OVER TARGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
