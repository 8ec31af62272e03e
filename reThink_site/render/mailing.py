"""An issue's three renderings besides its web page: e-mail HTML (inlined, inert) and plain text."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import css_inline
import jinja2
import lxml.html
from markupsafe import Markup

from reThink_site.content.index import Entry, Site
from reThink_site.content.issue import Issue, all_issues, build_issue
from reThink_site.core import urls
from reThink_site.core.outputs import OutputFile
from reThink_site.render.htmltools import safe_for_email, strip_active
from reThink_site.render.plaintext import html_to_text, wrap
from reThink_site.render.templates import render

# Mailchimp's merge tags that stand for a link (the mailing tool puts the subscriber's own address there)
LINK_TAG = re.compile(r"\*\|(?:UNSUB|UPDATE_PROFILE|ARCHIVE|FORWARD)\|\*")
EMAIL_ADDRESS = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
LINKABLE = re.compile(f"{LINK_TAG.pattern}|{EMAIL_ADDRESS.pattern}")
# Outlook for Windows' conditional comments, which the template writes itself (bodies lose every comment)
MSO_COMMENT = re.compile(r"\[if !?\(?(?:(?:gte|gt|lte|lt) )?mso(?: \d+)?\)?\]>.*<!\[endif\]", re.S)
NO_LINKS_INSIDE = ("a", "head", "title", "style", "script", "code", "pre")


def is_mso_comment(text: str) -> bool:
    """True for the template's `<!--[if mso]>…<![endif]-->` blocks (layout for Outlook, nothing that runs)."""
    return bool(MSO_COMMENT.fullmatch(text)) and not re.search(r"<script|javascript:|\son\w+\s*=", text, re.I)


def link_text(parent: lxml.html.HtmlElement, text: str) -> tuple[str, list[lxml.html.HtmlElement]]:
    """Text before the first address or link tag, and the <a> elements (with tails) for the rest."""
    pieces = LINKABLE.split(text)
    found = LINKABLE.findall(text)
    links = []
    for target, tail in zip(found, pieces[1:]):
        link = lxml.html.Element("a", href=target if LINK_TAG.fullmatch(target) else "mailto:" + target)
        link.text, link.tail = target, tail
        links.append(link)
    return pieces[0], links


def link_addresses(root: lxml.html.HtmlElement) -> None:
    """Every e-mail address and link merge tag in running text becomes a link (many clients link neither)."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in NO_LINKS_INSIDE \
                or any(a.tag in NO_LINKS_INSIDE for a in element.iterancestors()) \
                or "preheader" in (element.get("class") or ""):
            continue
        if element.text and LINKABLE.search(element.text):
            element.text, links = link_text(element, element.text)
            for position, link in enumerate(links):
                element.insert(position, link)
        for child in list(element):
            if not child.tail or not LINKABLE.search(child.tail):
                continue
            child.tail, links = link_text(element, child.tail)
            for offset, link in enumerate(links, start=1):
                element.insert(element.index(child) + offset, link)


def sections_html(env: jinja2.Environment, issue: Issue) -> str:
    """The build-filled sections as web HTML (for the issue page and the newsletter feed)."""
    return render(env, "_newsletter_sections.html", issue=issue).decode("utf-8")


def issue_html(env: jinja2.Environment, site: Site, entry: Entry) -> str:
    """An issue's whole web HTML, its intro and the build-filled sections: the newsletter feed's content."""
    return entry.html + sections_html(env, build_issue(site, entry))


def email_html(env: jinja2.Environment, site: Site, issue: Issue) -> bytes:
    """Table layout, every style inlined, absolute URLs, nothing that runs, whatever the body holds."""
    page = urls.absolute(site.config.base_url, issue.entry.url)
    intro = Markup(safe_for_email(issue.entry.html, page))
    raw = render(env, "email.html", issue=issue, intro=intro, page_url=issue.entry.url).decode("utf-8")
    linked = lxml.html.document_fromstring(raw)
    link_addresses(linked)  # before inlining, so the new links get the theme's link style too
    inliner = css_inline.CSSInliner(keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False)
    document = lxml.html.document_fromstring(inliner.inline(lxml.html.tostring(linked, encoding="unicode")))
    for part in list(document):  # the head keeps the theme's charset and viewport; content is in the body
        strip_active(part, keep=("meta",) if part.tag == "head" else (), keep_comment=is_mso_comment)
    # absolute links, except the mailing tool's merge tags, which it replaces with each reader's own address
    document.rewrite_links(lambda link: link if LINK_TAG.fullmatch(link.strip()) else urljoin(page, link.strip()),
                           resolve_base_href=False)
    return b"<!DOCTYPE html>\n" + lxml.html.tostring(document, encoding="utf-8", method="html") + b"\n"


def email_text(env: jinja2.Environment, site: Site, issue: Issue) -> bytes:
    """The issue through its own text template, wrapped at 72 columns (URL-only lines excepted)."""
    page = urls.absolute(site.config.base_url, issue.entry.url)
    intro = html_to_text(safe_for_email(issue.entry.html, page))
    text = render(env, "email.txt", issue=issue, intro=intro, page_url=issue.entry.url).decode("utf-8")
    return (wrap(text.strip("\n")).rstrip("\n") + "\n").encode("utf-8")  # ends in exactly one newline


def outputs(env: jinja2.Environment, site: Site) -> list[OutputFile]:
    """`email.html` and `email.txt` beside each issue's page."""
    files = []
    for issue in all_issues(site):
        folder = urls.output_path(issue.entry.url).removesuffix("index.html")
        files.append(OutputFile(folder + "email.html", email_html(env, site, issue)))
        files.append(OutputFile(folder + "email.txt", email_text(env, site, issue)))
    return files
