"""The rendering shortcuts (fast JSON-LD, cards rendered once per build) must not change what readers get."""

from __future__ import annotations

import json

import html5lib
import pytest

from reThink_site.render.templates import json_script

SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def stdlib_json_script(value) -> str:
    """What json_script promises: json.dumps' sorted, one-space layout, made safe inside <script>."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    for raw, escaped in SCRIPT_SAFE.items():
        text = text.replace(raw, escaped)
    return text


@pytest.mark.parametrize("value", [
    {}, [], "plain", 7, None, True,
    {"@type": "Event", "name": "Caf\u00e9 </script><!-- & \u2028\u2029 \"quoted\" \\ \t\n\x01",
     "performer": [{"@type": "Person", "name": "A"}, {"@type": "Person", "name": "B"}],
     "offers": {}, "image": [], "nested": [[], [{"z": 1, "a": False}], ("tuple", None)]},
    {"price": 1.5, "ratio": float("inf")},  # floats: left to the json module
    {2: "non-string keys", 1: "b"},  # non-string keys: left to the json module
])
def test_json_script_is_the_stdlib_layout_and_parses_back(value):
    text = str(json_script(value))
    assert text == stdlib_json_script(value)
    assert "</script" not in text and "<!--" not in text
    if not (isinstance(value, dict) and any(isinstance(k, int) for k in value)):
        assert json.loads(text) == json.loads(json.dumps(value))


def test_every_card_on_every_list_page_names_the_page_it_links_to(real_site):
    """Cards are rendered once per build and reused: each must still show its own entry's title."""
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    base_path = "/local-rethink/"  # site.yaml base_url
    checked = 0
    pages = [real_site / "index.html", real_site / "events/index.html", real_site / "insights/index.html",
             real_site / "summaries/index.html", *real_site.glob("tags/*/index.html"),
             *real_site.glob("series/*/index.html"), *real_site.glob("people/*/index.html")]
    for page in pages:
        hrefs = []
        for card in parser.parse(page.read_bytes()).iter("article"):
            if "card" not in card.get("class", "").split():
                continue
            link = card.find(".//*[@class='card__title']/a")
            target = real_site / link.get("href").removeprefix(base_path) / "index.html"
            heading = parser.parse(target.read_bytes()).find(".//h1")
            assert " ".join("".join(link.itertext()).split()) == " ".join("".join(heading.itertext()).split())
            hrefs.append(link.get("href"))
            checked += 1
        assert len(hrefs) == len(set(hrefs)), f"{page}: a card shown twice"
    insight_pages = list(real_site.glob("insights/*/index.html"))
    listed = [a for a in parser.parse((real_site / "insights/index.html").read_bytes()).iter("a")
              if a.get("href", "").removeprefix(base_path).startswith("insights/")
              and a.get("href") != base_path + "insights/"]
    assert {a.get("href") for a in listed} == {base_path + str(p.parent.relative_to(real_site)) + "/"
                                               for p in insight_pages}
    assert checked > 20
