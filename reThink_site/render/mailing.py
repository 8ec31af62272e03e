"""An issue's three renderings besides its web page: e-mail HTML (inlined, inert) and plain text."""

from __future__ import annotations

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
    inliner = css_inline.CSSInliner(keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False)
    document = lxml.html.document_fromstring(inliner.inline(raw))
    for part in list(document):  # the head keeps the theme's charset and viewport; content is in the body
        strip_active(part, keep=("meta",) if part.tag == "head" else ())
    document.make_links_absolute(page, resolve_base_href=False)
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
