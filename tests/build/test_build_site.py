"""The real site builds completely: titles, one h1, resolving links, escaping, event order."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest

BASE_PATH = "/local-rethink/"


def parse(path: Path):
    """Parse a page with html5lib into an ElementTree (no namespaces)."""
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)


def html_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "email" not in p.name)


def site_pages(root: Path) -> list[Path]:
    """The site's own pages: not /admin/, the editor's application (tests/cms checks its page)."""
    return [p for p in html_pages(root) if p.relative_to(root).parts[0] != "admin"]


def resolves(root: Path, link: str) -> bool:
    """True when a site link (under base_url's path) names a file the build wrote."""
    path = unquote(urlsplit(link).path)
    assert path.startswith(BASE_PATH), f"internal link outside base path: {link}"
    rel = path[len(BASE_PATH):]
    target = root / rel
    return (target / "index.html").is_file() if (rel == "" or rel.endswith("/")) else target.is_file()


def test_every_page_has_a_title_and_one_h1(real_site):
    pages = site_pages(real_site)
    assert len(pages) > 30
    for page in pages:
        tree = parse(page)
        title = tree.find(".//title")
        assert title is not None and (title.text or "").strip(), page
        assert len(tree.findall(".//h1")) == 1, page


def test_every_internal_link_and_source_resolves(real_site):
    checked = 0
    for page in html_pages(real_site):
        for element in parse(page).iter():
            for attr in ("href", "src"):
                link = element.get(attr)
                if not link or link.startswith(("#", "mailto:", "tel:", "webcal:")):
                    continue
                parts = urlsplit(link)
                if parts.scheme in ("http", "https"):
                    if parts.netloc != "i-network.org.uk" or not parts.path.startswith(BASE_PATH):
                        continue
                checked += 1
                assert resolves(real_site, link), f"{page.relative_to(real_site)}: broken link {link}"
    assert checked > 200


def test_every_contract_page_exists(real_site):
    for rel in ["index.html", "events/index.html", "summaries/index.html", "insights/index.html",
                "newsletter/index.html", "people/index.html", "tags/index.html", "subscribe/index.html",
                "search/index.html", "404.html", "about/index.html", "accessibility/index.html",
                "static/style.css", "assets/images/local-rethink-logo.svg",
                "events/2014-06-20-using-public-assets/index.html", "series/local-rethink/index.html"]:
        assert (real_site / rel).is_file(), rel


def test_events_list_puts_upcoming_before_past(copy_real_site, build_site_at, tmp_path):
    build_site_at(copy_real_site, tmp_path / "o", now="2014-03-01T12:00")
    text = (tmp_path / "o/events/index.html").read_text()
    upcoming = text.index("2014-03-27-innovation-at-monmouthshire")
    past = text.index("2014-01-15-redefining-local-public-services")
    assert text.index("Upcoming") < upcoming < text.index("Past") < past


def test_special_characters_in_a_title_are_escaped(make_site, build_site_at):
    title = 'Cuts <b>&amp; "savings"</b> & more'
    root = make_site({"content/insights/2014-01-01-x.md": f"---\ntitle: '{title}'\ndate: 2014-01-01\n---\nHi.\n"})
    build_site_at(root)
    page = root / "output/insights/x/index.html"
    tree = parse(page)
    assert tree.find(".//h1").text.strip() == title
    assert tree.find(".//h1/b") is None, "markup in a title must not become elements"
    assert "&lt;b&gt;" in page.read_text()


def test_two_builds_are_byte_identical(copy_real_site, build_site_at, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build_site_at(copy_real_site, first)
    build_site_at(copy_real_site, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_site_under_domain_root_links_from_root(make_site, build_site_at):
    root = make_site({"content/pages/about.md": "---\ntitle: About\nmenu: 1\n---\n[events](/events/)\n"})
    build_site_at(root)
    tree = parse(root / "output/about/index.html")
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert "/events/" in hrefs


def test_aliases_become_redirect_pages(make_site, build_site_at):
    root = make_site({"content/insights/2014-01-01-new.md":
                      "---\ntitle: New\ndate: 2014-01-01\naliases: [/blog/old-name/]\n---\nHi.\n"})
    build_site_at(root)
    tree = parse(root / "output/blog/old-name/index.html")
    refresh = [m for m in tree.iter("meta") if (m.get("http-equiv") or "").lower() == "refresh"]
    assert refresh and refresh[0].get("content").endswith("/insights/new/")


def test_content_file_links_become_page_urls(real_site):
    tree = parse(real_site / "summaries/delivering-with-communities-sefton/index.html")
    hrefs = {a.get("href") for a in tree.iter("a")}
    assert f"{BASE_PATH}events/2015-02-27-sefton-delivering-with-communities/" in hrefs


@pytest.mark.parametrize("now, shown", [("2014-03-27T09:00", True), ("2014-03-28T00:00", False)])
def test_register_button_only_while_upcoming(copy_real_site, build_site_at, tmp_path, now, shown):
    out = tmp_path / "o"
    build_site_at(copy_real_site, out, now=now)
    tree = parse(out / "events/2014-03-27-innovation-at-monmouthshire/index.html")
    register = [a for a in tree.iter("a") if "".join(a.itertext()).strip().startswith("Register")
                and "eventbrite" in (a.get("href") or "")]
    assert bool(register) == shown


def test_a_theme_runtime_error_is_a_message_naming_the_template_line(make_site, tmp_path):
    import subprocess
    import sys

    root = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi.\n",
                      "templates/page.html": '{% extends "base.html" %}\n{% block content %}\n{{ 1/0 }}\n'
                                             '{% endblock %}\n'})
    result = subprocess.run([sys.executable, "-m", "reThink_site", "build", "--site", str(root), "--no-search",
                             "--now", "2014-01-01T12:00"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "templates/page.html:3" in result.stderr and "ZeroDivisionError" in result.stderr
    assert not (root / "output").exists()


def test_every_event_page_offers_its_calendar_file(real_site):
    for page in sorted((real_site / "events").glob("*/index.html")):
        if page.parent.name == "calendar":
            continue
        links = [a.get("href") for a in parse(page).iter("a")]
        assert f"{BASE_PATH}events/{page.parent.name}/event.ics" in links, page
