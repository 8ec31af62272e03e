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


# --- 2. Example text from `rethink new` is never published ---

@pytest.mark.parametrize("line, field", [
    ("summary: One or two sentences for lists and link previews.", "summary"),
    ("registration: https://www.eventbrite.co.uk/e/...", "registration"),
    ("speakers: [asha-patel, Jo Bloggs]", "speakers.0"),
    ("chair: asha-patel", "chair"),
    ("access: {step_free: true, contact: someone@example.org}", "access.contact"),
    ("location: {name: The place, city: The town, join: https://...}", "location.name"),
])
def test_each_example_value_left_from_new_is_an_error(make_site, build_site_at, line, field):
    problem = one(problems_of(make_site, build_site_at, {EVENT: event_text(line)}), field=field)
    assert problem.is_error and problem.line == 4 and "example" in problem.message


def test_the_example_body_is_an_error_on_its_line(make_site, build_site_at):
    text = "---\ntitle: About\n---\n\nWrite here.\n"
    problem = one(problems_of(make_site, build_site_at, {"content/pages/about.md": text}), field="body")
    assert problem.is_error and problem.line == 5


def test_a_file_fresh_from_new_with_its_examples_uncommented_fails_field_by_field(runner, make_site, build_site_at):
    from reThink_site.cli import main

    site = make_site({})
    made = runner.invoke(main, ["new", "event", "Sefton", "--site", str(site), "--date", "2015-02-27 10:00"])
    path = site / made.output.strip()
    keep = ("# chair:", "# speakers:", "# registration:", "# summary:", "# access:")
    text = "\n".join(line[2:] if line.startswith(keep) else line for line in path.read_text().split("\n"))
    path.write_text(text + "Write here.\n", encoding="utf-8")
    problems = [p for p in problems_of(make_site, build_site_at, {}) if p.is_error]
    fields = {p.field for p in problems if "example" in p.message}
    assert fields == {"chair", "speakers.0", "speakers.1", "registration", "summary", "access.contact", "body"}


def test_asha_patel_is_no_example_where_people_yaml_has_her(make_site, build_site_at):
    files = {EVENT: event_text("chair: asha-patel"), "content/people.yaml": "asha-patel: {name: Dr Asha Patel}\n"}
    assert not [p for p in problems_of(make_site, build_site_at, files) if p.is_error]


def test_a_draft_may_hold_examples_while_it_is_written(make_site, build_site_at):
    files = {EVENT: event_text("draft: true", "summary: One or two sentences for lists and link previews.")}
    assert not [p for p in problems_of(make_site, build_site_at, files) if p.is_error]


# --- 3. People ---

PEOPLE = "phil-swan:\n  name: Phil Swan\n  url: https://example.org/phil\ngwen-ellis:\n  name: Gwen Ellis\n" \
         "  url: https://example.org/gwen\n"


@pytest.mark.parametrize("line, field", [("chair: phil-swann", "chair"), ("speakers: [gwen-ellis, phil-swa]",
                                                                          "speakers.1"),
                                         ("speakers: [{id: phil-swann}]", "speakers.0.id")])
def test_an_id_one_edit_from_a_people_key_is_an_error(make_site, build_site_at, line, field):
    files = {EVENT: event_text(line), "content/people.yaml": PEOPLE}
    problem = one(problems_of(make_site, build_site_at, files), field=field)
    assert problem.is_error and problem.line == 4 and problem.hint.startswith("did you mean `")


def test_an_id_like_name_not_in_people_yaml_is_a_warning(make_site, build_site_at):
    files = {EVENT: event_text("chair: jo-bloggs"), "content/people.yaml": PEOPLE}
    problem = one(problems_of(make_site, build_site_at, files), field="chair")
    assert problem.severity == "warning" and problem.line == 4


def people_pages(root):
    """The person pages the build made, by folder name."""
    return sorted(p.name for p in (root / "output/people").iterdir() if p.is_dir())


@pytest.mark.parametrize("written", ["chair: Professor Gwen Ellis",
                                     "chair: {name: Professor Gwen Ellis, url: 'https://example.org/gwen'}",
                                     "chair: {name: G. Ellis, url: 'https://example.org/gwen'}"])
def test_the_same_person_inline_and_in_people_yaml_is_one_person(make_site, build_site_at, written):
    files = {EVENT: event_text(written), "content/people.yaml": PEOPLE,
             "content/events/2015-03-27-other.md": "---\ntitle: Other\nstart: 2015-03-27\nchair: gwen-ellis\n"
                                                   "---\nHi.\n"}
    root = make_site(files)
    build_site_at(root)
    assert people_pages(root) == ["gwen-ellis"]


def test_person_urls_are_slugs_and_the_index_reads_by_name(make_site, build_site_at):
    people = "Tom Okafor: {name: Tom Okafor}\nzed: {name: anna Zed}\nbea: {name: Dr Bea Young}\n"
    files = {EVENT: event_text("speakers: [Tom Okafor, zed, bea]"), "content/people.yaml": people}
    root = make_site(files)
    build_site_at(root)
    assert people_pages(root) == ["bea", "tom-okafor", "zed"]
    index = html5lib.parse((root / "output/people/index.html").read_bytes(), namespaceHTMLElements=False)
    links = [a.get("href") for a in index.iter("a") if "/people/" in (a.get("href") or "")
             and a.get("href") != "/people/"]
    assert links == ["/people/zed/", "/people/bea/", "/people/tom-okafor/"]  # Anna, Bea, Tom
    for path in (root / "output").rglob("*.html"):
        assert "/people/Tom Okafor" not in path.read_text(encoding="utf-8")


# --- 6. Warnings for slips that publish something odd ---

def test_end_equal_to_start_is_a_warning(make_site, build_site_at):
    problem = one(problems_of(make_site, build_site_at, {EVENT: event_text("end: 2015-02-27 10:00")}), field="end")
    assert problem.severity == "warning" and problem.line == 4


def test_a_summary_dated_before_its_event_is_a_warning(make_site, build_site_at):
    files = {EVENT: event_text(),
             "content/summaries/2015-02-01-heard.md": "---\ntitle: Heard\ndate: 2015-02-01\n"
                                                      "event: 2015-02-27-sefton\n---\nWhat we heard.\n"}
    problem = one(problems_of(make_site, build_site_at, files), path="content/summaries/2015-02-01-heard.md")
    assert problem.severity == "warning" and problem.field == "date" and problem.line == 3


def test_an_empty_body_is_a_warning(make_site, build_site_at):
    problem = one(problems_of(make_site, build_site_at, {"content/pages/about.md": "---\ntitle: About\n---\n\n"}),
                  field="body")
    assert problem.severity == "warning" and problem.line == 3


def test_a_raw_img_without_alt_is_a_warning_on_its_line(make_site, build_site_at):
    body = "Intro.\n\n<img src=\"/assets/x.svg\" alt=\"A map\">\n\n<img src=\"/assets/x.svg\">\n"
    files = {"content/pages/about.md": f"---\ntitle: About\n---\n{body}",
             "content/assets/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}
    problem = one(problems_of(make_site, build_site_at, files), field="body")
    assert problem.severity == "warning" and problem.line == 8 and "alt" in problem.message
