"""`rethink init DIR`: a new site that builds and passes `check` at once, written whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError

from reThink_site.commands.new import quoted
from reThink_site.content.config import SiteConfig
from reThink_site.core.errors import UsageError

FOLDERS = ("content/events", "content/summaries", "content/insights", "content/newsletters", "content/pages",
           "content/assets", "templates")


def site_yaml(title: str, base_url: str) -> str:
    """The settings, each with a comment saying what it does; the optional ones commented out."""
    return f"""\
# The settings of this site. docs/content-format.md ("site.yaml") lists every one.
title: {quoted(title)}
# Where the site is published: every page's address starts with it. To build for a staging
# address without editing this line, run: rethink build --base-url https://staging.example.org/
base_url: {quoted(base_url)}
description: Events, discussion summaries and insights.  # for search engines and feeds
language: en-GB
timezone: Europe/London  # the zone event times are written in
# author: {{name: Your Name, organisation: Your organisation}}  # named in feeds
# contact_email: team@example.org  # calendars name it as every event's organiser
feed:
  items: 20        # how many entries each feed holds
  content: full    # or summary: feeds carry only the first paragraph
newsletter:
  title: Newsletter
  upcoming_days: 60   # "Coming up" lists events this many days ahead
  lookback_days: 31   # "Since the last issue" looks this many days back
  # signup_url: https://example.org/signup
  footer: ""          # the end of every e-mail, such as your mailing tool's unsubscribe tag
events:
  clock: 12-hour      # "12:30pm to 4pm"; 24-hour gives "12:30 to 16:00"
  # default_duration: 1 hour  # how long calendars show an event that gives no end
# Editing in the browser at /admin/: uncomment and name your GitHub repository.
# cms:
#   repo: OWNER/NAME
#   branch: main
"""


def examples(today: date) -> dict[str, str]:
    """One file of each kind, plainly marked as examples to replace; the event four weeks ahead."""
    day = today.isoformat()
    event_day = (today + timedelta(days=28)).isoformat()
    return {
        f"content/events/{event_day}-example-event.md": f"""\
---
title: Example event
slug: {event_day}-example-event
start: {event_day} 10:00  # date and time it starts (a date alone means all day)
end: {event_day} 12:00
published: {day}  # when it was announced: the date feeds and mail tools give it
location: {{url: https://example.org/join}}  # online: the joining link; or {{name: …, address: …, city: …}}
registration: https://example.org/book  # where to book
summary: An example event, to show how an event's file looks. Replace it with your own.
tags: [example]
---
This is an example. Write here what the event is about and who it is for, then
change the fields above: the date, the place and the booking link.
""",
        f"content/summaries/{day}-example-summary.md": f"""\
---
title: Example discussion summary
date: {day}  # publication day: not on the site before this day
# event: {event_day}-example-event  # the event it summarises (its file name without .md)
tags: [example]
---
This is an example. After an event, write what was said here; start one with
`rethink new summary --event SLUG`.
""",
        f"content/insights/{day}-example-insight.md": f"""\
---
title: Example insight
date: {day}
tags: [example]
---
This is an example of an insight: a blog post, an opinion piece or, with `source:`,
press coverage. Replace it with your own.
""",
        f"content/newsletters/{day}-example-issue.md": f"""\
---
title: Example newsletter issue
date: {day}
---
This is the introduction of an example issue. The build adds the events coming up
and what was published since the last issue.
""",
        "content/pages/about.md": """\
---
title: About
menu: 1  # its place in the main menu
---
This is an example page. Say here who runs the site and how to get in touch.
""",
        "content/people.yaml": """\
# Speakers, chairs and authors, by id; events and posts name them by that id.
# asha-patel: {name: Asha Patel, role: Head of Service, organisation: Example Council}
""",
    }


def init_site(folder: Path, title: str, base_url: str, today: date) -> list[str]:
    """Write the new site into `folder` (which must be missing or empty); the files written, in order."""
    folder = folder.absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not empty; rethink init writes only a new site "
                         "(choose another folder)")
    try:
        SiteConfig.model_validate({"title": title, "base_url": base_url})
    except ValidationError as err:
        problem = err.errors()[0]
        option = "--base-url" if problem["loc"][0] == "base_url" else "--title"
        raise UsageError(f"{option}: {str(problem['msg']).removeprefix('Value error, ')}") from None
    files = {"site.yaml": site_yaml(title, base_url), **examples(today)}
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-init-", dir=folder.parent))
    except OSError as err:
        raise UsageError(f"cannot create {folder}: {err.strerror or err}") from None
    try:
        for name in FOLDERS:
            (staging / name).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        staging.chmod(0o755)
        os.replace(staging, folder)  # whole or nothing: an empty folder is replaced, a full one never
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot create {folder}: {err.strerror or err}") from None
    return sorted(files)
