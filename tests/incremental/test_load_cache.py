"""The content cache and parallel parsing must give exactly what a fresh, one-process load gives."""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reThink_site.build import BuildOptions, build
from reThink_site.content import loader
from reThink_site.content.config import load_config
from reThink_site.core.errors import Problem
from reThink_site.incremental import contentcache
from reThink_site.incremental.cachedir import CACHE_DIR
from reThink_site.incremental.contentcache import MODELS_FILE
from reThink_site.incremental.fingerprints import Freshness, code_fingerprint
from tests.helpers import PINNED_NOW, REPO, damage_cache, generate

MIXED_FILES = {
    "content/people.yaml": """
        jane: {name: Jane Doe, role: Chair, url: "https://example.org/jane"}
        sam: Sam Smith
        """,
    "content/events/2014-01-10-good.md": """
        ---
        title: A good event
        start: 2014-01-10 18:00
        end: 2014-01-10 20:00
        chair: jane
        speakers: [sam, {name: Guest, organisation: Somewhere}]
        location: {name: Hall, city: Manchester}
        tags: [a tag, another]
        set_of_things: !!set {a, b}
        blob: !!binary aGVsbG8=
        ordered: !!omap [{x: 1}, {y: 2}]
        stamp: 2014-01-10 10:00:00+02:00
        nested: {when: 2014-01-01, list: [1, 2.5, true, null, .inf]}
        ---
        Body with a [link](https://example.com/).
        """,
    "content/events/2014-02-01-zoned.md": """
        ---
        title: Zoned
        timezone: America/New_York
        start: 2014-02-01 09:00
        ---
        Text.
        """,
    "content/events/2014-03-01-typo.md": """
        ---
        title: Typo
        strat: 2014-03-01 10:00
        ---
        Missing start, misspelt.
        """,
    "content/insights/2014-04-01-bad-yaml.md": """
        ---
        title: [unclosed
        date: 2014-04-01
        ---
        Body.
        """,
    "content/insights/2014-04-02-bad-date.md": """
        ---
        title: Bad date
        slug: claimed-slug
        date: "2014-13-45"
        author: jane
        ---
        Body of a broken file.
        """,
    "content/insights/2014-04-03-warning.md": """
        ---
        title: Warned
        date: 2014-04-03T10:00
        sponsor: a field the build does not use
        author: sam
        ---
        Body.
        """,
    "content/insights/notes.txt": "not markdown\n",
    "content/insights/2014-04-04-latin1.md": b"---\ntitle: caf\xe9\ndate: 2014-04-04\n---\n",
    "content/summaries/2014-01-11-good.md": """
        ---
        title: Summary
        date: 2014-01-11
        event: 2014-01-10-good
        ---
        Summary body.
        """,
    "content/pages/about.md": """
        ---
        title: About
        menu: 1
        ---
        About us.
        """,
}


def load(root: Path, use_cache: bool = False, jobs: int = 1) -> tuple[loader.Loaded, list[Problem]]:
    """load_content on a site folder as the build's stages call it, with the notes it left."""
    notes: list[Problem] = []
    if use_cache:
        parse = contentcache.CachedParse(root, Freshness(code_fingerprint()), jobs, notes)
    else:
        parse = contentcache.parse_in_workers(jobs) if jobs > 1 else loader.parse_in_order
    return loader.load_content(root, load_config(root / "site.yaml"), parse), notes


def with_cache_folder(root: Path) -> Path:
    (root / CACHE_DIR).mkdir(exist_ok=True)
    return root


def pickles(loaded: loader.Loaded) -> list[bytes]:
    """Each model's pickle. Not for events with their own `timezone`: whether that string is the very object
    ZoneInfo keeps as its key depends on ZoneInfo's process-wide cache, for fresh loads too."""
    return [pickle.dumps(i, 4) for items in loaded.items.values() for i in items if not getattr(i, "timezone", None)]


def assert_pickles_like_a_fresh_load(root: Path, loaded: loader.Loaded) -> None:
    """A cached model is the very value a fresh load makes, down to its pickled bytes (even a YAML set's order)."""
    assert pickles(loaded) == pickles(load(root)[0])


def assert_same(fresh: loader.Loaded, other: loader.Loaded) -> None:
    """Equal in every field, and in the same order."""
    assert other == fresh
    assert list(other.lines) == list(fresh.lines)
    assert [[i.source_path for i in items] for items in other.items.values()] == \
        [[i.source_path for i in items] for items in fresh.items.values()]
    for kind, items in fresh.items.items():
        for mine, theirs in zip(items, other.items[kind]):
            assert type(mine) is type(theirs) and mine.model_dump() == theirs.model_dump()
            assert mine.extra == theirs.extra


def parsed_names(monkeypatch) -> list[str]:
    """Record which files are parsed afresh (in this process)."""
    seen: list[str] = []
    original = loader.read_source

    def recording(raw, kind, name, stem, context):
        seen.append(name)
        return original(raw, kind, name, stem, context)

    monkeypatch.setattr(loader, "read_source", recording)
    return seen


