"""Skips re-rendering content pages whose inputs are unchanged, by recording what each page read.

Templates see the Site through `TrackedSite`, which notes every attribute a page reads
(`site.upcoming`, `site.person_url`, ...). A page's key is a digest of the code, the theme, the
config, its own entries and the current value of every Site attribute it read last time. When the
key is the same and the live output still holds exactly the bytes that page got last time
(treestate.py checks inode, size and mtime), the page is taken from the live site instead of being
rendered again. Anything else — a new template, another package version, a changed list the page
showed — renders it afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional

import jinja2
import jinja2.meta
from markupsafe import Markup

from reThink_site.content.index import ENTRY_LISTS, Entry, Site
from reThink_site.core.outputs import OutputFile
from reThink_site.incremental import treestate
from reThink_site.incremental.fingerprints import Freshness, Prints, file_digest, stable_bytes
from reThink_site.render.templates import make_env

FORMAT = "rethink-pages/4"
MEMO_FILE = "pages.json"
CLOCK_GLOBALS = ("now", "today")
CLOCK_WORDS = re.compile(rb"\b(?:now|today)\b")


BODY_READ = "\0body:"  # a recorded read of an entry's HTML, heading ids or Markdown body, by source path
BODY_ATTRIBUTES = frozenset({"html", "ids", "body"})


class Recorder:
    """The Site attributes read while one page renders (one per build and worker, never global)."""

    def __init__(self) -> None:
        self.reads: Optional[set[str]] = None

    def note_attribute(self, owner: Any, name: str) -> None:
        """Note a template reading one of BODY_ATTRIBUTES of an entry (`entry.html`, `entry.item.body`)."""
        if self.reads is not None:
            source = getattr(getattr(owner, "item", owner), "source_path", None)
            if isinstance(source, str) and (isinstance(owner, Entry) or name == "body"):
                self.reads.add(BODY_READ + source)

    def start(self) -> None:
        """Begin recording for a page."""
        self.reads = set()

    def stop(self) -> tuple[str, ...]:
        """End recording; the attribute names read, sorted."""
        reads, self.reads = self.reads or set(), None
        return tuple(sorted(reads))


class TrackedSite:
    """The Site as templates and filters see it: every attribute read is noted by the recorder."""

    def __init__(self, site: Site, recorder: Recorder) -> None:
        object.__setattr__(self, "_site", site)
        object.__setattr__(self, "_recorder", recorder)

    def __getattr__(self, name: str) -> Any:
        reads = self._recorder.reads
        if reads is not None:
            reads.add(name)
        return getattr(self._site, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the site is read-only")


_KEY_BY_VALUE = (int, str, bool, type(None))


def remembering(recorder: Optional[Recorder] = None) -> Callable[..., Markup]:
    """A per-build memo for pure macros: a card shown on many list pages is rendered once, not on each.

    The Site attributes a card read when it was rendered are replayed to the recorder each time the
    card is reused, so the page memo (below) sees every page's true dependencies.
    """
    memo: dict[tuple, tuple] = {}

    def remembered(macro: Callable[..., Markup], *args: Any) -> Markup:
        # a macro imported without context sees only its arguments and the build's globals, so equal
        # arguments give equal markup; objects are keyed by identity and kept alive in the memo
        key = (id(macro), *(a if type(a) in _KEY_BY_VALUE else id(a) for a in args))
        found = memo.get(key)
        if found is None:
            outer = recorder.reads if recorder is not None else None
            if recorder is not None:
                recorder.reads = set()
            try:
                markup = macro(*args)
            finally:
                inner = frozenset(recorder.reads or ()) if recorder is not None else frozenset()
                if recorder is not None:
                    recorder.reads = outer
            found = memo[key] = (macro, args, markup, inner)
        if recorder is not None and recorder.reads is not None:
            recorder.reads.update(found[3])
        return found[2]

    return remembered


class RecordingEnvironment(jinja2.Environment):
    """Jinja, noting which entries' HTML or Markdown body a page reads (`entry.html`, `e['body']`, `map`):
    the page memo then re-renders a list page on a body edit only if the list shows bodies."""

    recorder: Optional[Recorder] = None

    def getattr(self, obj: Any, attribute: str) -> Any:  # every `a.b` of every page: the name is checked first
        if attribute in BODY_ATTRIBUTES and self.recorder is not None:
            self.recorder.note_attribute(obj, attribute)
        return jinja2.Environment.getattr(self, obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(argument) is str and argument in BODY_ATTRIBUTES and self.recorder is not None:
            self.recorder.note_attribute(obj, argument)
        return jinja2.Environment.getitem(self, obj, argument)


def theme_file_bytes(env: jinja2.Environment, name: str) -> bytes:
    """The bytes of the theme file Jinja would load under this name (the site's own before the default)."""
    for folder in getattr(env.loader, "searchpath", ()):
        path = os.path.join(folder, *name.split("/"))
        if os.path.isfile(path):
            with open(path, "rb") as handle:
                return handle.read()
    return b""


def theme_print(env: jinja2.Environment, site: Site, freshness: Freshness) -> str:
    """A digest of the code, every theme file and the config; plus the clock if any template reads it.

    Theme files are digested as bytes: a theme folder also holds images (templates/static/logo.png),
    which are no templates and need not be UTF-8.
    """
    parts: list[str | bytes] = [FORMAT]
    clock = False
    for name in sorted(env.list_templates()):
        data = theme_file_bytes(env, name)
        parts += [name, data]
        if name.endswith((".html", ".txt", ".xml")) and CLOCK_WORDS.search(data):  # else it cannot read them
            try:
                used = jinja2.meta.find_undeclared_variables(env.parse(data.decode("utf-8")))
            except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
                used = set(CLOCK_GLOBALS)  # it fails when rendered anyway; never reuse around it
            clock = clock or bool(used & set(CLOCK_GLOBALS))
    parts.append(stable_bytes(site.config))
    if clock:
        parts.append(stable_bytes(site.now))
    return freshness.key(*parts)


class PageMemo:
    """Last build's page keys, and which of those pages the live output still holds unchanged."""

    def __init__(self, cache_dir: Path, site: Site, theme: str, live: Mapping[str, str],
                 state: treestate.TreeState, prints: Prints) -> None:
        self.cache_dir, self.site, self.theme, self.live, self.state = cache_dir, site, theme, live, state
        self.output = Path(state.output)
        self.prints = prints  # front prints for what a page reads, whole prints for the bodies it reads
        self.sources: Optional[dict[str, Entry]] = None
        self.site_prints: dict[str, str] = {}
        self.recorded: dict[str, list] = {}
        self.fresh: dict[str, list] = {}
        try:
            data = json.loads((cache_dir / MEMO_FILE).read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("pages"), dict):
                self.recorded = data["pages"]
        except (OSError, ValueError):
            pass

    def _site_print(self, name: str) -> str:
        if name not in self.site_prints:
            self.site_prints[name] = self.prints.value(getattr(self.site, name, None), front=True)
        return self.site_prints[name]

    def _body_print(self, source: str) -> bytes:
        """The whole print of the entry made from this file (b"" once it is gone)."""
        if self.sources is None:
            self.sources = {e.item.source_path: e for name in ENTRY_LISTS for e in getattr(self.site, name)}
        entry = self.sources.get(source)
        return self.prints.whole_print(entry) if entry is not None else b""

    def key(self, job: tuple, reads: Iterable[str]) -> str:
        """The digest of everything this page's bytes depend on."""
        path, url, template, context = job
        digest = hashlib.sha256(f"{self.theme}\0{path}\0{url}\0{template}\0".encode())
        for name in sorted(context):
            digest.update(b"\0" + name.encode() + b"=")
            self.prints.feed(digest, context[name], front=True)
        for name in reads:
            if name.startswith(BODY_READ):
                digest.update(name.encode() + b"=" + self._body_print(name[len(BODY_READ):]))
            else:
                digest.update(b"site." + name.encode() + b"=" + self._site_print(name).encode())
        return digest.hexdigest()

    def reuse(self, job: tuple) -> Optional[OutputFile]:
        """The live output's copy of this page when nothing it depends on changed, else None."""
        path = job[0]
        record = self.recorded.get(path)
        if not (isinstance(record, list) and len(record) == 3 and isinstance(record[0], list)
                and all(isinstance(n, str) for n in record[0])):
            return None
        reads, key, digest = record
        if self.live.get(path) != digest or self.key(job, reads) != key:
            return None
        self.fresh[path] = record
        return OutputFile(path, source=self.output / path, digest=digest)

    def remember(self, page: OutputFile, reads: tuple[str, ...], key: str) -> None:
        """Note what a freshly rendered page read and its key, for the next build."""
        self.fresh[page.path] = [list(reads), key, file_digest(page)]

    def save(self) -> None:
        """Write this build's page records (atomically; a failure only costs speed next time)."""
        temporary = self.cache_dir / f"{MEMO_FILE}.{os.getpid()}.tmp"
        try:
            temporary.write_text(json.dumps({"format": FORMAT, "pages": self.fresh}, separators=(",", ":")),
                                 encoding="utf-8")
            os.replace(temporary, self.cache_dir / MEMO_FILE)
        except OSError:
            temporary.unlink(missing_ok=True)


def open_memo(cache_dir: Path, state: treestate.TreeState, env: jinja2.Environment, site: Site,
              freshness: Freshness, prints: Prints, verify: bool = False) -> PageMemo:
    """The memo of the last build, trusting only the live pages that are exactly as it left them."""
    live = treestate.trusted_in(Path(state.output), state.live, verify) if state.live else {}
    return PageMemo(cache_dir, site, theme_print(env, site, freshness), live, state, prints)


def recording_env(project: Path, site: Site, recorder: Recorder) -> jinja2.Environment:
    """The theme's environment with every Site read, body read and card replay noted by the recorder."""
    env = make_env(project, TrackedSite(site, recorder), RecordingEnvironment, remembering(recorder))
    env.recorder = recorder
    return env
