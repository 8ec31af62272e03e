"""The newsletter e-mail as mail clients read it: caniemail's data (npm doiuse-email), Outlook's tables, links."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import lxml.etree
import lxml.html
import pytest

from tests.helpers import REPO

EMAIL = "newsletter/2015-02-02-february-2015/email.html"
DOIUSE = REPO / "node_modules" / "doiuse-email" / "index.js"
# The mail clients most of a council audience reads with (caniemail's family names; * = every platform).
CLIENTS = ["outlook.*", "gmail.*", "apple-mail.*", "yahoo.*", "aol.*", "samsung-email.*", "thunderbird.*"]
RUN_DOIUSE = """
import { doIUseEmail } from %s;
import { readFileSync } from "node:fs";
const html = readFileSync(process.argv[1], "utf8");
process.stdout.write(JSON.stringify(doIUseEmail(html, { emailClients: JSON.parse(process.argv[2]) })));
"""
# What caniemail calls unsupported and the e-mail uses anyway, each harmless where it is unsupported:
ACCEPTED = {
    # the apps put a <div> in its place; the outer table carries the background, so nothing is lost
    "`<body> element`": {"outlook.ios", "outlook.android", "yahoo.ios", "yahoo.android", "aol.ios", "aol.android"},
    # role="presentation" tells screen readers the tables are layout; a client that drops it loses nothing else
    "`role attribute`": {"outlook.windows-mail"},
    # only the hidden preview text uses these; each client that lacks one hides it by another of
    # display:none, max-height:0 with overflow:hidden, mso-hide:all, 1px text in the background colour
    "`display:none`": {"gmail.mobile-webmail"},
    "`overflow`": {"outlook.windows", "outlook.windows-mail", "outlook.android", "yahoo.android"},
}
UNSUPPORTED = re.compile(r"^(`[^`]+`) is not supported by `([^`]+)`$")


def doiuse(html_path) -> dict:
    """doiuse-email's verdict on one file for CLIENTS: {"success", "errors", "notes"}."""
    node = shutil.which("node")
    if node is None or not DOIUSE.is_file():
        reason = "the e-mail check needs node and the npm package doiuse-email (npm install)"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so it must run)", pytrace=False)
        pytest.skip(reason)
    script = RUN_DOIUSE % json.dumps(DOIUSE.as_uri())
    result = subprocess.run([node, "--input-type=module", "-e", script, str(html_path), json.dumps(CLIENTS)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_email_uses_only_what_caniemail_says_the_clients_support(real_site):
    verdict = doiuse(real_site / EMAIL)
    unexpected = []
    for error in verdict["errors"]:
        found = UNSUPPORTED.match(error)
        if found is None or found.group(2) not in ACCEPTED.get(found.group(1), set()):
            unexpected.append(error)
    assert unexpected == [], "features these clients do not support (see caniemail.com)"
    assert len(verdict["notes"]) > 0  # the check did read the e-mail: it has notes on partial support


def test_the_check_finds_what_outlook_cannot_show(tmp_path):
    """The same check fails a fixed-width e-mail laid out with flexbox and a background image."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><div style="display:flex;background-image:url(x.png)">'
                   "Hello</div></body></html>", encoding="utf-8")
    errors = doiuse(bad)["errors"]
    assert any("`display:flex` is not supported by `outlook.windows`" in e for e in errors), errors


def email_doc(real_site) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((real_site / EMAIL).read_bytes())


def test_the_column_is_fluid_and_outlook_gets_a_600px_table(real_site):
    raw = (real_site / EMAIL).read_text("utf-8")
    doc = email_doc(real_site)
    sheet = doc.xpath("//table[contains(@class, 'sheet')]")[0]
    assert sheet.get("width") == "100%" and "max-width: 600px" in sheet.get("style")
    assert not doc.xpath("//table[@width='600']")  # no fixed table outside Outlook's own comments
    comments = [c.text for c in doc.iter(lxml.etree.Comment)]
    opening = [c for c in comments if c.startswith("[if mso]>") and "<table" in c]
    assert opening and re.search(r'<table[^>]* width="600"', opening[0]), comments
    assert any(c.startswith("[if mso]>") and "</table>" in c for c in comments)
    assert raw.index(opening[0]) < raw.index('class="sheet"')
    assert all(c.strip().startswith("[if") and c.endswith("<![endif]") for c in comments)  # no other comment


def test_the_email_has_preview_text_that_is_hidden(real_site):
    doc = email_doc(real_site)
    body = doc.find("body")
    first = next(element for element in body.iter() if isinstance(element.tag, str) and element is not body)
    assert "preheader" in first.get("class")
    style = first.get("style")
    assert "display: none" in style and "mso-hide: all" in style and "max-height: 0" in style
    assert first.text_content().startswith("This month: Sefton Council hosts the next Local reThink session")


def test_the_unsubscribe_tag_and_email_addresses_are_links(real_site):
    doc = email_doc(real_site)
    links = {a.get("href"): a.text_content() for a in doc.iter("a")}
    assert links.get("*|UNSUB|*") == "*|UNSUB|*"  # the mailing tool puts each reader's own link in both
    assert links.get("mailto:iNetwork@Tameside.gov.uk") == "iNetwork@Tameside.gov.uk"
    intro = [a for a in doc.iter("a") if a.get("href") == "mailto:iNetwork@Tameside.gov.uk"
             and "suggest a topic" in (a.getparent().text_content())]
    assert intro, "the address the issue's own text gives is a link too"
    assert all(a.get("style") for a in doc.iter("a"))  # the new links are styled like the others
    text = doc.text_content()
    assert text.count("iNetwork@Tameside.gov.uk") == sum(a.text_content().count("iNetwork@Tameside.gov.uk")
                                                         for a in doc.iter("a"))  # none left as plain text