def stored_rows(root: Path) -> int:
    with sqlite3.connect(root / CACHE_DIR / MODELS_FILE) as connection:
        count = connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    connection.close()
    return count


def test_cached_loads_of_the_real_site_equal_a_fresh_load(copy_real_site: Path, monkeypatch) -> None:
    root = with_cache_folder(copy_real_site)
    fresh, _ = load(root)
    cold, cold_notes = load(root, use_cache=True)
    seen = parsed_names(monkeypatch)
    warm, warm_notes = load(root, use_cache=True)
    assert_same(fresh, cold)
    assert_same(fresh, warm)
    assert seen == [] and not cold_notes and not warm_notes  # the warm load parsed nothing
    assert_pickles_like_a_fresh_load(root, warm)
    assert stored_rows(root) == sum(len(v) for v in fresh.items.values()) + len(fresh.invalid)


def test_a_site_with_invalid_files_and_warnings_loads_the_same_from_the_cache(make_site, monkeypatch) -> None:
    root = with_cache_folder(make_site(MIXED_FILES))
    fresh, _ = load(root)
    assert fresh.invalid and any(p.is_error for p in fresh.problems)
    assert any(p.severity == "warning" for p in fresh.problems)
    assert {f.slug for f in fresh.invalid} >= {"claimed-slug"}
    cold, _ = load(root, use_cache=True)
    seen = parsed_names(monkeypatch)
    warm, notes = load(root, use_cache=True)
    assert_same(fresh, cold)
    assert_same(fresh, warm)
    assert seen == [] and notes == []
    assert_pickles_like_a_fresh_load(root, warm)


def test_parallel_and_cached_loads_of_a_corpus_equal_a_one_process_load(tmp_path: Path, monkeypatch) -> None:
    root = with_cache_folder(generate(tmp_path / "corpus", 240, seed=5))
    fresh, _ = load(root, jobs=1)
    monkeypatch.setattr(contentcache, "MIN_FILES_PER_WORKER", 16)  # so 240 files use both workers
    assert_same(fresh, load(root, jobs=2)[0])
    assert_same(fresh, load(root, use_cache=True, jobs=2)[0])
    seen = parsed_names(monkeypatch)
    warm, _ = load(root, use_cache=True, jobs=2)
    assert_same(fresh, warm)
    assert seen == []
    assert_pickles_like_a_fresh_load(root, warm)
    assert_pickles_like_a_fresh_load(root, load(root, jobs=2)[0])


def test_an_edited_file_is_read_again_and_only_it(make_site, monkeypatch) -> None:
    root = with_cache_folder(make_site(MIXED_FILES))
    load(root, use_cache=True)
    path = root / "content/pages/about.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: About", "title: About us"), encoding="utf-8")
    (root / "content/insights/2014-04-03-warning.md").unlink()
    seen = parsed_names(monkeypatch)
    cached, _ = load(root, use_cache=True)
    assert seen == ["content/pages/about.md"]
    assert cached.items["pages"][0].title == "About us"
    assert_same(load(root)[0], cached)
    assert stored_rows(root) == 8  # the deleted file's entry is gone, the edited one replaced


@pytest.mark.parametrize("change", ["people", "timezone"])
def test_a_changed_people_registry_or_timezone_reads_everything_again(make_site, monkeypatch, change) -> None:
    root = with_cache_folder(make_site(MIXED_FILES))
    load(root, use_cache=True)
    if change == "people":
        people = root / "content/people.yaml"
        people.write_text(people.read_text(encoding="utf-8").replace("Jane Doe", "Jane Roe"), encoding="utf-8")
    else:
        (root / "site.yaml").write_text((root / "site.yaml").read_text(encoding="utf-8")
                                        + "timezone: Asia/Tokyo\n", encoding="utf-8")
    seen = parsed_names(monkeypatch)
    cached, _ = load(root, use_cache=True)
    assert len(seen) == 9  # every Markdown file
    fresh, _ = load(root)
    assert_same(fresh, cached)
    event = fresh.items["events"][0]
    if change == "people":
        assert event.chair.name == "Jane Roe"
    else:
        assert str(event.start.tzinfo) == "Asia/Tokyo"


