import re
import warnings
import zipfile
from pathlib import Path

import pycountry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.changelog import record_bulk
from core.loading import Progress, read_csv, reference_data
from countries.models import ConsulateVisaStatistic, Country

WHAT = "Schengen visa statistics"
FOLDER = "schengen-visa-stats"
SHEET = "Data for consulates"
COLUMNS = {
    "state": "Schengen State",
    "country": "Country where consulate is located",
    "city": "Consulate",
    "applications": "Uniform visas applied for",
    "issued": "Total uniform visas issued (including MEV)",
    "limited_validity_issued": "Total LTVs issued",
    "not_issued": "Uniform visas not issued",
}
# Names in the Commission's files that ISO 3166 (pycountry) spells differently.
ALIASES = {
    "CAPE VERDE": "CV",
    "CONGO (BRAZZAVILLE)": "CG",
    "CONGO (DEMOCRATIC REPUBLIC)": "CD",
    "COTE D'IVOIRE": "CI",
    "HONG KONG S.A.R.": "HK",
    "MACAO S.A.R.": "MO",
    "PALESTINIAN AUTHORITY": "PS",
    "KOSOVO": "XK",  # not in ISO 3166-1: its rows are skipped and counted
}
FIGURES = ("applications", "issued", "limited_validity_issued", "not_issued")


def _header(value):
    return " ".join(str(value or "").split())


def country_code(name, known):
    """The ISO alpha-2 code of a country name as the Commission writes it, or None."""
    name = _header(name)
    code = ALIASES.get(name.upper())
    if code is None:
        try:
            code = pycountry.countries.lookup(name).alpha_2
        except LookupError:
            return None
    return code if code in known else None


def year_of(path, year):
    if year:
        return year
    found = re.search(r"(20\d\d)", Path(path).name)
    if not found:
        raise CommandError(f"{WHAT}: cannot tell the year of {path} from its name (pass --year).")
    return int(found.group(1))


