"""The occupation and visa-requirement loaders, on the real public files."""

import gzip
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from core.models import ObjectChange
from permits.models import EscoOccupation, IscoGroup, VisaRequirement

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_isco_groups_all_four_levels():
    counts = {level: IscoGroup.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 10, 2: 43, 3: 130, 4: 436}
    nurses = IscoGroup.objects.get(code="2221")
    assert nurses.title == "Nursing professionals"
    assert nurses.parent.parent.parent.code == "2"
    assert nurses.ancestor_codes() == ["2221", "222", "22", "2"]


def test_esco_occupations_filed_under_unit_groups():
    assert EscoOccupation.objects.count() == 2942
    assert not EscoOccupation.objects.exclude(isco_group__level=4).exists()


def test_occupation_loader_is_idempotent(reference_data):
    output = run("load_occupations", str(reference_data / "esco-isco08"))
    assert "619 read (10 major, 43 sub-major, 130 minor, 436 unit); 0 created, 0 updated" in output
    assert "2942 read; 0 created, 0 updated" in output
    assert "0 created, 0 removed." in output  # the labels


def test_occupation_loader_reads_the_shipped_copy_by_default():
    output = run("load_occupations")
    assert "619 read (10 major, 43 sub-major, 130 minor, 436 unit); 0 created, 0 updated" in output


def test_occupation_loader_reads_an_uncompressed_newer_copy(reference_data, tmp_path):
    """A newer upstream copy (--data, ../shared/data) may hold the plain CSV files (ESCO's only: the hub's own
    translations and synonyms are read from reference_data/)."""
    for packed_file in (reference_data / "esco-isco08").glob("*.csv.gz"):
        if ".hub" not in packed_file.name:
            with gzip.open(packed_file, "rb") as packed:
                (tmp_path / packed_file.name.removesuffix(".gz")).write_bytes(packed.read())
    nurses = EscoOccupation.objects.filter(isco_group="2221").first()
    EscoOccupation.objects.filter(pk=nurses.pk).update(title_en="changed")
    output = run("load_occupations", str(tmp_path))
    assert "2942 read; 0 created, 1 updated" in output
    nurses.refresh_from_db()
    assert nurses.title_en != "changed"


def test_visa_requirements_real_file(reference_data):
    path = reference_data / "passport-index" / "passport-index-tidy-iso2.csv.gz"
    output = run("load_visa_requirements", str(path))
    assert "39,601 rows read, 199 own-country rows skipped, 39,402 pairs: 39,402 created" in output
    assert VisaRequirement.objects.count() == 39_402
    assert not VisaRequirement.objects.filter(nationality=F("destination")).exists()
    # Every created pair is in the change log, filed under its destination.
    assert ObjectChange.objects.filter(content_type__model="visarequirement").count() == 39_402
    again = run("load_visa_requirements")  # by default the shipped copy, the same file
    assert "0 created, 0 updated, 39,402 unchanged" in again
    assert VisaRequirement.objects.count() == 39_402


def test_visa_requirement_values_are_parsed(tmp_path):
    path = tmp_path / "visa.csv"
    path.write_text("Passport,Destination,Requirement\nMA,TN,90\nMA,DE,visa required\nMA,MA,-1\nMA,QA,e-visa\n")
    run("load_visa_requirements", str(path))
    assert VisaRequirement.objects.get(nationality="MA", destination="TN").days == 90
    assert VisaRequirement.objects.get(nationality="MA", destination="DE").requirement == "visa_required"
    assert VisaRequirement.objects.get(nationality="MA", destination="QA").requirement == "e_visa"
    assert VisaRequirement.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Passport,Destination\nMA,TN\n", "missing column(s) Requirement"),
        ("Passport,Destination,Requirement\nMA,TN,maybe\n", "line 2: unknown requirement 'maybe'"),
        ("Passport,Destination,Requirement\nMA,ZZ,90\n", "line 2: unknown country code 'ZZ'"),
    ],
)
def test_visa_loader_rejects_malformed_file(tmp_path, content, message):
    path = tmp_path / "visa.csv"
    path.write_text(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        run("load_visa_requirements", str(path))
    assert VisaRequirement.objects.count() == 0


def test_loaders_say_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="no file at"):
        run("load_visa_requirements", str(tmp_path / "nothing.csv"))
    with pytest.raises(CommandError, match=re.escape("neither ISCOGroups_en.csv.gz nor ISCOGroups_en.csv in")):
        run("load_occupations", str(tmp_path))
    with pytest.raises(CommandError, match="no folder at"):
        run("load_occupations", str(tmp_path / "nowhere"))


