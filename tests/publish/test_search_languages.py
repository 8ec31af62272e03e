"""Pagefind indexes each language apart by the page's lang; Welsh, which it cannot stem, still gets a whole index."""

from __future__ import annotations

import json

from reThink_site.publish.search import broken_index, index_site

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><article data-pagefind-body><h1>{title}</h1><p>{text}</p></article></main></body></html>"""


def test_a_welsh_page_gets_its_own_index_that_the_build_accepts(tmp_path):
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "index.html").write_text(
        PAGE.format(lang="en-GB", title="Innovation at Monmouthshire", text="Senior colleagues meet."), "utf-8")
    (tmp_path / "cy").mkdir()
    (tmp_path / "cy" / "index.html").write_text(
        PAGE.format(lang="cy", title="Arloesi yn Sir Fynwy", text="Mae uwch gydweithwyr yn cwrdd."), "utf-8")
    index_site(tmp_path)  # raised "wasm.None.pagefind is missing" before Welsh was allowed for
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["cy", "en-gb"]
    assert entry["languages"]["cy"]["page_count"] == 1 and entry["languages"]["cy"]["wasm"] is None
    assert broken_index(tmp_path / "pagefind") == ""
    (tmp_path / "pagefind" / "wasm.unknown.pagefind").unlink()  # the plain index Welsh searches with
    assert broken_index(tmp_path / "pagefind") == "pagefind/wasm.unknown.pagefind is missing"
