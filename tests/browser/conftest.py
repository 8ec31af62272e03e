"""Browser fixtures: the real site built with search, served on loopback, driven by Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import posixpath
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from reThink_site.build import BuildOptions, build
from tests.helpers import BROWSER_NOW, REPO

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
BASE_PATH = "/local-rethink/"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def missing_tools() -> list[str]:
    """What the browser tests need and cannot find, each named by the package that provides it."""
    missing = []
    if not CHROMIUM.is_file():
        missing.append("Debian package 'chromium' (/usr/bin/chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Python package 'playwright' (pip install -e '.[test]')")
    if not AXE_SCRIPT.is_file():
        missing.append("npm package 'axe-core' (npm install)")
    return missing


@pytest.fixture(scope="session")
def browser_tools() -> None:
    """Skip the browser tests locally when a tool is missing; in CI (CI set) fail instead."""
    missing = missing_tools()
    if not missing:
        return
    reason = "browser tests need " + ", ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI is set, so they must run)", pytrace=False)
    pytest.skip(reason)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one output folder under BASE_PATH, like the real host, with 404.html for anything else."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".ics": "text/calendar", ".wasm": "application/wasm", ".pagefind": "application/octet-stream"}

    def translate_path(self, path: str) -> str:
        """Map /local-rethink/<rest> into the folder; everything else to a name that never exists."""
        path = unquote(urlsplit(path).path)
        if not path.startswith(BASE_PATH):
            return str(Path(self.directory) / ".not-under-base-path")
        rest = posixpath.normpath(path[len(BASE_PATH):]).lstrip("/")
        if rest in (".", "") or rest.startswith(".."):
            rest = ""
        target = Path(self.directory) / rest
        return str(target) + ("/" if path.endswith("/") else "")

    def send_error(self, code, message=None, explain=None):
        """A missing file gets the site's own 404 page, as on the real host."""
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        """Keep test output quiet."""


class QuietServer(http.server.ThreadingHTTPServer):
    """A loopback server that does not print a traceback when the browser drops a connection."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        """Closed connections are normal when a page is closed mid-request."""


@dataclass(frozen=True)
class ServedSite:
    """A built site and the loopback URL its base path is served at."""

    root: Path
    origin: str

    def url(self, path: str) -> str:
        """Absolute URL of a site path such as /events/."""
        return self.origin + BASE_PATH + path.lstrip("/")


@pytest.fixture(scope="session")
def served_site(browser_tools, tmp_path_factory) -> ServedSite:
    """The real content built once with search, pinned now and future posts, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser") / "output"
    build(BuildOptions(project=REPO, output=root, now=BROWSER_NOW, future=True, jobs=1, search=True))
    handler = functools.partial(SiteHandler, directory=str(root))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ServedSite(root, f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium(browser_tools):
    """One headless Debian Chromium for the session; no browser is ever downloaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageProblems:
    """Console errors and failed requests seen while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


def watch(page, problems: PageProblems, allowed_status: dict[str, int]) -> None:
    """Record console errors, uncaught exceptions and failed or error responses."""
    page.on("console", lambda msg: problems.console_errors.append(f"{msg.text} @ {msg.location.get('url')}")
            if msg.type == "error" and not is_expected_404(msg, allowed_status) else None)
    page.on("pageerror", lambda err: problems.console_errors.append(f"uncaught: {err}"))
    page.on("requestfailed", lambda req: problems.failed_requests.append(f"{req.url}: {req.failure}"))
    page.on("response", lambda res: problems.failed_requests.append(f"{res.url}: HTTP {res.status}")
            if res.status >= 400 and allowed_status.get(res.url) != res.status else None)


def is_expected_404(msg, allowed_status: dict[str, int]) -> bool:
    """Chromium logs the 404 page's own status as an error; that one is the point of the page."""
    url = msg.location.get("url", "")
    return "status of 404" in msg.text and allowed_status.get(url) == 404


@pytest.fixture(scope="session")
def browser_contexts(chromium):
    """One browser context per width, shared by the session (the site keeps no state)."""
    contexts = {name: chromium.new_context(viewport={"width": w, "height": h}) for name, (w, h) in WIDTHS.items()}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_page(browser_contexts, served_site):
    """Open a site path at a named width; returns (page, problems). Pages close after the test."""
    pages = []

    def _open(path: str, width: str = "desktop", expect_status: int = 200):
        page = browser_contexts[width].new_page()
        pages.append(page)
        problems = PageProblems()
        url = served_site.url(path)
        watch(page, problems, {url: expect_status} if expect_status != 200 else {})
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == expect_status, f"{path}: HTTP {response.status}"
        return page, problems

    yield _open
    for page in pages:
        page.close()


@pytest.fixture(scope="session")
def axe_source(browser_tools) -> Path:
    """The axe-core script that the accessibility tests inject into each page."""
    return AXE_SCRIPT


@pytest.fixture(scope="session")
def serious_violations(axe_source):
    """Run axe-core in a page; its serious and critical violations, one readable line each."""

    def _run(page) -> list[str]:
        page.add_script_tag(path=str(axe_source))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [f"axe {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return _run

