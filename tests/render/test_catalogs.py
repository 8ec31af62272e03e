"""Interface text goes through gettext catalogs: pybabel finds it, and a site's catalog wins message by message."""

from __future__ import annotations

import subprocess
import sys

import html5lib
from babel.messages.pofile import read_po

from reThink_site.build import BuildOptions, build
from tests.helpers import REPO, write_site


def extracted(tmp_path):
    """The messages `pybabel extract` finds with the repository's babel.cfg."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_",
                    "-o", str(pot), "."], cwd=REPO, check=True, capture_output=True)
    with pot.open("rb") as source:
        return read_po(source)


def test_pybabel_extract_finds_the_themes_interface_text(tmp_path):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in extracted(tmp_path) if m.id}
    for text in ("Chatham House Rule", "When", "Where", "Speakers", "Add to calendar", "Past events", "Coming up",
                 "Since the last issue", "Page not found", "Type a name, topic or place", "%(num)d event",
                 "Discussion summaries", "Press coverage"):
        assert text in ids


def test_a_sites_own_catalog_overrides_the_themes_message_by_message(tmp_path):
    po = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Search this site"
msgstr "Find something"
'''
    root = write_site(tmp_path / "site", {"templates/locale/en_GB/LC_MESSAGES/messages.po": po,
                                          "content/pages/about.md": "---\ntitle: About\n---\nHello.\n"})
    build(BuildOptions(project=root, output=root / "output", now="2015-01-01T12:00", jobs=1, search=False))
    page = html5lib.parse((root / "output" / "about" / "index.html").read_bytes(), namespaceHTMLElements=False)
    label = page.find(".//label[@for='site-search-q']")
    assert label.text == "Find something"
    assert page.find(".//form[@class='site-search']/button").text == "Search"  # not overridden: the theme's
