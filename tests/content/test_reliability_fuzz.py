"""Random front matter, Markdown and bytes: a build succeeds or reports a file and a message, nothing else.

CI runs a modest, fixed-seed number of examples. For a longer local run:
    RETHINK_FUZZ_EXAMPLES=2000 pytest tests/content/test_reliability_fuzz.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from reThink_site.build import BuildOptions, build
from reThink_site.content.config import load_config
from reThink_site.content.frontmatter import FrontMatterError, parse
from reThink_site.content.loader import read_item
from reThink_site.content.models import KINDS
from reThink_site.core.errors import ContentErrors, SiteError
from tests.helpers import FUZZ, PINNED_NOW, REPO, markdown_bodies

SITE_YAML = "title: Fuzz\nbase_url: https://example.org/\n"
CONTEXT = {"tz": load_config(REPO / "site.yaml").tz, "people": {}, "lines": {}}

FIELDS = ["title", "slug", "summary", "tags", "draft", "updated", "image", "aliases", "start", "end",
          "timezone", "location", "series", "host", "chair", "speakers", "registration", "price",
          "chatham_house", "status", "resources", "date", "event", "author", "source", "source_url",
          "featured", "menu", "src", "alt", "url", "name"]
NASTY_TEXT = ["<script>alert(1)</script>", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
              "../../../etc/passwd", "/../../x", "C:\\Windows\\x", "C:/x", "\\\\server\\share", "//evil.example",
              "/assets/../../x", "\u202e\u0000", "\ud7ff\ufeff\u2028", "\U0001f600" * 3, "x" * 5000,
              "2014-13-45", "2014-02-30 25:61", "2014-03-30 01:30", "Europe/Nowhere", "online",
              "%2e%2e/%2e%2e", "a" * 300, "</script><!--", "\"'&<>", "NaN", "-.inf", "~"]
NASTY_YAML = [
    "!!python/object/apply:os.system [echo hi]", "!!python/object:builtins.dict {}", "!!binary aGk=",
    "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2014-01-01", "!!float 1e999", "!!int 0x_", "!!str",
    "&a [*a]", "*undefined", "{? [a]: b}", "1" * 5000, "2014-13-45", "2014-02-30", "[" * 5000, "{a: " * 400,
    "!<tag:yaml.org,2002:python/name:os.system> x", "!custom x", "|\n  block\n  text", "\"\\ud800\"", "'",
    "\t", "<<: *x", "[1, 2", ".nan", "0o777", "+12e3", "2014-01-01T25:00", "1_000",
]
BOMB = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(12))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-10**4000, max_value=10**4000),
    st.floats(allow_nan=True), st.text(max_size=60), st.sampled_from(NASTY_TEXT),
    st.dates(min_value=date(1, 1, 1)), st.datetimes(min_value=datetime(1, 1, 1)))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
front_matter = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=12), values, max_size=8)


@st.composite
def front_matter_text(draw) -> str:
    """Front matter as YAML text: dumped random data, with raw nasty YAML spliced in sometimes."""
    data = draw(front_matter)
    try:
        text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
    except (yaml.YAMLError, ValueError):  # a value PyYAML cannot write is not the point here
        text = ""
    if draw(st.booleans()):
        key = draw(st.sampled_from(FIELDS))
        text += f"{key}: {draw(st.sampled_from(NASTY_YAML))}\n"
    if draw(st.integers(0, 9)) == 0:
        text += BOMB + "title: *m\n"
    return text


REQUIRED = {"start": "2014-06-20 10:00", "date": "2014-06-01"}  # enough for every kind to be valid
free_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80) | st.sampled_from(NASTY_TEXT)


@st.composite
def valid_front_matter_text(draw) -> str:
    """Front matter every kind accepts, with odd text in the free-text fields: this reaches the templates."""
    data = {"title": draw(free_text), **REQUIRED, "summary": draw(free_text),
            "tags": draw(st.lists(free_text, max_size=3)),
            "price": draw(free_text), "host": draw(free_text), "location": {"name": draw(free_text)},
            "speakers": draw(st.lists(st.fixed_dictionaries({"name": free_text, "role": free_text}), max_size=2))}
    return yaml.safe_dump(data, allow_unicode=True)


@st.composite
def content_files(draw) -> bytes:
    """A whole content file: front matter (valid or random) plus Markdown, sometimes arbitrary bytes."""
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return draw(st.binary(max_size=400))
    body = draw(markdown_bodies)
    matter = draw(valid_front_matter_text() if choice >= 4 else front_matter_text())
    text = f"---\n{matter}---\n{body}"
    data = text.encode("utf-8", "surrogatepass")
    if choice == 1 and data:  # corrupt one byte
        index = draw(st.integers(0, len(data) - 1))
        data = data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1:]
    return data


file_names = st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
                     min_size=1, max_size=40).filter(lambda n: n not in (".", "..") and
                                                      len(n.encode("utf-8")) < 200)


@FUZZ
@given(raw=content_files(), kind=st.sampled_from(sorted(KINDS)))
def test_loader_gives_a_model_or_problems(raw, kind, tmp_path_factory):
    try:
        parse(raw)
    except FrontMatterError as err:
        assert err.line >= 1 and err.message
    root = tmp_path_factory.mktemp("load")
    path = root / "content" / kind / "2014-01-01-fuzzed.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(raw)
    item, problems, _ = read_item(path, kind, root, {**CONTEXT, "lines": {}})
    assert item is not None or any(p.is_error for p in problems)
    for problem in problems:
        assert problem.path == f"content/{kind}/2014-01-01-fuzzed.md" and problem.line >= 1 and problem.message
        problem.format()


@FUZZ
@given(files=st.lists(st.tuples(st.sampled_from(sorted(KINDS)), file_names, content_files()), min_size=1, max_size=4),
       site_extra=st.sampled_from(["", "markdown: {raw_html: escape}\n", "markdown: {raw_html: 3}\n",
                                   "timezone: Mars/Base\n", "feed: {items: -1}\n", "title: [a, b]\n",
                                   "base_url: javascript:alert(1)\n", "output_dir: /\n", BOMB]))
def test_whole_build_succeeds_or_reports(files, site_extra):
    with tempfile.TemporaryDirectory(prefix="rethink-fuzz-") as tmp:
        root = Path(tmp) / "site"
        (root / "content").mkdir(parents=True)
        (root / "site.yaml").write_text(SITE_YAML + site_extra, encoding="utf-8")
        good = root / "content" / "events" / "2014-01-01-known-good.md"
        good.parent.mkdir()
        good.write_text("---\ntitle: Known good\nstart: 2014-01-01 10:00\n---\nHello.\n", encoding="utf-8")
        for kind, name, raw in files:
            folder = root / "content" / kind
            folder.mkdir(exist_ok=True)
            try:
                (folder / (name + ".md")).write_bytes(raw)
            except OSError:  # the file system itself refuses the name: nothing for the build to see
                continue
        output = Path(tmp) / "out"
        try:
            report = build(BuildOptions(project=root, output=output, now=PINNED_NOW, jobs=1, search=False))
        except ContentErrors as err:
            assert err.problems and all(p.path and p.line >= 1 and p.message for p in err.problems)
            assert not output.exists(), "a failed build must not publish anything"
        except SiteError as err:
            assert str(err)
            assert not output.exists()
        else:
            assert (output / "index.html").is_file() and report.pages > 0
            event("built")  # counted in --hypothesis-show-statistics
        leftovers = [p.name for p in Path(tmp).iterdir() if p.name.startswith(".rethink-")]
        assert not leftovers


BROKEN_SITES = {
    "alias bomb": "---\n" + BOMB + "title: *m\nstart: 2014-01-01\n---\n",
    "python tag": "---\ntitle: !!python/object/apply:os.system [echo pwned]\nstart: 2014-01-01\n---\n",
    "impossible date": "---\ntitle: x\nstart: 2014-13-45\n---\n",
    "deep nesting": "---\ntitle: " + "[" * 100_000 + "\n---\n",
    "huge number": "---\ntitle: x\nstart: " + "9" * 5000 + "\n---\n",
    "not utf-8": b"---\ntitle: caf\xe9\nstart: 2014-01-01\n---\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN_SITES))
def test_cli_reports_broken_site_without_traceback(name, tmp_path):
    root = tmp_path / "site"
    path = root / "content" / "events" / "2014-01-01-broken.md"
    path.parent.mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    raw = BROKEN_SITES[name]
    path.write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "reThink_site", "build", "--site", str(root), "--now",
                           PINNED_NOW, "--output", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "content/events/2014-01-01-broken.md:" in done.stderr
    assert not (tmp_path / "out").exists()


def test_alias_bomb_is_refused_on_its_line():
    """Expanded, this bomb has 10**13 nodes: without the node budget this test would never end."""
    with pytest.raises(FrontMatterError) as caught:
        parse(("---\ntitle: ok\n" + BOMB + "---\n").encode())
    assert "alias" in caught.value.message
    bomb_lines = range(3, 3 + BOMB.count("\n"))  # the file's lines holding the bomb
    assert caught.value.line in bomb_lines


def test_unknown_field_named_like_another_kinds_field_is_just_kept(make_site, build_site_at, tmp_path):
    """Found by the fuzzer: `date:` on an event and `author:` as a raw mapping on a page crashed the build."""
    site = make_site({"content/events/2014-01-01-a.md": "---\ntitle: A\nstart: 2014-01-01\ndate: soon\n---\n",
                      "content/pages/p.md": "---\ntitle: P\nauthor: {nick: x}\nspeakers: [{a: 1}]\n---\n"})
    build_site_at(site, tmp_path / "out")
    assert (tmp_path / "out" / "events" / "2014-01-01-a" / "index.html").is_file()


@pytest.mark.parametrize("value", ["a\x0bb", "a\x1bb", "a\ufffeb"])
def test_control_characters_are_a_field_error(value, make_site, build_site_at, tmp_path):
    """Found by the fuzzer: a vertical tab in a title made the feed writer raise ValueError."""
    site = make_site({"content/events/2014-01-01-a.md": f"---\nstart: 2014-01-01\ntitle: {json.dumps(value)}\n---\n"})
    with pytest.raises(ContentErrors) as caught:
        build_site_at(site, tmp_path / "out")
    assert [p.format() for p in caught.value.problems] == [
        f"content/events/2014-01-01-a.md:3: title: expected text without control characters, "
        f"found U+{ord(value[1]):04X}"]
