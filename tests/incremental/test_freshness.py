"""One freshness rule: an edit to any module of any subpackage, or to the default theme, retires every cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PINNED_NOW as NOW
from tests.helpers import REPO

TYPO_POST = """---
title: A post with a misspelt field
date: 2015-01-05
sponsor: One line.
---
Body text.
"""


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A private copy of the package and its default theme, and a copy of the real site beside it."""
    shutil.copytree(REPO / "reThink_site", tmp_path / "reThink_site", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    shutil.copytree(REPO / "content", site / "content")
    (site / "content" / "insights" / "2015-01-05-typo.md").write_text(TYPO_POST, encoding="utf-8")
    return tmp_path


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m reThink_site …` importing the private copy, never the checkout's package."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "reThink_site", *args], cwd=root / "site", env=env,
                          capture_output=True, text=True, check=False)


def python(root: Path, code: str) -> str:
    """What a line of Python prints with the private copy imported."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True,
                          check=True).stdout


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (file, text to replace, replacement, output file or "stderr", what must show there once the caches are retired)
EDITS = [
    ("reThink_site/render/feeds.py", 'feed.generator("reThink_site")', 'feed.generator("reThink_site, edited")',
     "feed.xml", "reThink_site, edited"),  # the fast path and the feed part cache
    ("reThink_site/render/ics.py", 'PRODID = "-//iNetwork//reThink_site//EN"', 'PRODID = "-//iNetwork//edited//EN"',
     "events/2015-02-27-sefton-delivering-with-communities/event.ics", "-//iNetwork//edited//EN"),  # event files
    ("reThink_site/markdown/commonmark.py", 'return Rendered(typeset.rstrip("\\n"),',
     'return Rendered(typeset.rstrip("\\n") + "<!-- edited -->",', "about/index.html", "<!-- edited -->"),  # bodies
    ("reThink_site/content/loader.py", 'f"unknown field `{key}`"', 'f"unknown setting `{key}`"',
     "stderr", "unknown setting `sponsor`"),  # the content cache's stored problems
    ("templates/base.html", "<head>", "<head><!-- theme edited -->", "index.html", "<!-- theme edited -->"),
]


@pytest.mark.parametrize("relative, old, new, where, expected", EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_inside_a_subpackage_retires_the_caches(installed, relative, old, new, where, expected):
    first = run(installed, "build", "--now", NOW, "--no-search", "--jobs", "1")
    assert first.returncode == 0, first.stderr
    again = run(installed, "build", "--now", NOW, "--no-search", "--jobs", "1")
    assert "Nothing changed" in again.stdout  # the fast path and the caches are in use
    edit(installed, relative, old, new)
    second = run(installed, "build", "--now", NOW, "--no-search", "--jobs", "1")
    assert second.returncode == 0, second.stderr
    assert "Nothing changed" not in second.stdout
    shown = second.stderr if where == "stderr" else (installed / "site" / "output" / where).read_text(encoding="utf-8")
    assert expected in shown


def test_the_code_fingerprint_and_stamp_cover_every_subpackage_and_the_theme(installed):
    code = ("from reThink_site.incremental.fingerprints import code_fingerprint; "
            "from reThink_site.incremental.fastpath import code_stamp; "
            "print(code_fingerprint()); print(len(code_stamp()[1]))")
    before, count = python(installed, code).split()
    assert int(count) == len(list((installed / "reThink_site").rglob("*.py"))) + \
        len([p for p in (installed / "templates").rglob("*") if p.is_file()])
    for relative in ("reThink_site/incremental/pagepool.py", "reThink_site/core/urls.py", "templates/static/style.css"):
        path = installed / relative
        path.write_bytes(path.read_bytes() + b"\n")
        after, _ = python(installed, code).split()
        assert after != before, relative
        before = after