def read_rows(path):
    """The rows of a CSV file or of the xlsx sheet "Data for consulates", as dicts keyed by COLUMNS."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{WHAT}: no file at {file} (give a file or a folder like {reference_data(FOLDER)}).")
    with file.open("rb") as handle:
        is_zip = handle.read(4) == b"PK\x03\x04"
    if is_zip:
        return _xlsx_rows(file)
    if file.suffix.lower() == ".xlsx":
        raise CommandError(f"{WHAT}: {file} is not an xlsx workbook.")
    rows = read_csv(file, what=WHAT, required_columns=tuple(COLUMNS.values()))
    return [{key: row.get(column) for key, column in COLUMNS.items()} for row in rows]


def _xlsx_rows(file):
    from openpyxl import load_workbook  # reads the XML through defusedxml when it is installed

    with warnings.catch_warnings():
        # The Commission's print headers cannot be parsed by openpyxl; they carry no data.
        warnings.filterwarnings("ignore", message="Cannot parse header or footer")
        return _sheet_rows(file, load_workbook)


def _sheet_rows(file, load_workbook):
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise CommandError(f"{WHAT}: {file} is not a readable xlsx workbook ({error}).") from error
    try:
        if SHEET not in workbook.sheetnames:
            raise CommandError(f"{WHAT}: {file} has no sheet {SHEET!r}.")
        rows = workbook[SHEET].iter_rows(values_only=True)
        header = [_header(cell) for cell in next(rows, ())]
        missing = [column for column in COLUMNS.values() if column not in header]
        if missing:
            raise CommandError(f"{WHAT}: {file} is not in the expected format: missing column(s) {', '.join(missing)}.")
        index = {key: header.index(column) for key, column in COLUMNS.items()}
        return [{key: row[position] for key, position in index.items()} for row in rows if any(row)]
    finally:
        workbook.close()


def figure(value, *, number, column):
    if value is None or value == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number_value = value
    else:
        try:
            number_value = int(str(value).strip().replace(",", ""))
        except ValueError:
            raise CommandError(f"{WHAT}, row {number}: {COLUMNS[column]!r} is not a whole number: {value!r}.") from None
    if number_value < 0:
        raise CommandError(f"{WHAT}, row {number}: {COLUMNS[column]!r} is negative: {value!r}.")
    return number_value


class Command(BaseCommand):
    help = (
        "Load the European Commission's Schengen short-stay visa statistics per consulate: a CSV (plain or .csv.gz) "
        "or xlsx file (sheet 'Data for consulates'), or a folder whose xlsx files are all loaded (its CSV files "
        "only when it has no xlsx). Default: the copy shipped in reference_data/schengen-visa-stats. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(reference_data(FOLDER)),
            help="File or folder (default: reference_data/schengen-visa-stats, its xlsx workbooks).",
        )
        parser.add_argument("--year", type=int, help="Year of the figures (default: read from the file name).")

    def handle(self, *args, path, year, **options):
        folder = Path(path)
        if folder.is_dir():
            # The workbooks when there are any (the derived CSV repeats the 2024 workbook), else the CSV files.
            files = sorted(folder.glob("*.xlsx")) or sorted([*folder.glob("*.csv"), *folder.glob("*.csv.gz")])
            if not files:
                raise CommandError(f"{WHAT}: no xlsx or csv file in {folder}.")
            if year and len(files) > 1:
                raise CommandError(f"{WHAT}: --year applies to one file, not to a folder of {len(files)}.")
        else:
            files = [folder]
        known = set(Country.objects.values_list("code", flat=True))
        if not known:
            raise CommandError(f"{WHAT}: load the countries first (manage.py load_countries).")
        for file in files:
            self._load(file, year_of(file, year), known)

    def _load(self, file, year, known):
        rows = read_rows(file)
        wanted, unknown_names, skipped = {}, set(), 0
        for number, row in enumerate(rows, start=2):
            if not _header(row["state"]):
                continue  # the totals at the foot of the sheet
            state, country = country_code(row["state"], known), country_code(row["country"], known)
            if state is None or country is None:
                unknown_names.add(_header(row["state"] if state is None else row["country"]))
                skipped += 1
                continue
            city = _header(row["city"]).upper()
            if not city:
                raise CommandError(f"{WHAT}, {file.name} row {number}: the consulate is empty.")
            values = {name: figure(row[name], number=number, column=name) for name in FIGURES}
            key = (state, country, city)
            if key in wanted:  # the same consulate twice: the Commission's rows add up
                values = {name: wanted[key][name] + values[name] for name in FIGURES}
            wanted[key] = values
        with transaction.atomic():
            created, updated = self._write(year, wanted)
        unknown = f" ({', '.join(sorted(unknown_names))})" if unknown_names else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{WHAT} {year} from {file.name}: {len(wanted):,} consulates: {created:,} created, "
                f"{updated:,} updated, {len(wanted) - created - updated:,} unchanged; "
                f"{skipped} rows of unknown countries skipped{unknown}."
            )
        )

    def _write(self, year, wanted):
        existing = {
            (row.schengen_state_id, row.consulate_country_id, row.consulate_city): row
            for row in ConsulateVisaStatistic.objects.filter(year=year)
        }
        new, changed = [], []
        progress = Progress(self.stdout, f"{WHAT} {year}", len(wanted), every=500)
        for (state, country, city), values in wanted.items():
            values = {
                **values,
                "refusal_rate": ConsulateVisaStatistic.rate(
                    values["issued"], values["limited_validity_issued"], values["not_issued"]
                ),
            }
            current = existing.get((state, country, city))
            if current is None:
                new.append(
                    ConsulateVisaStatistic(
                        year=year, schengen_state_id=state, consulate_country_id=country, consulate_city=city, **values
                    )
                )
            elif any(getattr(current, name) != value for name, value in values.items()):
                current._changelog_before = {name: str(getattr(current, name)) for name in values}
                for name, value in values.items():
                    setattr(current, name, value)
                changed.append(current)
            progress.step()
        progress.finish()
        fields = (*FIGURES, "refusal_rate")
        ConsulateVisaStatistic.objects.bulk_create(new, batch_size=1000)
        ConsulateVisaStatistic.objects.bulk_update(changed, fields, batch_size=1000)
        record_bulk(new, created=True)
        record_bulk(changed, created=False, fields=fields)
        return len(new), len(changed)
