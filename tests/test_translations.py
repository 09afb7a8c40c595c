"""Every user-facing string has its Spanish translation, and Spanish is what a Spanish
speaker sees."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "safelane"
PO = PACKAGE / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_catalogue_is_translated():
    po = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_the_catalogue_holds_every_string_marked_in_the_code(tmp_path):
    """Run makemessages on a copy of the package: no string may be new to the catalogue."""
    copy = tmp_path / "safelane"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    safelane = str(Path(sys.executable).with_name("safelane"))
    subprocess.run(
        [
            safelane,
            "makemessages",
            "-l",
            "es",
            "--no-obsolete",
            "-i",
            "settings_test.py",
            "--settings=safelane.settings_test",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / PO.relative_to(PACKAGE)))}
    committed = {entry.msgid for entry in polib.pofile(str(PO))}
    assert fresh - committed == set(), "run `make messages` and translate the new strings"


def test_the_compiled_catalogue_matches_the_translations():
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    # The same English may mean two things ("Link": a verb, a questionnaire's link): by context.
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if not e.msgid_plural}
    for entry in polib.pofile(str(PO)).translated_entries():
        if not entry.msgid_plural:
            assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
                "run `make messages` to recompile"
            )


def test_a_spanish_speaker_sees_the_app_in_spanish(cast, as_user):
    client = as_user(cast.consultant)
    client.post(reverse("set_language"), {"language": "es"})
    page = client.get(reverse("orgs:members", args=[cast.norte.slug])).content.decode()
    assert "Miembros" in page
    assert "Invitar a alguien" in page
    dashboard = client.get(reverse("orgs:dashboard", args=[cast.acme.slug])).content.decode()
    assert "Estados Unidos" in dashboard  # country names too
    assert "United States" not in dashboard


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_language_menu_names_each_language_in_its_own_language(cast, as_user, language):
    client = as_user(cast.viewer)
    client.post(reverse("set_language"), {"language": language})
    page = client.get(reverse("orgs:dashboard", args=[cast.acme.slug])).content.decode()
    menu = re.search(r'<select name="language".*?</select>', page, re.DOTALL).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", menu) == ["English", "Español"]
