"""The default Markdown engine (CommonMark via pulldown-cmark): what editors write becomes the right HTML."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest
from hypothesis import given

from reThink_site.markdown.base import LinkContext
from reThink_site.markdown.bodies import make_renderer
from tests.helpers import FUZZ, assert_clean, markdown_bodies, run

CONTEXT = LinkContext("insights", {"pages/about.md": "/about/", "insights/other.md": "/insights/other/"},
                      "/rethink/")


def render(body: str, engine: str = "commonmark", raw_html: str = "allow"):
    return make_renderer(engine, raw_html).render(body, CONTEXT)


def parse(fragment: str):
    return html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=False)


def test_headings_get_unique_ids_like_python_markdown():
    body = "# Hello, World\n\n## Intro\n\n## Intro\n\n## Intro\n\n## Custom {#own-id .wide}\n\n## !!!\n"
    out = render(body)
    headings = [(h.tag, h.get("id"), h.get("class")) for h in parse(out.html) if h.tag.startswith("h")]
    assert headings == [("h1", "hello-world", None), ("h2", "intro", None), ("h2", "intro_1", None),
                        ("h2", "intro_2", None), ("h2", "own-id", "wide"), ("h2", "section", None)]
    assert out.ids == ("hello-world", "intro", "intro_1", "intro_2", "own-id", "section")
    assert render(body, "python-markdown").ids[:4] == out.ids[:4]


def test_links_resolve_and_are_recorded_for_checking():
    out = render("[About](../pages/about.md#team) [other](other.md) [gone](missing.md) [site](/events/) "
                 "[web](https://example.org/a?b=1&c=2) [bad](javascript:alert(1)) <someone@example.org> "
                 "![](photo.png) ![A photo](/assets/p.png)")
    hrefs = [a.get("href") for a in parse(out.html).iter("a")]
    assert hrefs == ["/rethink/about/#team", "/rethink/insights/other/", "missing.md", "/rethink/events/",
                     "https://example.org/a?b=1&c=2", "#", "mailto:someone@example.org"]
    assert [img.get("src") for img in parse(out.html).iter("img")] == ["photo.png", "/rethink/assets/p.png"]
    assert out.links == ("/about/#team", "/insights/other/", "/events/", "/assets/p.png")
    assert out.missing_files == ("missing.md",)
    assert out.bad_schemes == ("javascript:alert(1)",)
    assert out.images_without_alt == ("photo.png",)


def test_link_text_inside_image_alt_is_not_a_link():
    out = render("![a [b](other.md) c](pic.png) then [real](other.md)")
    assert [a.get("href") for a in parse(out.html).iter("a")] == ["/rethink/insights/other/"]
    assert [img.get("alt") for img in parse(out.html).iter("img")] == ["a b c"]


def test_raw_html_passes_through_untouched_when_allowed():
    out = render('Before <span id="mark" title="it\'s">x</span>\n\n<div class="box">\n<a href="about.md">'
                 '"raw"</a>\n</div>\n\n[md](../pages/about.md)')
    tree = parse(out.html)
    assert [a.get("href") for a in tree.iter("a")] == ["about.md", "/rethink/about/"]
    assert [s.get("title") for s in tree.iter("span")] == ["it's"]
    assert "mark" in out.ids


@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_escape_mode_shows_raw_html_as_text(engine):
    body = ('Hi <span onclick="alert(1)">there</span>\n\n<script>alert(2)</script>\n\n'
            '<div>\n<img src=x onerror=alert(3)>\n</div>\n\n`<b>code</b>`\n')
    tree = parse(render(body, engine, "escape").html)
    assert not [e for e in tree.iter() if e.tag in ("span", "script", "div", "img", "b")]
    text = "".join(tree.itertext())
    assert "<span onclick=" in text and "<script>" in text and "<b>code</b>" in text


def test_escape_mode_drops_handlers_from_heading_attributes():
    tree = parse(render("## Title {#t .c onclick=alert(1)}\n", raw_html="escape").html)
    heading = next(tree.iter("h2"))
    assert (heading.get("id"), heading.get("class"), heading.get("onclick")) == ("t", "c", None)


def test_tables_footnotes_tasks_and_strikethrough():
    out = render("| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^n] ~~old~~\n\n- [x] done\n\n[^n]: The note.\n")
    tree = parse(out.html)
    assert [c.text for c in tree.iter("td")] == ["1", "2"]
    assert [a.get("href") for a in tree.iter("a")] == ["#fn-n"]
    assert "fn-n" in out.ids and [d.get("id") for d in tree.iter("div")] == ["fn-n"]
    assert [d.text for d in tree.iter("del")] == ["old"]
    assert [i.get("checked") is not None for i in tree.iter("input")] == [True]


def test_lists_nest_with_two_spaces():
    tree = parse(render("- one\n  - nested\n- two\n").html)
    assert [li.text.strip() for li in tree.iter("li")] == ["one", "nested", "two"]
    assert len(list(tree.iter("ul"))) == 2


def test_site_yaml_chooses_the_engine(copy_real_site: Path, tmp_path: Path):
    page = copy_real_site / "content/pages/engine.md"
    page.write_text("---\ntitle: Engine\n---\nA paragraph.\n{: .lead }\n", encoding="utf-8")
    run(copy_real_site, tmp_path / "cm", cache=False)
    cm = parse((tmp_path / "cm/engine/index.html").read_text(encoding="utf-8"))
    assert "{: .lead }" in "".join(cm.itertext())  # CommonMark has no attribute lists: shown as written
    config = copy_real_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("markdown:\n", "markdown:\n  engine: "
                                                                "python-markdown\n", 1), encoding="utf-8")
    run(copy_real_site, tmp_path / "pm", cache=False)
    pm = parse((tmp_path / "pm/engine/index.html").read_text(encoding="utf-8"))
    assert [p.get("class") for p in pm.iter("p") if (p.text or "").startswith("A paragraph")] == ["lead"]


def test_switching_engine_rebuilds_like_a_clean_build(site: Path, tmp_path: Path):
    extra = site / "content/insights/2015-01-05-extra-thoughts.md"
    extra.write_text(extra.read_text(encoding="utf-8") + "\n- one\n  - nested\n", encoding="utf-8")
    run(site, site / "output")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("markdown:\n", "markdown:\n  engine: "
                                                                "python-markdown\n", 1), encoding="utf-8")
    run(site, site / "output")
    assert_clean(site, tmp_path, "an engine change")


MARKDOWN_TAGS = {"DOCUMENT_FRAGMENT", "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "em", "strong", "del",
                 "code", "pre", "blockquote", "ul", "ol", "li", "hr", "br", "table", "thead", "tbody", "tr", "th",
                 "td", "sup", "div", "input"}


@FUZZ
@given(body=markdown_bodies)
def test_escape_mode_never_lets_markup_through(body):
    out = render(body, raw_html="escape")
    tree = parse(out.html)
    assert {e.tag for e in tree.iter() if isinstance(e.tag, str)} <= MARKDOWN_TAGS
    assert not [name for e in tree.iter() for name in e.keys() if name.lower().startswith("on")]
    assert [d.get("class") for d in tree.iter("div")] == ["footnote-definition"] * len(list(tree.iter("div")))
    for a in tree.iter("a"):
        assert not a.get("href", "").lower().lstrip().startswith(("javascript", "vbscript", "data"))
