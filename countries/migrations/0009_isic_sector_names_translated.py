"""ISIC Rev. 4 section titles in French, Arabic and German, so that the sector question and the reasons
that name a sector read in the visitor's language.

These are the hub's translations of the English titles of migration 0003 (UN Statistical Papers
M/4/Rev.4), not the UN's own language versions, which the hub has not read; a later reading of those
replaces them.
"""

from django.db import migrations

NAMES = {
    "A": (
        "Agriculture, sylviculture et pêche",
        "الزراعة والحراجة وصيد الأسماك",
        "Land- und Forstwirtschaft, Fischerei",
    ),
    "B": ("Activités extractives", "التعدين واستغلال المحاجر", "Bergbau und Gewinnung von Steinen und Erden"),
    "C": ("Activités de fabrication", "الصناعة التحويلية", "Verarbeitendes Gewerbe"),
    "D": (
        "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
        "إمدادات الكهرباء والغاز والبخار وتكييف الهواء",
        "Energieversorgung",
    ),
    "E": (
        "Distribution d'eau ; assainissement, gestion des déchets et dépollution",
        "إمدادات المياه والصرف الصحي وإدارة النفايات ومعالجتها",
        "Wasserversorgung; Abwasser- und Abfallentsorgung und Beseitigung von Umweltverschmutzungen",
    ),
    "F": ("Construction", "التشييد", "Baugewerbe"),
    "G": (
        "Commerce de gros et de détail ; réparation de véhicules automobiles et de motocycles",
        "تجارة الجملة والتجزئة وإصلاح المركبات ذات المحركات والدراجات النارية",
        "Handel; Instandhaltung und Reparatur von Kraftfahrzeugen",
    ),
    "H": ("Transport et entreposage", "النقل والتخزين", "Verkehr und Lagerei"),
    "I": ("Hébergement et restauration", "أنشطة الإقامة والخدمات الغذائية", "Gastgewerbe"),
    "J": ("Information et communication", "المعلومات والاتصالات", "Information und Kommunikation"),
    "K": (
        "Activités financières et d'assurance",
        "الأنشطة المالية وأنشطة التأمين",
        "Finanz- und Versicherungsdienstleistungen",
    ),
    "L": ("Activités immobilières", "الأنشطة العقارية", "Grundstücks- und Wohnungswesen"),
    "M": (
        "Activités spécialisées, scientifiques et techniques",
        "الأنشطة المهنية والعلمية والتقنية",
        "Freiberufliche, wissenschaftliche und technische Dienstleistungen",
    ),
    "N": (
        "Activités de services administratifs et de soutien",
        "أنشطة الخدمات الإدارية وخدمات الدعم",
        "Sonstige wirtschaftliche Dienstleistungen",
    ),
    "O": (
        "Administration publique et défense ; sécurité sociale obligatoire",
        "الإدارة العامة والدفاع والضمان الاجتماعي الإلزامي",
        "Öffentliche Verwaltung, Verteidigung; Sozialversicherung",
    ),
    "P": ("Enseignement", "التعليم", "Erziehung und Unterricht"),
    "Q": ("Santé humaine et action sociale", "أنشطة صحة الإنسان والعمل الاجتماعي", "Gesundheits- und Sozialwesen"),
    "R": ("Arts, spectacles et loisirs", "الفنون والترفيه والتسلية", "Kunst, Unterhaltung und Erholung"),
    "S": ("Autres activités de services", "أنشطة الخدمات الأخرى", "Sonstige Dienstleistungen"),
    "T": (
        "Activités des ménages en tant qu'employeurs",
        "أنشطة الأسر المعيشية بوصفها صاحبة عمل",
        "Private Haushalte mit Hauspersonal",
    ),
    "U": (
        "Activités des organisations et organismes extraterritoriaux",
        "أنشطة المنظمات والهيئات الخارجة عن الولاية الإقليمية",
        "Exterritoriale Organisationen und Körperschaften",
    ),
}


def translate(apps, schema_editor):
    Sector = apps.get_model("countries", "Sector")
    for code, (french, arabic, german) in NAMES.items():
        Sector.objects.filter(code=code).update(name_fr=french, name_ar=arabic, name_de=german)


class Migration(migrations.Migration):
    dependencies = [("countries", "0008_legal_source_kind")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
