"""Who a person in front matter is: a people.yaml id, a near-miss of one, or someone people.yaml already lists."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Mapping, Optional

from reThink_site.core.typos import one_edit_apart

SLUG_LIKE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TITLES = frozenset({"professor", "prof", "dr", "doctor", "cllr", "councillor", "mr", "mrs", "ms", "miss", "mx",
                    "sir", "dame", "lord", "lady", "baroness", "baron", "rev", "revd", "reverend", "rt", "hon"})


def plain_name(name: str) -> str:
    """A name as people compare and sort it: no title, accents, case or dots (`Prof. Gwen Ellis`: `gwen ellis`)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = folded.replace(".", " ").replace(",", " ").split()
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def listed_as(value: Any, people: Mapping[str, Mapping[str, Any]]) -> Optional[str]:
    """The people.yaml id of a person written out in full (a name, or a mapping without a known id), if listed:
    the same web address, or the same name once titles are left out."""
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict) or value.get("id") in people:
        return None
    url, name = value.get("url"), value.get("name")
    for key, person in people.items():
        if isinstance(url, str) and url.strip() and person.get("url") == url.strip():
            return key
    if isinstance(name, str) and plain_name(name):
        for key, person in people.items():
            if plain_name(str(person.get("name", ""))) == plain_name(name):
                return key
    return None


def near_id(text: str, people: Mapping[str, Any]) -> Optional[str]:
    """The people.yaml id an id-like string (`phil-swann`) is one edit away from, if any."""
    return next((key for key in sorted(people) if one_edit_apart(text, key)), None)


def _named(meta: Mapping[str, Any]) -> list[tuple[tuple, Any]]:
    """Each person a file names (chair, speakers, author), with its field path."""
    found: list[tuple[tuple, Any]] = []
    for key in ("chair", "author"):
        if meta.get(key) is not None:
            found.append(((key,), meta[key]))
    speakers = meta.get("speakers")
    if isinstance(speakers, list):
        found += [(("speakers", index), value) for index, value in enumerate(speakers)]
    return found


def unknown_ids(meta: Mapping[str, Any], people: Mapping[str, Any]) -> list[tuple[tuple, str, str, str]]:
    """People written as ids that people.yaml does not have: (field path, message, hint, severity).

    One edit away from a key (`phil-swann` for `phil-swan`) is an error; another id-like name (`jo-bloggs`, no
    space or capital) a warning, since it would be shown as the person's name."""
    problems = []
    for path, value in _named(meta):
        given_id = value.get("id") if isinstance(value, dict) else value
        if not isinstance(given_id, str) or given_id.strip() in people or not SLUG_LIKE.match(given_id.strip()):
            continue
        text = given_id.strip()
        meant = near_id(text, people)
        where = path + (("id",) if isinstance(value, dict) else ())
        if meant:
            problems.append((where, f"expected someone listed in people.yaml, found {text!r}",
                             f"did you mean `{meant}`?", "error"))
        elif "-" in text and not isinstance(value, dict):
            problems.append((where, f"{text!r} looks like an id, but people.yaml has no such person: it would be "
                             "shown as the name", "add them to content/people.yaml, or write their name", "warning"))
    return problems
