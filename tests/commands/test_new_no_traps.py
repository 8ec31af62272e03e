"""`rethink new` templates hold no traps (issue 15): each commented line, uncommented, is valid and means what
it says; example values are caught by the check; README's examples are not in the past."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reThink_site.cli import main

KINDS = ("event", "summary", "insight", "newsletter", "page")
FIELD_LINE = re.compile(r"^# ([a-z_]+): ")


def made(runner, site: Path, kind: str, when: str = "2015-05-14 10:00") -> Path:
    """The file `rethink new` writes for one kind."""
    when = when if kind == "event" else when.split()[0]
    args = ["new", kind, "A title", "--site", str(site)] + (["--date", when] if kind != "page" else [])
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return site / result.output.strip()


def front(text: str):
    """The front matter as plain PyYAML reads it."""
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("kind", KINDS)
def test_each_commented_field_uncommented_alone_is_valid_yaml(runner, make_site, kind):
    text = made(runner, make_site({}), kind).read_text(encoding="utf-8")
    lines = text.split("\n")
    fields = [i for i, line in enumerate(lines) if FIELD_LINE.match(line)]
    assert len(fields) >= 4
    for index in fields:
        changed = lines[:index] + [lines[index][2:]] + lines[index + 1:]
        meta = front("\n".join(changed))  # raises on a YAML error
        assert FIELD_LINE.match(lines[index]).group(1) in meta
    assert not [line for line in lines if line.startswith("#   (")]  # prose that looks like an indented field


@pytest.mark.parametrize("when, start_is_date", [("2015-05-14 10:00", False), ("2015-05-14", True),
                                                 ("2015-05-14 23:00", False)])
def test_the_end_example_is_not_the_start(runner, make_site, when, start_is_date):
    text = made(runner, make_site({}), "event", when).read_text(encoding="utf-8")
    end_line = next(line for line in text.split("\n") if line.startswith("# end:"))
    meta = front(text.replace(end_line, end_line[2:]))  # PyYAML reads `2015-05-14 12:00` as text, ISO-ordered
    start, end = str(meta["start"]), str(meta["end"])
    assert end > start and len(end) == len(start)  # later, and of the same kind (both dates or both times)


def test_the_resource_example_does_not_double_the_file_type(runner, make_site):
    text = made(runner, make_site({}), "event").read_text(encoding="utf-8")
    resource = next(line for line in text.split("\n") if "title:" in line and "url:" in line)
    title = yaml.safe_load(resource.split("- ", 1)[1].split("  #")[0])["title"]
    assert "PDF" not in title.upper()


def test_the_featured_example_names_an_existing_item_or_none(runner, make_site, build_site_at):
    first = made(runner, make_site({}), "newsletter")
    bare = first.read_text(encoding="utf-8")
    first.unlink()
    line = next(line for line in bare.split("\n") if line.startswith("# featured:"))
    assert front(bare.replace(line, line[2:]))["featured"] in ([], None)
    heard = "---\ntitle: Heard\ndate: 2015-01-05\n---\nHi.\n"
    site = make_site({"content/insights/2015-01-05-what-we-heard.md": heard})
    path = made(runner, site, "newsletter")
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if line.startswith("# featured:"))
    assert front(text.replace(line, line[2:]))["featured"] == ["insights/what-we-heard"]
    path.write_text(text.replace(line, line[2:]) + "Hello.\n", encoding="utf-8")
    build_site_at(site, now="2015-06-01T12:00")  # the reference resolves


def test_a_fresh_file_has_no_example_text_to_publish(runner, make_site, build_site_at):
    site = make_site({})
    path = made(runner, site, "event")
    assert "Write here" not in path.read_text(encoding="utf-8").split("---\n", 2)[2]
    build_site_at(site, now="2015-06-01T12:00")


def test_readme_examples_are_not_in_the_past_or_say_to_pick_a_future_date():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for command in re.findall(r"rethink new [^\n]*", readme):
        dated = re.search(r"--date \"?(\d{4}-\d{2}-\d{2})", command)
        assert dated is None or "future" in readme[readme.index(command) - 400: readme.index(command) + 400], command
