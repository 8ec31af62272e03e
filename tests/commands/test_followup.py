"""Follow-up after events: `check` notes past events nobody followed up; `new summary --event` starts one."""

from __future__ import annotations

import json

import html5lib
import yaml

from reThink_site.cli import main

FOLLOWUP_NOW = "2015-03-10T12:00"
PEOPLE = "asha-patel: {name: Asha Patel, organisation: Exampleton Council}\n"

FOLLOWUP_SITE = {
    "content/people.yaml": PEOPLE,
    "content/events/2015-02-27-forgotten.md": "---\ntitle: Working with communities\nstart: 2015-02-27 10:00\n"
                                              "location: {name: Town Hall, city: Exampleton}\nchair: asha-patel\n"
                                              "chatham_house: true\ntags: [communities]\n---\nAn event.\n",
    "content/events/2015-02-20-with-slides.md": "---\ntitle: Slides only\nstart: 2015-02-20 10:00\n"
                                                "location: online\nregistration: https://example.org/book\n"
                                                "resources:\n  - {title: Slides, url: https://example.org/s.pdf}\n"
                                                "---\nAn event.\n",
    "content/events/2015-02-13-called-off.md": "---\ntitle: Called off\nstart: 2015-02-13 10:00\n"
                                               "location: online\nregistration: https://example.org/book\n"
                                               "status: cancelled\n---\nAn event.\n",
    "content/events/2015-04-01-open.md": "---\ntitle: Not yet\nstart: 2015-04-01 10:00\nlocation: online\n"
                                         "registration: https://example.org/book\n---\nAn event.\n",
}
FORGOTTEN = "content/events/2015-02-27-forgotten.md"


def check(runner, site, *args):
    return runner.invoke(main, ["check", "--site", str(site), "--now", FOLLOWUP_NOW, *args])


def test_check_notes_past_events_without_follow_up_and_never_fails(runner, make_site):
    site = make_site(FOLLOWUP_SITE)
    result = check(runner, site, "--strict")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if ": note: " in line]
    assert len(notes) == 1
    assert notes[0].startswith(f"{FORGOTTEN}:2: note: follow-up: a past event with neither a discussion summary "
                               "nor resources (hint: start one with: rethink new summary --event 2015-02-27-forgotten")
    assert result.output.splitlines()[-1] == "No problems found: the site is ready to publish. (1 note(s) above.)"
    rows = json.loads(check(runner, site, "--strict", "--format", "json").output)
    assert [(r["path"], r["severity"]) for r in rows] == [(FORGOTTEN, "note")]
    github = check(runner, site, "--strict", "--format", "github").output.strip()
    assert github.startswith(f"::notice file={FORGOTTEN},line=2,title=follow-up::")


def test_new_summary_from_the_event_passes_check_once_written(runner, make_site, build_site_at):
    site = make_site(FOLLOWUP_SITE)
    result = runner.invoke(main, ["new", "summary", "--event", "2015-02-27-forgotten", "--date", "2015-03-02",
                                  "--site", str(site)])
    assert result.exit_code == 0, result.output
    path = site / result.output.strip()
    assert path.parent == site / "content" / "summaries" and path.name.startswith("2015-03-02-")
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "What we heard: Working with communities"
    assert front["event"] == "2015-02-27-forgotten"
    assert str(front["date"]) == "2015-03-02"
    assert front["tags"] == ["communities"]
    assert "# Chatham House Rule: the event ran under it." in text
    body = text.split("---\n", 2)[2]
    assert ("[Working with communities](../events/2015-02-27-forgotten.md), held on Friday 27 February 2015 at "
            "Town Hall, Exampleton, with Asha Patel (Exampleton Council) in the chair.") in body
    path.write_text(text.replace("Write here what was said.", "The room agreed on three next steps."),
                    encoding="utf-8")
    result = check(runner, site, "--strict")
    assert result.exit_code == 0, result.output
    assert ": note: " not in result.output
    assert result.output.strip() == "No problems found: the site is ready to publish."
    build_site_at(site, now=FOLLOWUP_NOW)
    page = html5lib.parse((site / "output/summaries" / front["slug"] / "index.html").read_bytes(),
                          namespaceHTMLElements=False)
    assert "/events/2015-02-27-forgotten/" in [a.get("href") for a in page.iter("a")]


def test_no_chatham_house_reminder_when_it_does_not_apply(runner, make_site):
    site = make_site(FOLLOWUP_SITE)
    result = runner.invoke(main, ["new", "summary", "--event", "2015-02-20-with-slides", "Slides and more",
                                  "--date", "2015-03-02", "--site", str(site)])
    assert result.exit_code == 0, result.output
    text = (site / result.output.strip()).read_text(encoding="utf-8")
    assert "Chatham House" not in text and 'title: "Slides and more"' in text
    assert "held on Friday 20 February 2015 online." in text


def test_new_summary_refuses_what_it_cannot_do(runner, make_site):
    site = make_site(FOLLOWUP_SITE)
    unknown = runner.invoke(main, ["new", "summary", "--event", "2015-02-27-forgoten", "--site", str(site)])
    assert unknown.exit_code == 2
    assert "did you mean '2015-02-27-forgotten'?" in unknown.output
    assert runner.invoke(main, ["new", "event", "--event", "2015-02-27-forgotten", "--site", str(site)]).exit_code == 2
    untitled = runner.invoke(main, ["new", "insight", "--site", str(site)])
    assert untitled.exit_code == 2 and "expected a title" in untitled.output
    assert not list((site / "content").glob("summaries/*.md")) and not list((site / "content").glob("insights/*"))