def test_occupation_loader_rejects_binary_file(tmp_path):
    (tmp_path / "ISCOGroups_en.csv").write_bytes(b"\xff\xfe\x00\x01garbage")
    (tmp_path / "occupations_en.csv").write_text("x\n")
    with pytest.raises(CommandError, match=r"ISCOGroups_en\.csv is not UTF-8 text"):
        run("load_occupations", str(tmp_path))


def test_isco_groups_are_titled_in_four_languages_the_arabic_by_the_hub():
    nurses = IscoGroup.objects.get(code="2221")
    assert (nurses.title_fr, nurses.title_de) == (
        "Cadres infirmiers",
        "Akademische und vergleichbare Krankenpflegefachkräfte",
    )
    assert nurses.title_ar == "اختصاصيو التمريض"
    assert nurses.hub_translations == ["ar"]
    # Every group, all four levels: the hub translated them all; ESCO's French and German are not the hub's.
    assert not IscoGroup.objects.filter(title_ar="").exists()
    assert not IscoGroup.objects.exclude(hub_translations=["ar"]).exists()
    assert not IscoGroup.objects.filter(title_fr="").exists() and not IscoGroup.objects.filter(title_de="").exists()


def test_esco_occupations_are_titled_in_each_language_esco_has():
    nurse = EscoOccupation.objects.get(title_en="nurse responsible for general care")
    assert nurse.title_fr == "infirmier de soins généraux/infirmière de soins généraux"
    assert nurse.title_ar == "ممرض مسؤول عن الرعاية العامة / ممرضة مسؤولة عن الرعاية العامة"
    assert nurse.title_de == "Krankenpfleger Allgemeine Krankenpflege/Krankenschwester Allgemeine Krankenpflege"
    # Lacking in French v1.1.1, found in the v1.0 export.
    assert EscoOccupation.objects.get(title_en="wind energy engineer").title_fr
    assert EscoOccupation.objects.filter(title_fr="").count() == 0
    assert EscoOccupation.objects.filter(title_de="").count() == 5  # not in German v1.2.0 (SOURCE.md)


@pytest.mark.parametrize(
    ("text", "language", "forms"),
    [
        (
            "infirmier de soins généraux/infirmière de soins généraux",
            "fr",
            ["infirmier de soins généraux", "infirmière de soins généraux"],
        ),
        (
            "ممرض مسؤول عن الرعاية العامة / ممرضة مسؤولة عن الرعاية العامة",
            "ar",
            ["ممرض مسؤول عن الرعاية العامة", "ممرضة مسؤولة عن الرعاية العامة"],
        ),
        (
            "vendeur/vendeuse en articles de sport",
            "fr",
            ["vendeur en articles de sport", "vendeuse en articles de sport"],
        ),
        ("plastic products cutter/assembler", "en", ["plastic products cutter", "plastic products assembler"]),
        ("Referent/in für Wohnungsbau", "de", ["Referent für Wohnungsbau", "Referentin für Wohnungsbau"]),
        ("Angestellte/r im Büro", "de", ["Angestellte im Büro", "Angestellter im Büro"]),
        (
            "Import-/Exportmanager für Fleisch/Import-/Exportmanagerin für Fleisch",
            "de",
            ["Import-/Exportmanager für Fleisch", "Import-/Exportmanagerin für Fleisch"],
        ),
        ("nurse", "en", ["nurse"]),
        ("  ", "en", []),
    ],
)
def test_masculine_feminine_titles_are_separate_labels(text, language, forms):
    from permits.management.commands.load_occupations import label_forms

    assert label_forms(text, language) == forms


