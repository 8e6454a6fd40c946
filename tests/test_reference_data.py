"""The public reference data shipped in reference_data/: SHA256SUMS lists every shipped data file with its
checksum (a refresh that forgets the checksums fails here), each dataset has its licence and source note,
and no unpacked copy of a compressed file is kept."""

import hashlib

import pytest

DATASETS = ("esco-isco08", "passport-index", "schengen-visa-stats")
LICENCES = ("LICENCE.md", "LICENSE")


def sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def listed(reference_data):
    sums = {}
    for number, line in enumerate((reference_data / "SHA256SUMS").read_text().splitlines(), start=1):
        checksum, _, name = line.partition("  ")
        assert len(checksum) == 64 and name, f"SHA256SUMS line {number} is not `sha256  path`: {line!r}"
        assert name not in sums, f"SHA256SUMS lists {name} twice"
        sums[name] = checksum
    return sums


def shipped(reference_data):
    files = [*reference_data.rglob("*.gz"), *reference_data.rglob("*.xlsx")]
    return {file.relative_to(reference_data).as_posix(): file for file in files}


def test_sha256sums_lists_exactly_the_shipped_data_files(reference_data):
    sums, files = listed(reference_data), shipped(reference_data)
    assert sorted(set(files) - set(sums)) == [], "shipped but not in SHA256SUMS (see reference_data/README.md)"
    assert sorted(set(sums) - set(files)) == [], "in SHA256SUMS but not shipped"


def test_each_shipped_file_matches_its_checksum(reference_data):
    sums, files = listed(reference_data), shipped(reference_data)
    wrong = [name for name, file in sorted(files.items()) if name in sums and sha256(file) != sums[name]]
    assert wrong == [], "changed since SHA256SUMS was written: refresh it as reference_data/README.md says"


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_dataset_has_its_licence_and_source(reference_data, dataset):
    folder = reference_data / dataset
    assert folder.is_dir()
    assert any((folder / name).is_file() for name in LICENCES), f"{dataset} has no {' or '.join(LICENCES)}"
    notes = [path.name for path in folder.iterdir() if path.name.upper().startswith(("SOURCE", "README"))]
    assert notes, f"{dataset} has no source note (SOURCE.md or README*.md)"
    assert f"`{dataset}/`" in (reference_data / "README.md").read_text(), "no row in reference_data/README.md"


def test_every_dataset_folder_is_known(reference_data):
    folders = sorted(path.name for path in reference_data.iterdir() if path.is_dir())
    assert folders == sorted(DATASETS), "a new dataset folder: add it here, with its licence and README row"


def test_no_unpacked_csv_is_kept(reference_data):
    assert sorted(str(path.relative_to(reference_data)) for path in reference_data.rglob("*.csv")) == []
