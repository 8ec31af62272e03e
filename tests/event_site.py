"""A small site whose events exercise every time rule: DST change, all-day spans, other zones."""

LONG_TITLE = ("Réunion über die Zukunft der öffentlichen Dienste – Ærøskøbing, Kraków, Zürich "
              "and Łódź compare notes on neighbourhood services")
SCRIPT_TITLE = 'Close </script> tags & "quotes" <b>here</b>'

EVENT_FILES = {
    "content/events/2014-08-14-summer-workshop.md": """\
        ---
        title: Summer workshop
        start: 2014-08-14 09:00
        end: 2014-08-14 17:00
        updated: 2014-08-01 10:00
        location: {name: Town Hall, address: 1 Market Street, city: Manchester, postcode: M1 1AA}
        host: iNetwork
        ---
        A past workshop with **bold** words and [a link](https://example.com/more).

        A second paragraph.
        """,
    "content/events/2014-10-25-clock-change.md": f"""\
        ---
        title: "{LONG_TITLE}"
        start: 2014-10-25 22:00
        end: 2014-10-26 03:00
        location: {{name: Night Café, city: Leeds}}
        ---
        Through the night the clocks go back.
        """,
    "content/events/2014-10-30-cancelled.md": """\
        ---
        title: Cancelled briefing
        start: 2014-10-30 10:00
        end: 2014-10-30 12:00
        status: cancelled
        ---
        This will not happen.
        """,
    "content/events/2014-11-03-conference.md": """\
        ---
        title: Three-day conference
        start: 2014-11-03
        end: 2014-11-05
        location: {name: Conference Centre, city: Liverpool}
        image: {src: /assets/hall.png, alt: The hall}
        speakers:
          - {name: Asha Patel, role: Director, organisation: Example Council}
          - Ben Jones
        host: iNetwork
        registration: https://tickets.example.com/conference
        price: "£25 per person"
        ---
        Three days of talks.
        """,
    "content/events/2014-11-20-no-end.md": f"""\
        ---
        title: '{SCRIPT_TITLE}'
        start: 2014-11-20 18:30
        location: {{url: https://meet.example.com/room}}
        registration: https://tickets.example.com/online
        price: Free
        ---
        An online talk with no end time.
        """,
    "content/events/2014-12-01-new-york.md": """\
        ---
        title: Evening in New York
        start: 2014-12-01 18:00
        end: 2014-12-01 20:00
        timezone: America/New_York
        location: {name: Civic Hall, address: 156 Fifth Avenue, city: New York, postcode: NY 10010}
        ---
        Across the Atlantic.
        """,
    "content/events/2015-01-15-offset.md": """\
        ---
        title: New year round-up
        start: 2015-01-15T10:00+00:00
        end: 2015-01-15T12:00+00:00
        ---
        Given with an explicit offset.
        """,
    "content/assets/hall.png": b"\x89PNG\r\n\x1a\n",
}

# What the content files say, as UTC instants (all-day events: first day and exclusive end day).
EXPECTED_UTC = {
    "2014-08-14-summer-workshop": ("2014-08-14T08:00:00+00:00", "2014-08-14T16:00:00+00:00"),
    "2014-10-25-clock-change": ("2014-10-25T21:00:00+00:00", "2014-10-26T03:00:00+00:00"),
    "2014-10-30-cancelled": ("2014-10-30T10:00:00+00:00", "2014-10-30T12:00:00+00:00"),
    "2014-11-03-conference": ("2014-11-03", "2014-11-06"),
    "2014-11-20-no-end": ("2014-11-20T18:30:00+00:00", None),
    "2014-12-01-new-york": ("2014-12-01T23:00:00+00:00", "2014-12-02T01:00:00+00:00"),
    "2015-01-15-offset": ("2015-01-15T10:00:00+00:00", "2015-01-15T12:00:00+00:00"),
}

NOW = "2014-10-20T09:00"
