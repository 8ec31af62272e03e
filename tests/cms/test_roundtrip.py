"""What the CMS writes, the loader reads: its date-times (milliseconds and Z), its quoting and lists, its blanks."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from reThink_site.content.config import load_config
from reThink_site.content.loader import load_content
from reThink_site.core import timeparse
from tests.helpers import LONDON, MINIMAL_SITE_YAML, write_site

PEOPLE = """\
asha-patel:
  name: Asha Patel
  role: Head of Digital
  organisation: Example Council
"""

# Each file as Decap CMS 3 writes it: YAML block lists two spaces in, only titles with a colon quoted,
# booleans always written, a field emptied in the form kept as "" (text), [] (list) or a group of "".
WRITTEN_BY_THE_CMS = {
    "content/events/2026-05-14-trial-session.md": """\
        ---
        title: "Local reThink: trial session"
        start: 2026-05-14 10:00
        end: 2026-05-14T15:30:00.000Z
        location:
          name: Dukinfield Town Hall
          address: ""
          city: Dukinfield
          postcode: ""
          url: ""
        chair: ""
        speakers:
          - id: asha-patel
          - name: Jo Example
            role: ""
            organisation: Another Council
        registration: https://www.eventbrite.co.uk/e/trial
        price: ""
        chatham_house: true
        status: scheduled
        resources: []
        slug: ""
        summary: ""
        tags:
          - digital
          - ""
        draft: false
        updated: ""
        image:
          src: ""
          alt: ""
        aliases: []
        ---
        What the session is about.
        """,
    "content/summaries/2026-05-20-what-we-heard.md": """\
        ---
        title: What we heard
        date: 2026-05-20
        event: 2026-05-14-trial-session
        author:
          id: asha-patel
        summary: >-
          Three things the room agreed on,
          and one it did not.
        tags: []
        draft: false
        ---
        Notes.
        """,
    "content/insights/2026-05-21-a-post.md": """\
        ---
        title: A post
        date: 2026-05-21T08:15:00.000Z
        author:
          name: Jo Example
          role: ""
        source: ""
        source_url: ""
        tags:
          - digital
        draft: false
        updated: 2026-05-22T09:00:00.000Z
        image:
          src: /assets/images/room.jpg
          alt: A round-table discussion
        ---
        Text.
        """,
    "content/newsletters/2026-06-01-june-2026.md": """\
        ---
        title: June 2026
        date: 2026-06-01
        featured:
          - insights/a-post
          - events/2026-05-14-trial-session
        draft: false
        ---
        Hello.
        """,
    "content/pages/help.md": """\
        ---
        title: Help
        menu: 4
        summary: ""
        draft: false
        aliases: []
        ---
        How to use the site.
        """,
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = write_site(tmp_path_factory.mktemp("cms-written"),
                      {**WRITTEN_BY_THE_CMS, "content/people.yaml": PEOPLE}, MINIMAL_SITE_YAML)
    result = load_content(root, load_config(root / "site.yaml"))
    assert [p.format() for p in result.problems] == []
    return {kind: {item.source_path: item for item in items} for kind, items in result.items.items()}


def test_an_event_reads_back_field_for_field(loaded):
    event = loaded["events"]["content/events/2026-05-14-trial-session.md"]
    assert event.title == "Local reThink: trial session"
    assert event.slug == "2026-05-14-trial-session"  # the blank slug: the file name gives it
    assert event.start == datetime(2026, 5, 14, 10, 0, tzinfo=LONDON)
    assert event.end == datetime(2026, 5, 14, 15, 30, tzinfo=timezone.utc)
    assert (event.location.name, event.location.address, event.location.city) == \
        ("Dukinfield Town Hall", None, "Dukinfield")
    assert not event.location.online
    assert event.chair is None
    assert [(s.name, s.role, s.organisation, s.id) for s in event.speakers] == [
        ("Asha Patel", "Head of Digital", "Example Council", "asha-patel"),
        ("Jo Example", None, "Another Council", "")]
    assert event.registration == "https://www.eventbrite.co.uk/e/trial"
    assert (event.price, event.summary, event.updated, event.image) == (None, None, None, None)
    assert event.chatham_house is True and event.status == "scheduled"
    assert event.tags == ("digital",) and event.resources == () and event.aliases == ()
    assert event.body.strip() == "What the session is about."


def test_a_summary_reads_back(loaded):
    summary = loaded["summaries"]["content/summaries/2026-05-20-what-we-heard.md"]
    assert (summary.date, summary.event, summary.author.name) == \
        (date(2026, 5, 20), "2026-05-14-trial-session", "Asha Patel")
    assert summary.summary == "Three things the room agreed on, and one it did not."
    assert summary.slug == "what-we-heard"


def test_an_insight_reads_back(loaded):
    insight = loaded["insights"]["content/insights/2026-05-21-a-post.md"]
    assert insight.date == datetime(2026, 5, 21, 8, 15, tzinfo=timezone.utc)
    assert insight.updated == datetime(2026, 5, 22, 9, 0, tzinfo=timezone.utc)
    assert (insight.author.name, insight.author.role, insight.source, insight.source_url) == \
        ("Jo Example", None, None, None)
    assert (insight.image.src, insight.image.alt) == ("/assets/images/room.jpg", "A round-table discussion")


def test_a_newsletter_issue_reads_back(loaded):
    issue = loaded["newsletters"]["content/newsletters/2026-06-01-june-2026.md"]
    assert (issue.date, issue.featured) == (date(2026, 6, 1), ("insights/a-post", "events/2026-05-14-trial-session"))
    assert issue.slug == "2026-06-01-june-2026"


def test_a_page_reads_back(loaded):
    page = loaded["pages"]["content/pages/help.md"]
    assert (page.title, page.menu, page.summary, page.aliases, page.slug) == ("Help", 4, None, (), "help")


@pytest.mark.parametrize("text, expected", [
    ("2026-05-14T09:00:00.000Z", datetime(2026, 5, 14, 9, 0, tzinfo=timezone.utc)),  # Decap's default format
    ("2026-05-14T10:00:00.123+01:00", datetime(2026, 5, 14, 9, 0, tzinfo=timezone.utc)),
    ("2026-05-14 10:00", datetime(2026, 5, 14, 10, 0, tzinfo=LONDON)),  # the format the generated forms use
])
def test_cms_date_times_are_read_exactly(text, expected):
    assert timeparse.parse_date_or_datetime(text, LONDON) == expected


def test_a_required_field_left_blank_is_named(tmp_path):
    root = write_site(tmp_path, {"content/events/2026-05-14-x.md": "---\ntitle: \"\"\nstart: 2026-05-14 10:00\n---\n"})
    result = load_content(root, load_config(root / "site.yaml"))
    assert [(p.path, p.line, p.field, p.message) for p in result.problems if p.is_error] == \
        [("content/events/2026-05-14-x.md", 2, "title", "required field is empty")]
