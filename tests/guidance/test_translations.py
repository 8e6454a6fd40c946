"""The interface catalogues: complete for the pages, compiled, and used in Arabic right to left."""

import gettext
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def po_entries(path):
    """(msgid, msgstr or first plural form, source files) of a .po file, read with the standard library only."""
    import ast

    entries, current, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current and current["msgid"]:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"msgid": "", "msgstr": "", "files": [], "fuzzy": False, "plural": False}
        if line.startswith("#:"):
            current["files"] += [item.rsplit(":", 1)[0] for item in line[2:].split()]
        elif line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            key = "msgid" if line.startswith("msgid ") else "msgstr"
            current[key] = ast.literal_eval(line.split(" ", 1)[1])
        elif line.startswith(("msgid_plural", "msgstr[")):
            current["plural"] = True
            key = None
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    return entries


@pytest.mark.parametrize("language", ["fr", "ar", "de"])
def test_every_string_is_translated_and_the_pages_catalogue_is_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    catalogue = gettext.GNUTranslations(mo.open("rb"))
    page_files = ("templates/", "guidance/", "countries/forms.py", "permits/forms.py", "recruiters/forms.py")
    checked = 0
    for entry in po_entries(po):
        assert entry["msgstr"], f"{language}: no translation for {entry['msgid']!r}"
        assert not entry["fuzzy"], f"{language}: fuzzy translation for {entry['msgid']!r}"
        if not any(name.startswith(page_files) for name in entry["files"]):
            continue
        checked += 1
        if not entry["plural"]:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"], f"{language}: .mo not recompiled"
    assert checked > 200


def test_arabic_home_is_translated_and_right_to_left(client, db):
    html = client.get("/ar/").content.decode()
    assert 'dir="rtl"' in html
    assert "اعمل في الخارج بشكل قانوني" in html
    assert "انتقل إلى المحتوى" in html  # skip link
