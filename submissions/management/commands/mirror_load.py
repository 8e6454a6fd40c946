from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from countries.models import Agreement, ContactPoint, LegalSource
from permits.models import PermitCategory, QualificationRecognition
from recruiters.models import CertificationLabel, RecruitmentAgency, RecruitmentRegime
from submissions.fetching import FetchFailed, FetchRefused, fetch
from submissions.package import MAX_UNPACKED_BYTES, PackageRefused, package_load, package_read
from submissions.services import DocumentInvalid

NOT_LOADED = "Package not loaded (nothing was changed): "
FETCH_TIMEOUT = 120
# The hub's own data must be empty: a mirror holds the other hub's data and nothing else.
DATA_MODELS = (
    PermitCategory,
    QualificationRecognition,
    CertificationLabel,
    Agreement,
    RecruitmentRegime,
    RecruitmentAgency,
    LegalSource,
    ContactPoint,
)


class Command(BaseCommand):
    help = (
        "Load a hub's bulk download (a data package zip, a file path or an http(s) URL) into this hub, which "
        "must hold no data yet: every file's SHA-256 is checked, a package of an unknown schema version is "
        "refused, and the rows are checked as an upload is. All or nothing. Set MIRROR_OF to serve it read-only."
    )

    def add_arguments(self, parser):
        parser.add_argument("package", help="Path or URL of the package (.zip).")

    def handle(self, *args, package, **options):
        content = _read(package)
        try:
            package_read(content)  # a package refused is said first, whatever the hub holds
        except PackageRefused as refused:
            raise CommandError(NOT_LOADED + str(refused)) from None
        filled = [model._meta.verbose_name_plural for model in DATA_MODELS if model._base_manager.exists()]
        if filled:
            raise CommandError(NOT_LOADED + f"this hub already holds data ({', '.join(map(str, filled))}).")
        try:
            descriptor, counts = package_load(content=content, reason=f"mirror load of {package}")
        except PackageRefused as refused:
            raise CommandError(NOT_LOADED + str(refused)) from None
        except DocumentInvalid as invalid:
            lines = [
                f"{error['sheet']} {error.get('key') or ''} {error['field']}: {error['message']}"
                for error in invalid.errors
            ]
            raise CommandError(NOT_LOADED + "\n".join(lines[:50])) from None
        summary = ", ".join(f"{count} {model._meta.verbose_name_plural}" for model, count in counts.items())
        version = descriptor["mobility_hub"]["data_version"]
        self.stdout.write(
            self.style.SUCCESS(f"Loaded data version {version} ({descriptor.get('created')}): {summary}.")
        )


def _read(package):
    if package.startswith(("http://", "https://")):
        try:
            fetched = fetch(package, headers={}, max_bytes=MAX_UNPACKED_BYTES, timeout=FETCH_TIMEOUT)
        except (FetchRefused, FetchFailed) as error:
            raise CommandError(NOT_LOADED + f"{package}: {error}") from None
        return fetched.body
    path = Path(package)
    if not path.is_file():
        raise CommandError(NOT_LOADED + f"no file {package}.")
    return path.read_bytes()
