"""The Vietnamese catalogue is complete, compiled and in step with the sources.

When one fails: run `make messages`, translate what it reports in locale/vi/LC_MESSAGES/django.po,
and run `make messages` again to compile.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
VI_PO = BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
VI_MO = BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def key(entry):
    return entry.msgctxt, entry.msgid


def translation(entry):
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(VI_PO))


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if not entry.obsolete and "fuzzy" in entry.flags]
    assert not missing, f"{len(missing)} msgids without a Vietnamese translation: {missing}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy translations: {fuzzy}"


def test_translations_keep_the_placeholders_of_the_source(catalogue):
    """A lost or renamed %(name)s would break the page at run time."""
    wrong = []
    for entry in catalogue.translated_entries():
        # Vietnamese has one plural form, which serves the singular too: it may name the count.
        expected = [set(PLACEHOLDER.findall(source)) for source in (entry.msgid, entry.msgid_plural) if source]
        translations = translation(entry)
        for text in translations if isinstance(translations, tuple) else [translations]:
            if set(PLACEHOLDER.findall(text)) not in expected:
                wrong.append((entry.msgid, text))
    assert not wrong


def test_the_compiled_catalogue_matches_the_source_catalogue(catalogue):
    """django.mo holds exactly the translations of django.po: it was compiled after the last change."""
    compiled = {key(entry): translation(entry) for entry in polib.mofile(str(VI_MO)) if entry.msgid}
    written = {key(entry): translation(entry) for entry in catalogue.translated_entries() if not entry.obsolete}
    assert set(compiled) - set(written) == set(), "django.mo has entries django.po no longer has"
    assert set(written) - set(compiled) == set(), "django.po has translations missing from django.mo"
    changed = [msgid for (_, msgid), text in written.items() if compiled[(_, msgid)] != text]
    assert not changed, f"translations changed since django.mo was compiled: {changed}"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The msgids `makemessages` finds in the sources today, extracted in a throwaway copy of the project."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install Debian's gettext (`make test` does)")
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", ".tools", "staticfiles", "node_modules", "*.sqlite3", "*.mo"),
    )
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--ignore=.venv",
            "--ignore=.tools",
            "--ignore=staticfiles",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "coopportal.settings.test"},
    )
    assert completed.returncode == 0, completed.stderr
    return {
        key(entry)
        for entry in polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
        if not entry.obsolete
    }


def test_the_catalogue_holds_every_string_of_the_sources(catalogue, extracted):
    """A string added to the code or a template but never extracted would show in English."""
    current = {key(entry) for entry in catalogue if not entry.obsolete}
    not_extracted = sorted(msgid for _, msgid in extracted - current)
    assert not not_extracted, f"{len(not_extracted)} source strings missing from django.po: {not_extracted}"
