"""Hostile and broken exports: refused with a clear message and exit 1, nothing read from elsewhere, nothing written."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from reThink_site.importing import writing
from tests.helpers import WORDPRESS_EXPORT as EXPORT
from tests.helpers import tree

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
WXR_OPEN = ('<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n')
LAUGHS = "".join(f'<!ENTITY lol{n} "{"&lol%d;" % (n - 1) * 10}">\n' for n in range(1, 10))


def one_post(title: str) -> str:
    return (f"<item><title>{title}</title><link>https://old.example.org/a/</link><wp:post_id>1</wp:post_id>"
            "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_name>a</wp:post_name>"
            "<wp:post_date>2014-01-01 10:00:00</wp:post_date><content:encoded>Body</content:encoded></item>\n")


def hostile(tmp_path: Path, secret: Path) -> dict[str, tuple[bytes, str]]:
    """name -> (the export's bytes, words the error must contain)."""
    full = EXPORT.read_bytes()
    return {
        "billion laughs": ((HEAD + '<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n' + LAUGHS + "]>\n" + WXR_OPEN
                            + one_post("&lol9;") + "</channel></rss>\n").encode(), "DTD"),
        "external entity naming a local file": ((HEAD + f'<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
                                                 + WXR_OPEN + one_post("&secret;") + "</channel></rss>\n").encode(),
                                                "DTD"),
        "external DTD": ((HEAD + f'<!DOCTYPE rss SYSTEM "file://{secret}">\n' + WXR_OPEN + one_post("x")
                          + "</channel></rss>\n").encode(), "external DTD"),
        "truncated": (full[: len(full) // 2], "cut short"),
        "not WXR (a web page)": (b"<!-- saved page -->\n<html><body><p>Hello</p></body></html>\n",
                                 "not a WordPress export"),
        "not WXR (a plain RSS feed)": (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
                                       b"<item><title>y</title></item></channel></rss>", "not a WordPress export"),
        "not UTF-8": ((HEAD + WXR_OPEN).encode() + one_post("Caf\xe9 society").encode("latin-1")
                      + b"</channel></rss>\n", "not UTF-8"),
        "not XML at all": (b"PK\x03\x04 a zip file", "not well-formed"),
    }


@pytest.mark.parametrize("case", ["billion laughs", "external entity naming a local file", "external DTD",
                                  "truncated", "not WXR (a web page)", "not WXR (a plain RSS feed)", "not UTF-8",
                                  "not XML at all"])
def test_a_hostile_or_broken_export_is_refused_and_writes_nothing(case, tmp_path, empty_site, run_import):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    data, words = hostile(tmp_path, secret)[case]
    export = tmp_path / "export.xml"
    export.write_bytes(data)
    before = tree(empty_site)
    result = run_import(empty_site, export, uploads=None)
    assert result.exit_code == 1, result.output
    assert words in result.output and str(export) in result.output
    assert "Traceback" not in result.output and "TOP-SECRET-VALUE" not in result.output
    assert tree(empty_site) == before


def test_an_export_declared_in_another_encoding_is_read_in_it(tmp_path, empty_site, run_import):
    export = tmp_path / "latin1.xml"
    export.write_bytes(('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + WXR_OPEN).encode()
                       + one_post("Caf\xe9 society").encode("latin-1") + b"</channel></rss>\n")
    result = run_import(empty_site, export, uploads=None)
    assert result.exit_code == 0, result.output
    assert "title: Café society" in (empty_site / "content/insights/2014-01-01-a.md").read_text(encoding="utf-8")


def test_a_missing_export_or_uploads_folder_is_a_usage_error(tmp_path, empty_site, run_import):
    assert run_import(empty_site, tmp_path / "nope.xml", uploads=None).exit_code == 2
    result = run_import(empty_site, EXPORT, uploads=tmp_path / "no-uploads")
    assert result.exit_code == 2 and "--uploads" in result.output


def test_an_interrupted_import_leaves_no_half_written_file(empty_site, run_import, monkeypatch):
    complete = empty_site.parent / "complete"
    complete.mkdir()
    (complete / "site.yaml").write_bytes((empty_site / "site.yaml").read_bytes())
    assert run_import(complete).exit_code == 0
    finished = tree(complete)
    calls = {"n": 0}
    real_replace = os.replace

    def interrupted(temp, path):
        calls["n"] += 1
        if calls["n"] == 4:  # the fourth file is half written when the interrupt comes
            os.truncate(temp, 10)
            raise KeyboardInterrupt
        real_replace(temp, path)

    # only the importer's writes see the interrupt: writing.os becomes os with this replace()
    monkeypatch.setattr(writing, "os", SimpleNamespace(**{**vars(os), "replace": interrupted}))
    stopped = run_import(empty_site)  # click answers Ctrl-C with "Aborted!" and exit 1
    assert stopped.exit_code == 1 and "Aborted" in stopped.output
    left = tree(empty_site)
    assert len(left) == 1 + 3  # site.yaml and the three files finished before the interrupt
    assert all(finished[name] == data for name, data in left.items() if name != "site.yaml")
    assert not [name for name in left if name.endswith(".importing")]
    monkeypatch.setattr(writing, "os", os)
    assert run_import(empty_site).exit_code == 0  # running it again completes the import
    assert tree(empty_site) == finished
