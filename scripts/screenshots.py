"""Regenerate docs/screenshots/: the real site at phone and desktop widths, for the README.

Run from the repository root: `.venv/bin/python scripts/screenshots.py` (needs Debian's chromium and the
`playwright` Python package; no browser is downloaded). The site is built with a pinned now, so the
pictures only change when the content or the theme does.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reThink_site.build import BuildOptions, build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--hide-scrollbars"]
BASE_PATH = "/local-rethink/"
NOW = "2014-03-01T12:00"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
SHOTS = {
    "home": "/",
    "event": "/events/2014-06-20-using-public-assets/",
    "calendar": "/events/calendar/",
    "newsletter": "/newsletter/2015-02-02-february-2015/",
    "search": "/search/?q=Heather+McManus",
    "email": "/newsletter/2015-02-02-february-2015/email.html",  # the HTML e-mail as a mail client shows it
}


class BasePathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built folder under the site's base path, as the real host does."""

    def translate_path(self, path: str) -> str:
        """Strip the base path; anything outside it is not found."""
        path = unquote(urlsplit(path).path)
        if not path.startswith(BASE_PATH):
            return str(Path(self.directory) / ".outside-base-path")
        return super().translate_path("/" + path[len(BASE_PATH):])

    def log_message(self, format, *args):
        """Quiet."""


def take(output: Path, site: Path) -> list[Path]:
    """Serve *site* on loopback and save one viewport-sized PNG per page and size into *output*."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(BasePathHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for size, (width, height) in SIZES.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=1, reduced_motion="reduce")
                page = context.new_page()
                for name, path in SHOTS.items():
                    page.goto(origin + BASE_PATH + path.lstrip("/"), wait_until="load")
                    if name == "search":
                        page.locator(".pagefind-ui__result").first.wait_for()
                    target = output / f"{name}-{size}.png"
                    page.screenshot(path=str(target), animations="disabled", caret="hide")
                    written.append(target)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main() -> None:
    """Build the real site into a temporary folder and photograph it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rethink-shots-") as tmp:
        site = Path(tmp) / "output"
        build(BuildOptions(project=REPO, output=site, now=NOW, future=True, jobs=1, search=True))
        for path in take(args.output, site):
            print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main()
