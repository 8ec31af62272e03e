"""Every error of the contract names its file, line and field, and leaves output/ untouched."""

from __future__ import annotations

import pytest

from reThink_site.core.errors import ContentErrors
from tests.helpers import PINNED_NOW

EVENT = """\
---
title: Using Public Assets
start: 2014-06-20 10:00
end: 2014-06-20 12:00
{extra}
---
Body text.
"""


def errors_for(make_site, build_site_at, files, **kwargs):
    """Build and return the problems the build refused with."""
    root = make_site(files)
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root, **kwargs)
    assert not (root / "output").exists(), "a failed build must not create or change output/"
    return [p for p in caught.value.problems if p.is_error]


def only(problems, **expected):
    """The single problem matching the expected attributes: none, or more than one, fails."""
    found = [p for p in problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert len(found) == 1, (f"{len(found)} problems match {expected}, expected exactly one; "
                             f"all problems: {[p.format() for p in problems]}")
    return found[0]


def test_missing_title_is_reported_at_line_one(make_site, build_site_at):
    problems = errors_for(make_site, build_site_at, {"content/events/2014-06-20-x.md": "---\nstart: 2014-06-20\n---\n"})
    problem = only(problems, field="title")
    assert problem.path == "content/events/2014-06-20-x.md" and problem.line == 1
    assert "required" in problem.message


def test_wrong_type_names_line_expected_and_found(make_site, build_site_at):
    text = EVENT.format(extra="chatham_house: perhaps")
    problem = only(errors_for(make_site, build_site_at, {"content/events/2014-06-20-x.md": text}),
                   field="chatham_house")
    assert problem.line == 5
    assert "expected" in problem.message and "'perhaps'" in problem.message


def test_typo_of_required_field_gets_a_hint(make_site, build_site_at):
    text = "---\ntitle: Sefton\nstrat: 2015-02-27\n---\n"
    problems = errors_for(make_site, build_site_at, {"content/events/2015-02-27-s.md": text})
    problem = only(problems, field="strat")  # one error, on the misspelt line: never "start: … did you mean start"
    assert problem.hint == "did you mean `start`?" and problem.line == 3
    assert "`start` is missing" in problem.message and len(problems) == 1


def test_bad_yaml_reports_its_line(make_site, build_site_at):
    text = "---\ntitle: Local reThink: Sefton\nstart: 2015-02-27\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/events/2015-02-27-s.md": text}))
    assert problem.line == 2 and "YAML" in problem.message


def test_unclosed_front_matter_is_an_error(make_site, build_site_at):
    problem = only(errors_for(make_site, build_site_at,
                              {"content/insights/2014-01-01-x.md": "---\ntitle: x\ndate: 2014-01-01\n\nBody\n"}))
    assert "not closed" in problem.message


def test_file_that_is_not_utf8_names_the_line(make_site, build_site_at):
    raw = "---\ntitle: ok\ndate: 2014-01-01\n---\nline five\n".encode() + b"caf\xe9\n"
    problem = only(errors_for(make_site, build_site_at, {"content/insights/2014-01-01-x.md": raw}))
    assert problem.line == 6 and "UTF-8" in problem.message


def test_two_files_at_one_url_name_both(make_site, build_site_at):
    files = {"content/insights/2014-01-01-same.md": "---\ntitle: a\ndate: 2014-01-01\n---\n",
             "content/insights/2014-02-01-same.md": "---\ntitle: b\ndate: 2014-02-01\n---\n"}
    problem = only(errors_for(make_site, build_site_at, files), field="slug")
    assert "2014-01-01-same.md" in problem.message and "2014-02-01-same.md" in problem.message


def test_bad_slug_field_is_refused(make_site, build_site_at):
    text = "---\ntitle: a\ndate: 2014-01-01\nslug: ../../etc\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/insights/2014-01-01-a.md": text}), field="slug")
    assert problem.line == 4


def test_page_may_not_take_a_section_slug(make_site, build_site_at):
    problem = only(errors_for(make_site, build_site_at, {"content/pages/events.md": "---\ntitle: Events\n---\n"}),
                   field="slug")
    assert "events" in problem.message


def test_summary_event_must_exist(make_site, build_site_at):
    text = "---\ntitle: What we heard\ndate: 2015-03-02\nevent: no-such-event\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/summaries/2015-03-02-heard.md": text}),
                   field="event")
    assert problem.line == 4


