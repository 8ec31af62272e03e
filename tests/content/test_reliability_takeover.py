"""No content takes over another page: person pages come from slugs, and every output path has one owner."""

from __future__ import annotations

import pytest

from reThink_site.core.errors import ContentErrors
from tests.helpers import tree

ABOUT = {"content/pages/about.md": "---\ntitle: About us\n---\nWho we are.\n"}
EVENT = "---\ntitle: Session\nstart: 2014-06-20 10:00\n{extra}\n---\nBody text.\n"


def built(make_site, build_site_at, files: dict[str, str]) -> dict[str, bytes]:
    root = make_site(files)
    build_site_at(root, cache=False)
    return tree(root / "output")


def refused(make_site, build_site_at, files: dict[str, str]):
    root = make_site(files)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root, cache=False)
    assert not (root / "output").exists(), "a refused build writes nothing"
    return [p for p in caught.value.problems if p.is_error]


@pytest.mark.parametrize("key, page", [
    ("../about", "people/about/index.html"),          # used to replace the About page
    ("../index.html", "people/index-html/index.html"),  # used to remove the home page
    ("Tom Okafor", "people/tom-okafor/index.html"),   # used to give /people/Tom Okafor/
    ("../../../../tmp/x", "people/tmp-x/index.html"),
])
def test_a_people_key_always_gives_a_slug_page_under_people(make_site, build_site_at, key, page):
    files = {**ABOUT, "content/people.yaml": f'"{key}":\n  name: Pat Example\n',
             "content/events/2014-06-20-x.md": EVENT.format(extra=f'chair: "{key}"')}
    output = built(make_site, build_site_at, files)
    assert page in output and b"Pat Example" in output[page]
    assert b"Who we are." in output["about/index.html"], "the About page is still the About page"
    assert b"Session" in output["index.html"] or b"<html" in output["index.html"]
    people = [p for p in output if p.startswith("people/") and p != "people/index.html"]
    assert people == [page]
    assert not any(" " in p or ".." in p for p in output)


def test_a_person_mapping_id_gives_a_slug_page(make_site, build_site_at):
    files = {"content/events/2014-06-20-x.md": EVENT.format(extra="chair: {name: Pat Example, id: ../events}")}
    output = built(make_site, build_site_at, files)
    assert b"Pat Example" in output["people/events/index.html"]
    assert b"Pat Example" not in output["events/index.html"].split(b"<main", 1)[-1].split(b"Session")[0]


@pytest.mark.parametrize("key", ["???", "..", "日本"])
def test_a_people_key_that_gives_no_slug_names_people_yaml_and_the_key(make_site, build_site_at, key):
    files = {"content/people.yaml": f"ada:\n  name: Ada\n'{key}':\n  name: Pat Example\n"}
    problems = refused(make_site, build_site_at, files)
    assert [(p.path, p.line, p.field) for p in problems] == [("content/people.yaml", 3, key)]
    assert "/people/" in problems[0].message


def test_two_people_keys_with_one_page_are_an_error_naming_both(make_site, build_site_at):
    files = {"content/people.yaml": "Tom Okafor:\n  name: Tom\ntom-okafor:\n  name: Another Tom\n"}
    problem, = refused(make_site, build_site_at, files)
    assert (problem.path, problem.line, problem.field) == ("content/people.yaml", 3, "tom-okafor")
    assert "'Tom Okafor'" in problem.message and "line 1" in problem.message


def test_an_inline_person_id_that_gives_no_slug_is_a_field_error(make_site, build_site_at):
    files = {"content/events/2014-06-20-x.md": EVENT.format(extra="speakers:\n  - {name: Pat, id: '../'}")}
    problem, = refused(make_site, build_site_at, files)
    assert (problem.path, problem.line, problem.field) == ("content/events/2014-06-20-x.md", 5, "speakers.0.id")


@pytest.mark.parametrize("slug, url", [("calendar", "/events/calendar/")])
def test_an_event_may_not_take_the_calendar_page(make_site, build_site_at, slug, url):
    files = {"content/events/2014-06-20-x.md": EVENT.format(extra=f"slug: {slug}")}
    problem, = refused(make_site, build_site_at, files)
    assert (problem.path, problem.line, problem.field) == ("content/events/2014-06-20-x.md", 4, "slug")
    assert url in problem.message and repr(slug) in problem.message


def test_every_output_path_is_checked_against_every_other():
    """The check is over all files, not only content URLs: two generated files at one path are an error too."""
    from reThink_site.checks import output_collisions
    from reThink_site.core.outputs import OutputFile

    files = [OutputFile("events/calendar/index.html", b"a"), OutputFile("events/calendar/index.html", b"b"),
             OutputFile("people/../about/index.html", b"c"), OutputFile("about/index.html", b"d")]
    problems = output_collisions([], files)
    assert sorted(p.field for p in problems) == ["events/calendar/index.html", "people/../about/index.html"]
    assert all(p.is_error for p in problems)


def test_two_issues_at_one_url_are_one_error_not_one_per_file_beside_them(make_site, build_site_at):
    """Found by the fuzzer: each issue's email.html and email.txt were reported again, as nameless outputs."""
    issue = "---\ntitle: Issue\ndate: 2014-06-01\nslug: june\n---\nHello.\n"
    files = {"content/newsletters/2014-06-01-a.md": issue, "content/newsletters/2014-06-02-b.md": issue}
    problem, = refused(make_site, build_site_at, files)
    assert problem.path.startswith("content/newsletters/") and "/newsletter/june/" in problem.message
