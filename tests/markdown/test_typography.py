"""Smart punctuation in bodies: curly quotes, dashes and ellipses, never inside code."""

from __future__ import annotations

import html5lib
import pytest

from reThink_site.markdown.base import LinkContext
from reThink_site.markdown.bodies import make_renderer


@pytest.fixture(params=["commonmark", "python-markdown"])
def render(request):
    """Both engines follow the same punctuation rules."""
    renderer = make_renderer(request.param)
    return lambda body: renderer.render(body, LinkContext("", {}, "/")).html


@pytest.mark.parametrize("source, expected", [
    ('He said "yes".', "He said \u201cyes\u201d."),
    ("It's the councils' plan.", "It\u2019s the councils\u2019 plan."),
    ("'Single' quotes", "\u2018Single\u2019 quotes"),
    ("back in the '90s", "back in the \u201990s"),
    ("2014--2015 and then---well...", "2014\u20132015 and then\u2014well\u2026"),
])
def test_punctuation_is_made_typographic(render, source, expected):
    assert expected in render(source)


def test_quotes_after_inline_markup_close(render):
    assert "<em>\u201cwith\u201d</em> \u201cthem\u201d" in render('*"with"* "them"')


def test_code_keeps_straight_quotes(render):
    out = render('Use `"quoted"` and\n\n```\nx = "a" -- b\n```\n')
    tree = html5lib.parse(out, treebuilder="etree", namespaceHTMLElements=False)
    assert [c.text for c in tree.iter("code")][0] == '"quoted"'
    assert 'x = "a" -- b' in [c.text for c in tree.iter("code")][1]


def test_attributes_of_raw_html_are_untouched(render):
    assert "title=\"a 'b'\"" in render("<span title=\"a 'b'\">x</span>")