def test_newsletter_featured_must_exist(make_site, build_site_at):
    text = "---\ntitle: Feb\ndate: 2015-02-02\nfeatured:\n  - insights/nothing-here\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/newsletters/2015-02-02-feb.md": text}),
                   field="featured[0]")
    assert problem.line == 5


def test_link_to_missing_content_file_is_an_error(make_site, build_site_at):
    text = "---\ntitle: a\ndate: 2014-01-01\n---\nIntro.\n\nSee [the event](../events/2014-06-20-gone.md).\n"
    problem = only(errors_for(make_site, build_site_at, {"content/insights/2014-01-01-a.md": text}), field="body")
    assert problem.line == 7 and "2014-06-20-gone.md" in problem.message


def test_link_to_missing_asset_is_an_error(make_site, build_site_at):
    text = "---\ntitle: a\ndate: 2014-01-01\n---\n[slides](/assets/slides/none.pdf)\n"
    problem = only(errors_for(make_site, build_site_at, {"content/insights/2014-01-01-a.md": text}), field="body")
    assert "/assets/slides/none.pdf" in problem.message and problem.line == 5


def test_resource_site_path_must_exist(make_site, build_site_at):
    text = EVENT.format(extra="resources:\n  - title: Slides\n    url: /assets/missing.pdf")
    problem = only(errors_for(make_site, build_site_at, {"content/events/2014-06-20-x.md": text}),
                   field="resources.0.url")
    assert problem.line == 7


@pytest.mark.parametrize("when, word", [("2014-03-30 01:30", "does not exist"),
                                        ("2014-10-26 01:30", "happens twice")])
def test_dst_gap_and_overlap_are_errors(make_site, build_site_at, when, word):
    text = f"---\ntitle: a\nstart: {when}\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/events/2014-03-30-a.md": text}), field="start")
    assert word in problem.message and problem.line == 3


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://x.org/a"])
def test_unsafe_url_schemes_are_refused(make_site, build_site_at, url):
    text = EVENT.format(extra=f"registration: '{url}'")
    problem = only(errors_for(make_site, build_site_at, {"content/events/2014-06-20-x.md": text}),
                   field="registration")
    assert problem.line == 5


def test_end_before_start_is_an_error(make_site, build_site_at):
    text = "---\ntitle: a\nstart: 2014-06-20\nend: 2014-06-19\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/events/2014-06-20-a.md": text}), field="end")
    assert "not before start" in problem.message


def test_all_problems_in_all_files_are_reported_together(make_site, build_site_at):
    files = {"content/events/2014-06-20-a.md": "---\nstart: 2014-06-20\n---\n",
             "content/insights/2014-01-01-b.md": "---\ntitle: b\n---\n",
             "content/summaries/2014-01-01-c.md": "---\ntitle: c\ndate: not a date\n---\n"}
    problems = errors_for(make_site, build_site_at, files)
    assert {p.path for p in problems} == set(files)


def test_failed_build_leaves_previous_output_exactly(make_site, build_site_at):
    root = make_site({"content/insights/2014-01-01-a.md": "---\ntitle: fine\ndate: 2014-01-01\n---\nHello.\n"})
    build_site_at(root)
    before = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    (root / "content/insights/2014-01-01-a.md").write_text("---\ntitle: [broken\n---\n")
    with pytest.raises(ContentErrors):
        build_site_at(root)
    after = {p.relative_to(root / "output"): p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert after == before


def test_likely_typo_is_an_error_naming_the_field(make_site, build_site_at):
    problems = errors_for(make_site, build_site_at,
                          {"content/insights/2014-01-01-a.md": "---\ntitle: a\ndate: 2014-01-01\ntgas: [x]\n---\n"})
    problem = only(problems, field="tgas")  # the tags would be lost without a word (issue 15)
    assert problem.hint == "did you mean `tags`?" and problem.line == 4


def test_likely_typo_beside_the_right_field_is_a_warning(make_site, build_site_at):
    root = make_site({"content/insights/2014-01-01-a.md": "---\ntitle: a\ndate: 2014-01-01\ntags: [y]\n"
                                                         "tgas: [x]\n---\n"})
    warning = only(list(build_site_at(root).warnings), field="tgas")
    assert warning.hint == "did you mean `tags`?" and warning.line == 5 and "line 4" in warning.message


def test_alias_may_not_replace_a_generated_page(make_site, build_site_at):
    text = "---\ntitle: a\ndate: 2014-01-01\naliases:\n  - /old/\n  - /events/\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/insights/2014-01-01-a.md": text}),
                   field="aliases[1]")
    assert problem.line == 6 and "/events/" in problem.message


