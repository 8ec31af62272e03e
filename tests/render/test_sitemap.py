"""sitemap.xml lists exactly the public pages; robots.txt only at a host's root; pages carry meta tags."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(out: Path) -> dict[str, str | None]:
    root = lxml.etree.fromstring((out / "sitemap.xml").read_bytes())
    return {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in root.findall("s:url", NS)}


def public_pages(out: Path, base: str) -> set[str]:
    """Every index.html that is not a redirect (noindex) page, as absolute URLs."""
    found = set()
    for page in out.rglob("index.html"):
        doc = lxml.html.fromstring(page.read_bytes())
        if doc.xpath("//meta[@name='robots' and contains(@content, 'noindex')]"):
            continue
        rel = page.parent.relative_to(out).as_posix()
        found.add(base + ("" if rel == "." else rel + "/"))
    return found


def test_real_sitemap_is_exactly_the_public_pages(real_site):
    listed = sitemap(real_site)
    assert set(listed) == public_pages(real_site, "https://i-network.org.uk/local-rethink/")
    assert not any(url.endswith(("404.html", "email.html")) for url in listed)
    assert listed["https://i-network.org.uk/local-rethink/summaries/delivering-with-communities-sefton/"] \
        == "2015-03-02"
    assert not (real_site / "robots.txt").exists()  # base_url has a path: robots.txt would not be read


SITE = "title: T\nbase_url: https://example.org/\n"
FILES = {
    "content/insights/2015-01-10-live.md":
        "---\ntitle: Live\ndate: 2015-01-10\nupdated: 2015-01-12T08:15\naliases: [/old-live/]\n---\nHi.\n",
    "content/insights/2015-01-11-hidden.md": "---\ntitle: Hidden\ndate: 2015-01-11\ndraft: true\n---\nDraft.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
}


def test_drafts_redirects_and_404_stay_out_even_with_drafts(make_site, build_site_at, tmp_path):
    root = make_site(FILES, SITE)
    build_site_at(root, tmp_path / "out", drafts=True)
    out = tmp_path / "out"
    assert (out / "insights/hidden/index.html").exists() and (out / "old-live/index.html").exists()
    listed = sitemap(out)
    assert "https://example.org/insights/hidden/" not in listed
    assert "https://example.org/old-live/" not in listed
    assert "https://example.org/404.html" not in listed
    assert listed["https://example.org/insights/live/"] == "2015-01-12T08:15:00+00:00"
    assert {"https://example.org/", "https://example.org/about/", "https://example.org/subscribe/"} <= set(listed)
    assert set(listed) == public_pages(out, "https://example.org/") - {"https://example.org/insights/hidden/"}


def test_robots_at_host_root_points_to_sitemap(make_site, build_site_at, tmp_path):
    root = make_site(FILES, SITE)
    build_site_at(root, tmp_path / "out")
    robots = (tmp_path / "out" / "robots.txt").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in robots.splitlines()
    assert "User-agent: *" in robots


def test_pages_carry_canonical_description_and_social_tags(real_site):
    doc = lxml.html.fromstring((real_site / "summaries/delivering-with-communities-sefton/index.html").read_bytes())
    head = doc.find("head")
    assert head.xpath("link[@rel='canonical']/@href") == \
        ["https://i-network.org.uk/local-rethink/summaries/delivering-with-communities-sefton/"]
    assert head.xpath("meta[@name='description']/@content")[0].startswith("Key points")
    for prop in ("og:title", "og:description", "og:url"):
        assert head.xpath(f"meta[@property='{prop}']/@content")[0]
    assert head.xpath("meta[@name='twitter:card']/@content")


LISTED = {
    "content/events/2015-03-01-changed.md":
        "---\ntitle: Changed\nstart: 2015-03-01 10:00\nupdated: 2015-02-20T09:00\nseries: Talks\n"
        "tags: [roads]\nspeakers: [{name: Ann Speaker}]\n---\nMoved room.\n",
    "content/events/2015-04-01-plain.md":
        "---\ntitle: Plain\nstart: 2015-04-01\nseries: Talks\ntags: [parks]\n---\nNo updated.\n",
    "content/events/2015-05-01-lonely.md":
        "---\ntitle: Lonely\nstart: 2015-05-01\nseries: Quiet\nspeakers: [{name: Bo Speaker}]\n---\nHi.\n",
    "content/summaries/2015-01-20-heard.md":
        "---\ntitle: Heard\ndate: 2015-01-20\ntags: [roads]\nauthor: Ann Speaker\n---\nNotes.\n",
    "content/insights/2015-01-25-view.md":
        "---\ntitle: View\ndate: 2015-01-25\nupdated: 2015-02-25T16:45\ntags: [parks]\n---\nText.\n",
    "content/insights/2015-01-05-older.md": "---\ntitle: Older\ndate: 2015-01-05\ntags: [parks]\n---\nText.\n",
    "content/newsletters/2015-02-01-feb.md": "---\ntitle: Feb\ndate: 2015-02-01\n---\nIssue.\n",
    "content/newsletters/2015-01-01-jan.md": "---\ntitle: Jan\ndate: 2015-01-01\n---\nIssue.\n",
}


def test_list_pages_carry_the_newest_date_of_what_they_list(make_site, build_site_at, tmp_path):
    root = make_site(LISTED, SITE)
    build_site_at(root, tmp_path / "a", now="2015-03-10T12:00")  # Plain and Lonely still to come
    build_site_at(root, tmp_path / "b", now="2016-06-01T12:00")
    assert (tmp_path / "a/sitemap.xml").read_bytes() == (tmp_path / "b/sitemap.xml").read_bytes()
    listed = {url.removeprefix("https://example.org"): mod for url, mod in sitemap(tmp_path / "b").items()}
    assert listed["/events/2015-03-01-changed/"] == "2015-02-20T09:00:00+00:00"
    assert listed["/events/2015-04-01-plain/"] is None  # a start date is no change date
    assert listed["/insights/view/"] == "2015-02-25T16:45:00+00:00"
    assert listed["/insights/older/"] == "2015-01-05"
    assert listed["/"] == "2015-02-25T16:45:00+00:00"
    assert listed["/events/"] == "2015-02-20T09:00:00+00:00"
    assert listed["/summaries/"] == "2015-01-20"
    assert listed["/insights/"] == "2015-02-25T16:45:00+00:00"
    assert listed["/newsletter/"] == "2015-02-01"
    assert listed["/tags/roads/"] == "2015-02-20T09:00:00+00:00"
    assert listed["/tags/parks/"] == "2015-02-25T16:45:00+00:00"
    assert listed["/series/talks/"] == "2015-02-20T09:00:00+00:00"
    assert listed["/series/quiet/"] is None  # only an event without `updated`
    assert listed["/people/ann-speaker/"] == "2015-02-20T09:00:00+00:00"
    assert listed["/people/bo-speaker/"] is None
