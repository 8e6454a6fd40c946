import difflib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guidance.golden import GOLDEN_DIR, golden_text, golden_verdicts, read_profiles


class Command(BaseCommand):
    help = (
        "Compute the verdicts of the golden applicant profiles (tests/golden/profiles.json) on the loaded data; "
        "with --write store them in tests/golden/eligibility.json, else compare and fail on a difference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Write eligibility.json instead of comparing.")
        parser.add_argument("--dir", default=str(GOLDEN_DIR), help="Folder of profiles.json and eligibility.json.")

    def handle(self, *args, write, dir, **options):
        folder = Path(dir)
        if not (folder / "profiles.json").is_file():
            raise CommandError(f"No profiles.json in {folder}.")
        text = golden_text(golden_verdicts(read_profiles(folder)))
        target = folder / "eligibility.json"
        if write:
            target.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {target}.")
            return
        stored = target.read_text(encoding="utf-8") if target.is_file() else ""
        if stored == text:
            self.stdout.write("The golden verdicts match.")
            return
        diff = difflib.unified_diff(
            stored.splitlines(keepends=True), text.splitlines(keepends=True), "stored", "computed", n=2
        )
        self.stdout.write("".join(diff))
        raise CommandError("The golden verdicts differ: review the diff, then run with --write.")