class Planted:
    """Unpickles into a call of os.system: a cache file must never be able to run code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import os
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("damage", ["garbage", "foreign format", "bad row", "planted code"])
def test_a_corrupt_cache_is_discarded_with_a_warning_and_the_build_succeeds(copy_real_site: Path, tmp_path: Path,
                                                                          damage: str) -> None:
    root = copy_real_site
    options = dict(now=PINNED_NOW, jobs=1, search=False)
    build(BuildOptions(project=root, output=root / "output", **options))
    marker = tmp_path / "ran"
    damage_cache(root / CACHE_DIR / MODELS_FILE, damage, "entries", {
        "bad row": ("?", (b"\x80\x05not a pickle",)),
        "planted code": ("?", (pickle.dumps(Planted(marker)),)),
    })
    page = root / "content/pages/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")  # no early stop
    report = build(BuildOptions(project=root, output=root / "output", **options))
    assert any(w.path == CACHE_DIR and MODELS_FILE in w.message and "discarded" in w.message
               for w in report.warnings)
    assert not marker.exists()
    clean = build(BuildOptions(project=root, output=tmp_path / "clean", cache=False, **options))
    assert not any("discarded" in w.message for w in clean.warnings)
    assert_same(load(root)[0], load(root, use_cache=True)[0])  # the cache was rebuilt and is good again


def test_no_cache_neither_reads_nor_writes_the_content_cache(make_site, tmp_path: Path) -> None:
    valid = {k: v for k, v in MIXED_FILES.items() if not any(w in k for w in ("bad", "typo", "latin1"))}
    root = make_site(valid)
    build(BuildOptions(project=root, output=tmp_path / "out", now=PINNED_NOW, jobs=1, search=False, cache=False))
    assert not (root / CACHE_DIR / MODELS_FILE).exists()
    with_cache_folder(root)
    (root / CACHE_DIR / MODELS_FILE).write_bytes(b"garbage")
    loaded, notes = load(root, use_cache=False)
    assert notes == [] and (root / CACHE_DIR / MODELS_FILE).read_bytes() == b"garbage"
    assert_same(load(root)[0], loaded)


def test_without_a_cache_folder_nothing_is_written(make_site) -> None:
    root = make_site(MIXED_FILES)
    load(root, use_cache=True)
    assert not (root / CACHE_DIR).exists()  # `check` and friends leave the site alone


def reference_walk(folder: Path, project: Path, problems: list[Problem]) -> list[Path]:
    """The os.walk-based walk the faster one replaced: the order and refusals to keep."""
    import os

    from reThink_site.core.errors import relative_name

    def inside(path: Path) -> bool:
        try:
            path.resolve().relative_to(project.resolve())
            return True
        except (ValueError, OSError, RuntimeError):
            return False

    found: list[Path] = []
    if not folder.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):  # links inside are followed
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in list(dirnames):
            if (base / name).is_symlink() and not inside(base / name):
                problems.append(Problem(relative_name(base / name, project), 1, "",
                                        "symbolic link points outside the project; refused"))
                dirnames.remove(name)
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith("~"):
                continue
            if (base / name).is_symlink() and not (base / name).exists():
                problems.append(Problem(relative_name(base / name, project), 1, "",
                                        f"symbolic link points to {os.readlink(base / name)}, which does not "
                                        "exist; refused"))
                continue
            if (base / name).is_symlink() and not inside(base / name):
                problems.append(Problem(relative_name(base / name, project), 1, "",
                                        "symbolic link points outside the project; refused"))
                continue
            found.append(base / name)
    return found


def test_the_walk_finds_the_same_files_in_the_same_order_as_os_walk(tmp_path: Path) -> None:
    project, outside = tmp_path / "site", tmp_path / "elsewhere"
    folder = project / "content" / "insights"
    for rel in ["b.md", "a.md", "Z.md", ".hidden.md", "backup.md~", "notes.txt", "sub/c.md", "sub/deeper/d.md",
                "a-sub/e.md", ".git/f.md", "x.MARKDOWN", "x..md", "noext", "trailing."]:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("x", encoding="utf-8")
    (outside / "inner").mkdir(parents=True)
    (outside / "secret.md").write_text("x", encoding="utf-8")
    (folder / "leak.md").symlink_to(outside / "secret.md")
    (folder / "leakdir").symlink_to(outside / "inner")
    (folder / "same.md").symlink_to(folder / "a.md")
    (folder / "samedir").symlink_to(folder / "sub")
    (folder / "broken.md").symlink_to(project / "missing.md")
    mine: list[Problem] = []
    theirs: list[Problem] = []
    found = loader.walk(folder, project, mine)
    assert found == reference_walk(folder, project, theirs) and mine == theirs
    assert len(mine) == 3 and len(found) == 14  # samedir/ is followed (2 files), broken.md is reported
    assert [f.name for f in loader.walk_found(folder, project, [])] == \
        [p.relative_to(project).as_posix() for p in found]
    assert [f.stem for f in loader.walk_found(folder, project, [])] == [p.stem for p in found]
    assert [f.is_markdown for f in loader.walk_found(folder, project, [])] == \
        [p.suffix.lower() in (".md", ".markdown") for p in found]


def test_a_yaml_set_reads_in_the_same_order_in_every_process() -> None:
    """Python orders a set by string hashes, which change per process; front matter must not."""
    script = "from reThink_site.content.frontmatter import load_yaml; print(load_yaml('t: !!set {a, b, good, tag}')[0])"
    seen = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("0", "1", "24")}
    assert seen == {"{'t': ['a', 'b', 'good', 'tag']}\n"}