def test_misspelt_site_setting_is_a_warning_with_its_line(make_site, build_site_at):
    root = make_site({}, site_yaml="title: T\nbase_url: https://example.org/\ntimezon: Europe/Paris\n")
    report = build_site_at(root)
    warning = only(list(report.warnings), field="timezon")
    assert warning.path == "site.yaml" and warning.line == 3 and warning.hint == "did you mean `timezone`?"


def test_impossible_date_names_its_field_and_line(make_site, build_site_at):
    problem = only(errors_for(make_site, build_site_at,
                              {"content/events/2015-02-27-s.md": "---\ntitle: Sefton\nstart: 2015-02-30\n---\n"}))
    assert problem.field == "start" and problem.line == 3


def test_missing_nested_field_is_reported_on_its_mappings_line(make_site, build_site_at):
    text = "---\ntitle: a\nstart: 2014-06-20\nimage:\n  src: /assets/x.png\n---\n"
    problem = only(errors_for(make_site, build_site_at, {"content/events/2014-06-20-a.md": text}),
                   field="image.alt")
    assert problem.line == 4


def test_image_without_alt_warning_names_the_path_as_written(make_site, build_site_at):
    root = make_site({"content/insights/2014-01-01-a.md": "---\ntitle: a\ndate: 2014-01-01\n---\n![](/assets/x.svg)\n",
                      "content/assets/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"},
                     site_yaml="title: T\nbase_url: https://example.org/sub/\n")
    report = build_site_at(root)
    warning = only(list(report.warnings), field="body")
    assert "/assets/x.svg" in warning.message and "/sub/assets" not in warning.message and warning.line == 5


def test_one_broken_file_does_not_cause_errors_in_the_files_that_refer_to_it(make_site, build_site_at):
    files = {
        "content/events/2015-02-27-sefton.md": "---\ntitle: Sefton\nstart: 2015-02-30\n---\n",
        "content/summaries/2015-03-02-heard.md": "---\ntitle: Heard\ndate: 2015-03-02\n"
                                                 "event: 2015-02-27-sefton\n---\n"
                                                 "From [the session](../events/2015-02-27-sefton.md) and "
                                                 "[its page](/events/2015-02-27-sefton/).\n",
        "content/newsletters/2015-02-02-feb.md": "---\ntitle: Feb\ndate: 2015-02-02\n"
                                                 "featured: [events/2015-02-27-sefton]\n---\nHello.\n",
    }
    problems = errors_for(make_site, build_site_at, files, now=PINNED_NOW)
    assert [p.path for p in problems] == ["content/events/2015-02-27-sefton.md"]


def test_script_warning_points_at_the_scripts_line(make_site, build_site_at):
    body = "Intro.\n\nMore text.\n\n<script>alert(1)</script>\n"
    root = make_site({"content/insights/2014-01-01-a.md": f"---\ntitle: a\ndate: 2014-01-01\n---\n{body}"})
    warning = only(list(build_site_at(root).warnings), field="body")
    assert "script" in warning.message and warning.line == 9


def test_a_front_matter_error_does_not_hide_the_bodys_problems(make_site, build_site_at):
    text = ("---\ntitle: a\nstart: 2014-06-20\nimage:\n  src: /assets/x.png\n---\n"
            "See [slides](/assets/none.pdf).\n\n<script>alert(1)</script>\n")
    root = make_site({"content/events/2014-06-20-a.md": text})
    with pytest.raises(ContentErrors) as caught:
        build_site_at(root)
    found = {(p.field, p.line, p.severity) for p in caught.value.problems}
    assert ("image.alt", 4, "error") in found
    assert ("body", 7, "error") in found          # the missing asset, on its own line
    assert ("body", 9, "warning") in found        # the script, on its own line


@pytest.mark.parametrize("text, refused", [
    ("- " * 101 + "x", True), ("- " * 99 + "x", False),
    ("a: " + "{b: " * 101 + "c" + "}" * 101, True), ("a: " + "[" * 90 + "]" * 90, False),
    ("k: [" + "1," * 20_000 + "]", True), ("k: [" + "1," * 4_000 + "]", False),
])
def test_deep_or_huge_front_matter_is_refused_at_the_limits(text, refused):
    from reThink_site.content.frontmatter import FrontMatterError, load_yaml

    if refused:
        with pytest.raises(FrontMatterError):
            load_yaml(text)
    else:
        assert load_yaml(text)[0] is not None
