"""`rethink list`: the programme split at a pinned now as the site splits it, as text lines or JSON."""

from __future__ import annotations

import json

import html5lib

from reThink_site.cli import main

LIST_NOW = "2015-03-10T12:00"

LIST_SITE = {
    "content/events/2015-03-01-over.md": "---\ntitle: Over already\nstart: 2015-03-01 10:00\n"
                                         "location: online\n---\nText.\n",
    "content/events/2015-03-10-today.md": "---\ntitle: On right now\nstart: 2015-03-10 11:00\n"
                                          "end: 2015-03-10 13:00\nlocation: online\n---\nText.\n",
    "content/events/2015-04-02-later.md": "---\ntitle: Later on\nstart: 2015-04-02\nlocation: online\n---\nText.\n",
    "content/events/2015-05-01-hidden.md": "---\ntitle: Not ready\nstart: 2015-05-01 09:30\ndraft: true\n---\n",
    "content/summaries/2015-03-02-heard.md": "---\ntitle: What we heard\ndate: 2015-03-02\n---\nText.\n",
    "content/insights/2015-04-01-soon.md": "---\ntitle: Due in April\ndate: 2015-04-01\n---\nText.\n",
    "content/newsletters/2015-02-01-feb.md": "---\ntitle: February\ndate: 2015-02-01\n---\nHello.\n",
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
}


def lines(runner, site, *args) -> list[str]:
    result = runner.invoke(main, ["list", *args, "--site", str(site), "--now", LIST_NOW])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_each_list_splits_the_programme_at_now(runner, make_site):
    site = make_site(LIST_SITE)
    assert lines(runner, site, "upcoming") == [
        "2015-03-10 11:00  event       On right now  content/events/2015-03-10-today.md",
        "2015-04-02        event       Later on  content/events/2015-04-02-later.md",
    ]
    assert lines(runner, site, "past") == [
        "2015-03-02        summary     What we heard  content/summaries/2015-03-02-heard.md",
        "2015-03-01 10:00  event       Over already  content/events/2015-03-01-over.md",
        "2015-02-01        newsletter  February  content/newsletters/2015-02-01-feb.md",
    ]
    assert lines(runner, site, "drafts") == [
        "2015-05-01 09:30  event       Not ready  content/events/2015-05-01-hidden.md"]
    assert lines(runner, site, "future") == [
        "2015-04-01        insight     Due in April  content/insights/2015-04-01-soon.md"]
    every = lines(runner, site, "all")
    assert len(every) == len(LIST_SITE)
    assert every[0].startswith("-                 page        About")
    assert lines(runner, site, "all", "--kind", "event") == [
        line for line in every if "  event  " in line]


def section_titles(page: str, section: str) -> list[str]:
    """The link texts in one section of /events/, read by html5lib."""
    document = html5lib.parse(page, namespaceHTMLElements=False)
    found = next(s for s in document.iter("section") if section in (s.get("aria-labelledby") or ""))
    return ["".join(a.itertext()).strip() for a in found.iter("a")]


def test_the_split_is_the_built_sites(runner, make_site, build_site_at):
    """What `list` calls upcoming and past is what /events/ shows so; drafts and future posts have no page."""
    site = make_site(LIST_SITE)
    build_site_at(site, now=LIST_NOW)
    page = (site / "output/events/index.html").read_text(encoding="utf-8")
    title = lambda line: line.split("  event       ")[1].rsplit("  ", 1)[0]  # noqa: E731
    upcoming = [title(line) for line in lines(runner, site, "upcoming")]
    past = [title(line) for line in lines(runner, site, "past", "--kind", "event")]
    assert [t for t in section_titles(page, "upcoming") if t in upcoming + past] == upcoming
    assert [t for t in section_titles(page, "past") if t in upcoming + past] == past
    built = {p.parent.name for p in (site / "output").rglob("index.html")}
    for line in lines(runner, site, "drafts") + lines(runner, site, "future"):
        stem = line.rsplit("/", 1)[1].removesuffix(".md")
        assert stem not in built and stem.split("-", 3)[-1] not in built, line


def test_json_for_tools(runner, make_site):
    site = make_site(LIST_SITE)
    found = json.loads("\n".join(lines(runner, site, "upcoming", "--format", "json")))
    assert found == [
        {"date": "2015-03-10 11:00", "kind": "event", "title": "On right now",
         "file": "content/events/2015-03-10-today.md", "state": "upcoming"},
        {"date": "2015-04-02", "kind": "event", "title": "Later on",
         "file": "content/events/2015-04-02-later.md", "state": "upcoming"},
    ]
    assert json.loads("\n".join(lines(runner, site, "drafts", "--kind", "page", "--format", "json")) or "[]") == []


def test_exit_codes_as_the_other_commands(runner, make_site, tmp_path):
    site = make_site({**LIST_SITE, "content/events/2015-06-01-bad.md": "---\ntitle: Bad\nstart: someday\n---\n"})
    result = runner.invoke(main, ["list", "all", "--site", str(site), "--now", LIST_NOW])
    assert result.exit_code == 1
    assert "content/events/2015-06-01-bad.md:3: start:" in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(main, ["list", "soon", "--site", str(site)]).exit_code == 2
    assert runner.invoke(main, ["list", "all", "--site", str(tmp_path / "nowhere")]).exit_code == 2
    assert runner.invoke(main, ["list", "all", "--site", str(site), "--now", "tomorrow"]).exit_code == 2
