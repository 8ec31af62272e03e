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


# --- 4. Messages in editors' words, everywhere ---

MISTAKES = [  # (front matter lines from line 2, field, line, words the message or hint must hold)
    ("title: Sefton\nstart: 2015-02-27 10:00\nend: 12:00", "end", 4, "12:00 without a date"),
    ("title: Sefton\nstart: 2015-02-30", "start", 3, "30 February 2015 does not exist"),
    ("title: Sefton\nstart: '2015-02-30'", "start", 3, "February 2015 has 28 days"),
    ("title: Sefton\nstart: 2015-02-27\nlocation:\n\tname: Bootle", "name", 5, "tab"),
    ("title: “Local reThink: Sefton”\nstart: 2015-02-27", "title", 2, "curly quotes"),
    ("title: Sefton\nstart: 2015-02-27\nspeakers: 3", "speakers", 4, "expected a list"),
    ("title: Sefton\nstart: 2015-02-27\nimage: /assets/x.png", "image", 4, "fields on indented lines"),
    ("title: Sefton\nstart: 2015-02-27\nchatham_house: perhaps", "chatham_house", 4, "true or false"),
    ("title: Sefton\nstart: 2015-02-27\nplaces: lots", "places", 4, "whole number"),
    ("title: Sefton\nstart: 2015-02-27\nlocation: {name: Bootle, cty: Sefton}", "location.cty", 4,
     "did you mean `city`?"),
    ("title: Sefton\nstart: [2015-02-27]", "start", 3, "a list of 1 item"),
]


@pytest.mark.parametrize("front, field, line, words", MISTAKES, ids=[m[1] + ":" + m[3][:20] for m in MISTAKES])
def test_each_mistake_is_reported_in_editors_words(make_site, build_site_at, front, field, line, words):
    problem = one(problems_of(make_site, build_site_at, {EVENT: f"---\n{front}\n---\nText.\n"}), field=field)
    assert problem.is_error and problem.path == EVENT and problem.line == line
    assert words in problem.message + " " + problem.hint


def test_a_featured_list_written_as_one_string_says_list(make_site, build_site_at):
    text = "---\ntitle: Feb\ndate: 2015-02-02\nfeatured: insights/what-we-heard\n---\nHello.\n"
    problem = one(problems_of(make_site, build_site_at, {"content/newsletters/2015-02-02-feb.md": text}),
                  field="featured")
    assert problem.line == 4 and "expected a list" in problem.message


def test_a_title_in_curly_quotes_is_a_warning(make_site, build_site_at):
    problem = one(problems_of(make_site, build_site_at, {EVENT: "---\ntitle: “Sefton”\nstart: 2015-02-27\n---\nHi.\n"}),
                  field="title")
    assert problem.severity == "warning" and problem.line == 2 and "curly quotes" in problem.message


def test_the_colon_hint_inside_curly_quotes_says_type_straight_quotes(make_site, build_site_at):
    problem = one(problems_of(make_site, build_site_at, {EVENT: "---\ntitle: “Sefton: a day”\n---\n"}),
                  field="title")
    assert "straight quotes" in problem.hint and "curly" in problem.message


def test_an_event_in_the_wrong_folder_says_so(make_site, build_site_at):
    path = "content/insights/2015-02-27-sefton.md"
    problems = problems_of(make_site, build_site_at, {path: "---\ntitle: Sefton\nstart: 2015-02-27 10:00\n---\nHi.\n"})
    problem = one(problems, field="date", path=path)
    assert problem.line == 3 and "content/events/" in problem.hint
    assert "events" in one(problems, field="start").message


@pytest.mark.parametrize("raw", [
    "\ufeff---\ntitle: Sefton\nstart: 2015-02-27\n---\nHi.\n".encode("utf-16"),     # with a byte-order mark
    "---\ntitle: Sefton\nstart: 2015-02-27\n---\nHi.\n".encode("utf-16-le"),         # without
    "---\ntitle: Sefton\nstart: 2015-02-27\n---\nHi.\n".encode("utf-16-be"),
])
def test_a_file_saved_as_utf16_says_so(make_site, build_site_at, raw):
    problem = one(problems_of(make_site, build_site_at, {EVENT: raw}), path=EVENT)
    assert problem.line == 1 and "UTF-16" in problem.message and "UTF-8" in problem.hint


