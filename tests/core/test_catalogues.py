"""Every user-facing string is translated into the five other UN languages.

Checks each app's catalogue: nothing untranslated or fuzzy, placeholders kept,
and the compiled .mo says exactly what the .po says (so nobody forgets to
compile after translating).
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "roundtable"
CATALOGUES = sorted(SOURCE.glob("**/locale/*/LC_MESSAGES/django.po"))
LANGUAGES = {"ar", "zh_Hans", "fr", "ru", "es"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_app_has_a_catalogue_in_every_language():
    apps = {path.parents[3] for path in CATALOGUES}
    for app in apps:
        found = {path.parents[1].name for path in CATALOGUES if path.parents[3] == app}
        assert found == LANGUAGES, app


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_catalogue_is_complete_and_compiled(path):
    catalogue = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert untranslated == []
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert fuzzy == []
    for entry in catalogue:
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) <= wanted | set(
                PLACEHOLDER.findall(entry.msgid_plural)
            ), (
                entry.msgid,
                form,
            )
    with open(path.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalogue:
        if entry.obsolete or entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled._catalog.get(key) == entry.msgstr, f"{entry.msgid!r}: run `make messages`"
