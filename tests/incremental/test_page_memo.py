"""Unchanged content pages are reused from the live site, and only when nothing they show has changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reThink_site.render import pages
from tests.helpers import assert_clean, edit_body, run

EVENT = "content/events/2015-02-27-sefton-delivering-with-communities.md"
SUMMARY_PAGE = "summaries/delivering-with-communities-sefton/index.html"


def default_language(env) -> bool:
    """A page of the site's first language: the page memo's; the Welsh pages are rendered afresh each build."""
    config = env.globals["config"]
    return config.language == config.default_language


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """URLs of the content pages rendered (not reused) by the builds that follow (jobs=1: in-process)."""
    urls: list[str] = []
    real = pages.page

    def counting(env, job):
        if job[2] in ("event.html", "summary.html", "insight.html", "page.html", "newsletter.html") \
                and default_language(env):
            urls.append(job[1])
        return real(env, job)

    monkeypatch.setattr(pages, "page", counting)
    return urls


def test_a_body_edit_renders_only_that_page(site: Path, tmp_path: Path, rendered: list[str]) -> None:
    edit_body(site)
    run(site, site / "output")
    # only the insight's own page shows its body: the lists and the newsletter issue that name it
    # (under "Since the last issue") show its title and summary, which did not change
    assert rendered == ["/insights/extra-thoughts/"]
    assert_clean(site, tmp_path, "body")


def test_an_event_title_edit_renders_the_pages_that_show_it(site: Path, tmp_path: Path,
                                                             rendered: list[str]) -> None:
    path = site / EVENT
    path.write_text(_retitle(path.read_text(encoding="utf-8")), encoding="utf-8")
    run(site, site / "output")
    assert "/events/2015-02-27-sefton-delivering-with-communities/" in rendered
    assert "/summaries/delivering-with-communities-sefton/" in rendered  # it names its event
    assert len(rendered) < 10
    assert "Renamed event" in (site / "output" / SUMMARY_PAGE).read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "event title")


def _retitle(text: str) -> str:
    lines = text.split("\n")
    return "\n".join("title: Renamed event" if line.startswith("title:") else line for line in lines)


def test_time_passing_rerenders_pages_that_show_upcoming_state(site: Path, tmp_path: Path) -> None:
    # the Sefton event is upcoming on the morning of 27 February 2015 and past the next day, before
    # anything else is published: only the event's own upcoming/past state changes its page
    before, after = "2015-02-27T09:00", "2015-02-28T12:00"
    run(site, site / "output", now=before)
    run(site, site / "output", now=after)
    assert_clean(site, tmp_path, "time", now=after)
    run(site, site / "output", now=before)
    assert_clean(site, tmp_path, "time back", now=before)


def test_a_changed_person_reaches_every_page_naming_them(site: Path, tmp_path: Path, rendered: list[str]) -> None:
    people = site / "content/people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Phil Swan", "name: Philip Swan"),
                      encoding="utf-8")
    run(site, site / "output")
    assert rendered, "the people change was not noticed"
    assert_clean(site, tmp_path, "people")


def test_a_hand_edited_live_page_is_rendered_again(site: Path, tmp_path: Path) -> None:
    page = site / "output" / SUMMARY_PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<!-- hand edit --></body>"),
                    encoding="utf-8")
    edit_body(site)
    run(site, site / "output")
    assert "hand edit" not in page.read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "hand edit")


def test_a_corrupt_page_memo_only_costs_speed(site: Path, tmp_path: Path) -> None:
    from reThink_site.incremental.cachedir import CACHE_DIR
    from reThink_site.incremental.pagememo import MEMO_FILE

    (site / CACHE_DIR / MEMO_FILE).write_text('{"format": "rethink-pages/1", "pages": {"/": 5, "/x/": [1, 2]}}',
                                              encoding="utf-8")
    edit_body(site)
    run(site, site / "output")
    assert_clean(site, tmp_path, "corrupt memo")


def test_a_remembered_card_passes_on_what_it_read(site: Path, tmp_path: Path) -> None:
    # a site's own insight template shows a card, rendered once per build through `remembered`, that
    # reads the upcoming events: every insight page depends on them, not only the first one rendered
    from reThink_site.render.templates import default_theme

    own = site / "templates"
    own.mkdir()
    (own / "_probe.html").write_text("{% macro upcoming_count() %}<p class=probe>{{ site.upcoming|length }} "
                                     "upcoming</p>{% endmacro %}", encoding="utf-8")
    insight = (default_theme() / "insight.html").read_text(encoding="utf-8")
    (own / "insight.html").write_text(insight.replace(
        "{% block content %}", "{% block content %}{% import '_probe.html' as probe %}"
                               "{{ remembered(probe.upcoming_count) }}", 1), encoding="utf-8")
    before, after = "2014-01-10T12:00", "2014-02-20T12:00"  # two events pass in between
    run(site, site / "output", now=before)
    run(site, site / "output", now=after)
    pages_with_probe = [p for p in (site / "output/insights").rglob("index.html")
                        if "class=probe" in p.read_text(encoding="utf-8")]
    assert len(pages_with_probe) >= 2
    assert_clean(site, tmp_path, "remembered card", now=after)


LINKING = "content/insights/2015-01-06-linking-thoughts.md"


def test_a_renamed_link_target_rerenders_the_page_linking_to_it(site: Path, tmp_path: Path,
                                                                rendered: list[str]) -> None:
    # the linking file's bytes stay the same; only the URL its relative .md link resolves to moves
    # (the target takes a new slug)
    (site / LINKING).write_text("---\ntitle: Linking thoughts\ndate: 2015-01-06\n---\n"
                                "See [the extra](2015-01-05-extra-thoughts.md).\n", encoding="utf-8")
    run(site, site / "output")
    target = site / "content/insights/2015-01-05-extra-thoughts.md"
    target.write_text(target.read_text(encoding="utf-8").replace("title:", "slug: renamed-thoughts\ntitle:", 1),
                      encoding="utf-8")
    rendered.clear()
    run(site, site / "output")
    assert "/insights/linking-thoughts/" in rendered
    page = (site / "output/insights/linking-thoughts/index.html").read_text(encoding="utf-8")
    assert "/insights/renamed-thoughts/" in page
    assert_clean(site, tmp_path, "renamed link target")


def test_a_front_matter_only_edit_rerenders_the_page(site: Path, tmp_path: Path, rendered: list[str]) -> None:
    path = site / "content/insights/2015-01-05-extra-thoughts.md"
    path.write_text(path.read_text(encoding="utf-8").replace("tags: [extra topic]", "tags: [other topic]"),
                    encoding="utf-8")
    run(site, site / "output")
    assert "/insights/extra-thoughts/" in rendered
    assert "other topic" in (site / "output/insights/extra-thoughts/index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "front matter")


@pytest.fixture
def every_render(monkeypatch) -> list[str]:
    """URLs of every page rendered (not reused) by the builds that follow."""
    urls: list[str] = []
    real = pages.page

    def counting(env, job):
        if default_language(env):
            urls.append(job[1])
        return real(env, job)

    monkeypatch.setattr(pages, "page", counting)
    return urls


TAG_PAGE = "/tags/extra-topic/"
SHOWS_HTML = ("{% extends 'base.html' %}{% block content %}{% for e in group.posts %}<article>{{ e.html|safe }}"
              "</article>{% endfor %}{% endblock %}")
SHOWS_MARKDOWN = ("{% extends 'base.html' %}{% block content %}<pre>{{ group.posts|map(attribute='item')"
                  "|map(attribute='body')|join('|') }}</pre>{% endblock %}")


def test_a_body_edit_leaves_the_lists_that_name_the_entry_alone(site: Path, tmp_path: Path,
                                                                every_render: list[str]) -> None:
    edit_body(site)
    run(site, site / "output")
    assert TAG_PAGE not in every_render and "/insights/" not in every_render and "/" not in every_render
    assert_clean(site, tmp_path, "body")


@pytest.mark.parametrize("template", [SHOWS_HTML, SHOWS_MARKDOWN], ids=["html", "markdown-via-map"])
def test_a_theme_that_shows_bodies_in_a_list_gets_body_edits(site: Path, tmp_path: Path, every_render: list[str],
                                                             template: str) -> None:
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates" / "group.html").write_text(template, encoding="utf-8")
    run(site, site / "output")
    every_render.clear()
    edit_body(site)
    run(site, site / "output")
    assert TAG_PAGE in every_render
    assert "Changed text" in (site / "output" / "tags/extra-topic/index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "a body shown in a list")


def test_a_first_paragraph_edit_updates_the_lists_that_show_the_summary(site: Path, tmp_path: Path,
                                                                       every_render: list[str]) -> None:
    path = site / "content/insights/2015-01-05-extra-thoughts.md"
    path.write_text(path.read_text(encoding="utf-8").replace("An extra insight", "A reworded insight"),
                    encoding="utf-8")
    run(site, site / "output")
    assert "/insights/" in every_render and TAG_PAGE in every_render
    assert "A reworded insight" in (site / "output" / "insights/index.html").read_text(encoding="utf-8")
    assert_clean(site, tmp_path, "a first paragraph")
