"""Nothing an editor types is silently lost (issue 15): each mistake is reported with file, line, field and
a message in an editor's words, never in Python's."""

from __future__ import annotations

import re

import html5lib
import pytest

from reThink_site.core.errors import ContentErrors
from tests.helpers import MINIMAL_SITE_YAML

PYTHON_WORDS = re.compile(r"\b(tuple|dict|dictionary|instance|int|str|float|bool|NoneType|None|pydantic|list_type|"
                          r"model_type|ValidationError|Traceback|unable to interpret|valid_)\b")
EVENT = "content/events/2015-02-27-sefton.md"


def event_text(*lines: str) -> str:
    """An event file holding a title, a start and the given front-matter lines (line 4 on)."""
    return "\n".join(["---", "title: Sefton", "start: 2015-02-27 10:00", *lines, "---", "Body text.", ""])


def problems_of(make_site, build_site_at, files, site_yaml=MINIMAL_SITE_YAML):
    """Every problem the build reports, failing or not; output/ is never written when it fails."""
    root = make_site(files, site_yaml=site_yaml)
    try:
        report = build_site_at(root)
    except ContentErrors as err:
        assert not (root / "output").exists()
        return list(err.problems)
    return list(report.warnings)


def one(problems, **expected):
    """The single problem with these attributes; its message and hint speak no Python."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert len(found) == 1, f"{len(found)} problems match {expected}: {[p.format() for p in problems]}"
    assert not PYTHON_WORDS.search(found[0].message + " " + found[0].hint), found[0].format()
    return found[0]


@pytest.mark.parametrize("written, meant", [
    ("register: https://www.eventbrite.co.uk/e/sefton-123", "registration"),
    ("venue: Bootle Town Hall", "location"),
    ("speaker: Phil Swan", "speakers"),
    ("finish: 2015-02-27 12:00", "end"),
    ("speakrs: [Phil Swan]", "speakers"),
    ("chatam_house: true", "chatham_house"),
    ("Chatham House: true", "chatham_house"),
])
def test_other_words_and_near_misses_of_a_field_are_errors_naming_the_field(make_site, build_site_at, written, meant):
    key = written.split(":")[0]
    problem = one(problems_of(make_site, build_site_at, {EVENT: event_text(written)}), field=key)
    assert problem.is_error and problem.path == EVENT and problem.line == 4
    assert problem.hint == f"did you mean `{meant}`?"


def test_another_word_for_start_on_an_event_without_start_is_one_error(make_site, build_site_at):
    text = "---\ntitle: Sefton\nwhen: 2015-02-27 10:00\n---\n"
    problems = problems_of(make_site, build_site_at, {EVENT: text})
    assert [(p.field, p.line) for p in problems if p.is_error] == [("when", 3)]
    assert "`start` is missing" in one(problems, field="when").message


def test_any_other_unknown_field_is_a_warning_naming_the_closest_field(make_site, build_site_at):
    problem = one(problems_of(make_site, build_site_at, {EVENT: event_text("speaker_notes: Bring slides")}),
                  field="speaker_notes")
    assert problem.severity == "warning" and problem.line == 4 and "`speakers`" in problem.hint


def test_fields_declared_in_site_yaml_reach_the_templates_without_a_warning(make_site, build_site_at):
    files = {"content/pages/about.md": "---\ntitle: About\nsponsor: Tameside Council\n---\nText.\n",
             "templates/page.html": "<!doctype html><title>{{ entry.title }}</title><p id=s>{{ entry.sponsor }}</p>"}
    root = make_site(files, site_yaml=MINIMAL_SITE_YAML + "extra_fields: [sponsor]\n")
    report = build_site_at(root)
    assert not [w for w in report.warnings if w.field == "sponsor"]
    page = html5lib.parse((root / "output/about/index.html").read_bytes(), namespaceHTMLElements=False)
    assert page.find(".//p").text == "Tameside Council"
