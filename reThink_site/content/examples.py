"""The example values `rethink new` writes: left in a file, they would be published as if they were facts."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

SUMMARY = "One or two sentences for lists and link previews."
BODY = "Write here."
PERSON_ID = "asha-patel"  # an example id: an error only where people.yaml has no such person
PERSON_NAME = "Jo Bloggs"
CONTACT = "someone@example.org"
IMAGE = "/assets/images/example.jpg"
IMAGE_ALT = "What the picture shows"
RESOURCE = "/assets/slides/example.pdf"
EVENT_REF = "2015-02-27-event-file-name"
PLACE, STREET, TOWN = "The place", "The street address", "The town"
BOOKING = "https://www.eventbrite.co.uk/e/..."
WEB_ADDRESS = "https://..."
PLACEHOLDER_END = "..."  # an example web address ends with `...` (https://www.eventbrite.co.uk/e/...)
EXAMPLE_TEXTS = frozenset({SUMMARY, BODY, PERSON_NAME, CONTACT, IMAGE, IMAGE_ALT, RESOURCE, EVENT_REF, PLACE, STREET,
                           TOWN})
PEOPLE_FIELDS = ("chair", "speakers", "author")


def _walk(value: Any, path: tuple) -> Iterator[tuple[tuple, Any]]:
    """Every text in a front-matter value, with its field path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, path + (index,))
    elif isinstance(value, str):
        yield path, value


def is_example(path: tuple, text: str, people: Mapping[str, Any]) -> bool:
    """True for a value `rethink new` wrote as an example."""
    text = text.strip()
    if text in EXAMPLE_TEXTS:
        return True
    if text == PERSON_ID or path[-1:] == ("id",) and text == PERSON_ID:
        return path[0] in PEOPLE_FIELDS and PERSON_ID not in people
    return "://" in text and text.endswith(PLACEHOLDER_END) and " " not in text


def leftover_examples(meta: Mapping[str, Any], body: str, people: Mapping[str, Any]) -> list[tuple[tuple, str]]:
    """Each field (by path) still holding example text from `rethink new`, and that text; `body` for the body."""
    found = [(path, text.strip()) for key, value in meta.items() for path, text in _walk(value, (key,))
             if is_example(path, text, people)]
    if body.strip() == BODY:
        found.append((("body",), BODY))
    return found
