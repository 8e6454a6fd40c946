"""ISIC Rev. 4 sections (United Nations Statistics Division, Statistical Papers M/4/Rev.4, 2008)."""

from django.db import migrations

ISIC_REV4_SECTIONS = [
    ("A", "Agriculture, forestry and fishing"),
    ("B", "Mining and quarrying"),
    ("C", "Manufacturing"),
    ("D", "Electricity, gas, steam and air conditioning supply"),
    ("E", "Water supply; sewerage, waste management and remediation activities"),
    ("F", "Construction"),
    ("G", "Wholesale and retail trade; repair of motor vehicles and motorcycles"),
    ("H", "Transportation and storage"),
    ("I", "Accommodation and food service activities"),
    ("J", "Information and communication"),
    ("K", "Financial and insurance activities"),
    ("L", "Real estate activities"),
    ("M", "Professional, scientific and technical activities"),
    ("N", "Administrative and support service activities"),
    ("O", "Public administration and defence; compulsory social security"),
    ("P", "Education"),
    ("Q", "Human health and social work activities"),
    ("R", "Arts, entertainment and recreation"),
    ("S", "Other service activities"),
    ("T", "Activities of households as employers"),
    ("U", "Activities of extraterritorial organizations and bodies"),
]


def add_sections(apps, schema_editor):
    Sector = apps.get_model("countries", "Sector")
    for code, name in ISIC_REV4_SECTIONS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "name_en": name})


class Migration(migrations.Migration):
    dependencies = [("countries", "0002_initial")]

    operations = [migrations.RunPython(add_sections, migrations.RunPython.noop)]