def test_site_yaml_and_people_yaml_say_did_you_mean(make_site, build_site_at):
    site_yaml = MINIMAL_SITE_YAML + "feed:\n  itmes: 10\n"
    problem = one(problems_of(make_site, build_site_at, {}, site_yaml=site_yaml), field="feed.itmes")
    assert problem.path == "site.yaml" and problem.line == 5 and problem.hint == "did you mean `items`?"
    people = "phil-swan:\n  name: Phil Swan\n  orgnisation: iNetwork\n"
    problem = one(problems_of(make_site, build_site_at, {"content/people.yaml": people}), field="orgnisation")
    assert problem.path == "content/people.yaml" and problem.line == 3
    assert problem.hint == "did you mean `organisation`?"


def test_a_people_entry_written_as_a_list_speaks_no_python(make_site, build_site_at):
    problem = one(problems_of(make_site, build_site_at, {"content/people.yaml": "phil-swan: [Phil Swan]\n"}),
                  field="phil-swan")
    assert problem.line == 1 and "a list" in problem.message


def test_a_time_of_day_in_site_yaml_is_still_a_length(make_site, build_site_at):
    root = make_site({EVENT: event_text()}, site_yaml=MINIMAL_SITE_YAML + "events:\n  default_duration: 1:30\n")
    build_site_at(root)
    assert "DTEND" in (root / "output/events/2015-02-27-sefton/event.ics").read_text()


BAD_VALUES = ["[a, b]", "{a: 1}", "3", "true", "''", "2015-02-30", "12:00", "not a date", "[[1]]", "-1", "1e999",
              "'2015-13-01 10:00'"]
FIELDS = ["title", "start", "end", "location", "speakers", "chair", "registration", "tags", "image", "resources",
          "chatham_house", "status", "places", "booking", "access", "series", "aliases", "timezone", "updated"]


def test_no_message_speaks_python_for_any_wrong_value_of_any_field(make_site, build_site_at):
    files = {}
    for i, field in enumerate(FIELDS):
        for j, value in enumerate(BAD_VALUES):
            head = [] if field == "title" else ["title: x"]
            head += [] if field == "start" else ["start: 2015-02-27 10:00"]
            files[f"content/events/2015-02-{i:02d}-{j:02d}.md"] = "\n".join(["---", *head, f"{field}: {value}",
                                                                             "---", "Hi.", ""])
    problems = problems_of(make_site, build_site_at, files)
    assert len(problems) > 100
    for problem in problems:
        assert not PYTHON_WORDS.search(problem.message + " " + problem.hint), problem.format()
        assert problem.line >= 1 and problem.path


# --- 5. Links copied from the address bar, with the site's base path ---

def test_a_link_with_the_base_path_resolves_like_a_site_path_and_check_notes_it(runner, make_site, build_site_at):
    from reThink_site.cli import main

    site_yaml = "title: T\nbase_url: https://example.org/local-rethink/\n"
    body = "Intro.\n\nSee [about us](/local-rethink/about/) and [the events](/local-rethink/events/).\n"
    files = {"content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
             "content/pages/more.md": f"---\ntitle: More\n---\n{body}"}
    root = make_site(files, site_yaml=site_yaml)
    report = build_site_at(root)
    notes = [p for p in report.warnings if p.severity == "note"]
    assert [(n.path, n.line, n.field) for n in notes] == [("content/pages/more.md", 6, "body")] * 2
    assert "/about/" in notes[0].message and "base path" in notes[0].message
    page = html5lib.parse((root / "output/more/index.html").read_bytes(), namespaceHTMLElements=False)
    hrefs = [a.get("href") for a in page.iter("a")]
    assert "/local-rethink/about/" in hrefs and not [h for h in hrefs if "local-rethink/local-rethink" in (h or "")]
    checked = runner.invoke(main, ["check", "--site", str(root), "--strict"])
    assert checked.exit_code == 0, checked.output  # a note is for information: even --strict passes
    assert "content/pages/more.md:6: note: body:" in checked.output