def test_occupation_labels_in_four_languages_both_genders_each_its_own():
    from permits.models import OccupationLabel

    nurse = EscoOccupation.objects.get(title_en="nurse responsible for general care")
    labels = set(nurse.labels.values_list("language", "kind", "text"))
    assert {
        ("en", "preferred", "nurse responsible for general care"),
        ("fr", "preferred", "infirmier de soins généraux"),
        ("fr", "preferred", "infirmière de soins généraux"),
        ("ar", "preferred", "ممرض مسؤول عن الرعاية العامة"),
        ("ar", "preferred", "ممرضة مسؤولة عن الرعاية العامة"),
    } <= labels
    assert not any("/" in text for _language, kind, text in labels if kind == "preferred")
    assert all(label.isco_group_id == "2221" for label in nurse.labels.all())
    titles = OccupationLabel.objects.filter(isco_group="2221", kind="isco_title")
    assert set(titles.values_list("language", "text", "hub_translation")) == {
        ("en", "Nursing professionals", False),
        ("fr", "Cadres infirmiers", False),
        ("de", "Akademische und vergleichbare Krankenpflegefachkräfte", False),
        ("ar", "اختصاصيو التمريض", True),
    }
    # Only unit groups have labels; each is stored with its normalised form.
    assert not OccupationLabel.objects.exclude(isco_group__level=4).exists()
    label = OccupationLabel.objects.get(esco_occupation=nurse, text="infirmière de soins généraux")
    assert label.search_text == "infirmiere de soin general"  # généraux: plural of général


def test_the_hubs_synonyms_are_labels_marked_as_the_hubs():
    from permits.models import OccupationLabel

    synonym = OccupationLabel.objects.get(language="de", text="Pflegefachkraft")
    assert (synonym.isco_group_id, synonym.kind, synonym.hub_translation) == ("2221", "hub_synonym", True)
    assert synonym.esco_occupation is None
    assert (
        not OccupationLabel.objects.filter(hub_translation=True)
        .exclude(kind__in=["hub_synonym", "isco_title"])
        .exists()
    )
    assert not OccupationLabel.objects.filter(hub_translation=True, kind="isco_title").exclude(language="ar").exists()


def test_the_change_log_has_the_groups_and_occupations_not_their_labels(reference_data):
    assert ObjectChange.objects.filter(content_type__model="iscogroup", action="create").count() == 619
    assert ObjectChange.objects.filter(content_type__model="escooccupation", action="create").count() == 2942
    assert not ObjectChange.objects.filter(content_type__model="occupationlabel").exists()
    nurse = EscoOccupation.objects.get(title_en="nurse responsible for general care")
    EscoOccupation.objects.filter(pk=nurse.pk).update(title_fr="changed")
    nurse.labels.filter(language="fr").delete()
    output = run("load_occupations", str(reference_data / "esco-isco08"))
    assert "2942 read; 0 created, 1 updated" in output
    change = ObjectChange.objects.filter(content_type__model="escooccupation", object_id=str(nurse.pk)).latest("id")
    assert change.action == "update"
    assert change.changes == {"title_fr": ["changed", "infirmier de soins généraux/infirmière de soins généraux"]}
    assert re.search(r"Occupation labels: [\d,]+ .*; \d+ created, 0 removed", output)
    assert nurse.labels.filter(language="fr", text="infirmière de soins généraux").exists()


def test_labels_are_rewritten_only_where_they_differ(reference_data):
    from permits.models import OccupationLabel

    label = OccupationLabel.objects.filter(language="ar", kind="preferred").first()
    OccupationLabel.objects.filter(pk=label.pk).update(text="مختلف")
    OccupationLabel.objects.create(isco_group_id="2221", language="en", kind="alternative", text="x", search_text="x")
    output = run("load_occupations", str(reference_data / "esco-isco08"))
    assert "); 1 created, 2 removed." in output
    assert OccupationLabel.objects.filter(text=label.text, isco_group=label.isco_group_id).exists()
    again = run("load_occupations")
    assert re.search(r"Occupation labels: [\d,]+ \(en [\d,]+, fr [\d,]+, de [\d,]+, ar [\d,]+; [\d,]+ the hub's", again)
    assert "); 0 created, 0 removed." in again
