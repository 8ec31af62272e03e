"""Splits a content file into YAML front matter and body, keeping line numbers for messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import yaml

from reThink_site.core.timeparse import impossible_date

BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR = "tag:yaml.org,2002:str"
TIME = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")  # YAML 1.1 reads 12:00 as 720: text here
KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w -]*?)\s*:")

MAX_NODES = 20_000  # a front matter block larger than this once aliases are expanded is refused
MAX_DEPTH = 100  # deeper nesting is refused before composing (the C composer recurses and can crash)
COLLECTION_MARKS = "[{-:?"  # every YAML list or mapping needs one of these characters of its own


class BadValue(yaml.constructor.ConstructorError):
    """A value YAML recognised but that cannot be (30 February), with what to do about it."""

    hint = "check the value on this line"


class SafeLoader(BaseLoader):  # type: ignore[misc, valid-type]
    """The safe C loader, but a value Python cannot build (2014-13-45, a 5000-digit number) is a YAML error,
    and a time such as `12:00` stays text (YAML 1.1 would read it as the number 720)."""

    yaml_implicit_resolvers = {first: ([(STR, TIME)] if first in "+-0123456789" else []) + list(found)
                               for first, found in BaseLoader.yaml_implicit_resolvers.items()}

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as err:
            why = impossible_date(str(node.value)) if node.tag.endswith(":timestamp") else None
            bad = BadValue(None, None, why or f"cannot read the value {str(node.value)[:40]!r}"
                           + (" (a number too long)" if "digits" in str(err) else ""), node.start_mark)
            bad.hint = "check the day and the month" if why else BadValue.hint
            raise bad from None


TYPE_NAMES = {"list": "a list", "str": "text", "int": "a number", "float": "a number", "bool": "true or false",
              "NoneType": "nothing", "date": "a date", "datetime": "a date and time"}
TAB_HINT = "YAML needs spaces, not tabs: replace the tab on this line with spaces"
CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"


def _set_in_sorted_order(loader: SafeLoader, node: yaml.MappingNode) -> list:
    """A YAML `!!set` as a sorted list: a Python set's order changes from run to run, the output must not."""
    return sorted(loader.construct_mapping(node), key=repr)


SafeLoader.add_constructor("tag:yaml.org,2002:set", _set_in_sorted_order)


class FrontMatterError(Exception):
    """The file cannot be read as front matter plus Markdown; carries the line it went wrong on."""

    def __init__(self, line: int, message: str, hint: str = "", field: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.hint, self.field = line, message, hint, field


@dataclass(frozen=True)
class Document:
    """Front matter data, the line of each field (by path), and the Markdown body."""

    meta: Mapping[str, Any]
    lines: Mapping[tuple, int]
    body: str
    body_line: int = 1
    meta_line: int = 1
    extra: Mapping[str, Any] = field(default_factory=dict)

    def line_of(self, path: tuple) -> int:
        """Find the most precise known line for a field path, falling back to its parents."""
        return nearest_line(self.lines, path, self.meta_line)


def nearest_line(lines: Mapping[tuple, int], path: tuple, default: int = 1) -> int:
    """The line of a field path, else of its closest recorded parent, else `default`."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return default


def looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of plain text is NUL."""
    sample = raw[:400]
    return len(sample) >= 4 and (sample[1::2].count(0) * 4 > len(sample) or sample[0::2].count(0) * 4 > len(sample))


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is tolerated), naming the line of the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16(raw):
        raise FrontMatterError(1, "the file is saved as UTF-16 (\"Unicode\"), not UTF-8",
                               "save it again as UTF-8 in your editor (in Notepad: Save as, Encoding: UTF-8)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise FrontMatterError(line, f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x})",
                               "save the file as UTF-8 in your editor") from None
    if "\x00" in text:
        raise FrontMatterError(text[: text.index("\x00")].count("\n") + 1,
                               "the file contains a NUL byte; it looks binary, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str) -> tuple[str, str, int]:
    """Return (yaml text, body, first body line); the block must open and close with `---`."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(1, "expected front matter opening with `---` on the first line, "
                               f"found {lines[0][:40]!r}" if lines else "the file is empty",
                               "start the file with a line holding only ---, then the fields, then ---")
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1: number - 1]), "\n".join(lines[number:]), number + 1
    raise FrontMatterError(1, "front matter is not closed: no line holding only `---` after the fields",
                           "add a line with --- after the last field")


def _check_depth(text: str, first_line: int) -> None:
    """Refuse absurdly deep nesting from the event stream, which is read without recursion."""
    if sum(text.count(mark) for mark in COLLECTION_MARKS) <= MAX_DEPTH:
        return  # too few lists and mappings to nest that deep: no need to read the stream
    depth = 0
    for event in yaml.parse(text, Loader=BaseLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrontMatterError(event.start_mark.line + first_line,
                                       f"front matter is nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _count_nodes(node: yaml.Node, budget: list[int], first_line: int) -> None:
    """Count nodes as if aliases were expanded, so alias bombs are refused before they cost."""
    budget[0] -= 1
    if budget[0] < 0:
        raise FrontMatterError(node.start_mark.line + first_line, "front matter is too large once its "
                               "aliases are expanded (a YAML alias bomb?)")
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _count_nodes(key, budget, first_line)
            _count_nodes(value, budget, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _count_nodes(item, budget, first_line)


def _record_lines(node: yaml.Node, path: tuple, offset: int, out: dict) -> None:
    """Map each field path (key names and list indexes) to its 1-based line in the file.

    A key given twice in one mapping is an error naming both lines: YAML would silently keep the last.
    """
    if isinstance(node, yaml.MappingNode):
        seen: dict[tuple[str, str], int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child, line = path + (key.value,), key.start_mark.line + offset
                if key.tag != "tag:yaml.org,2002:merge" and (key.tag, key.value) in seen:
                    dotted = ".".join(map(str, child))
                    raise FrontMatterError(line, f"`{key.value}` is given twice, on lines "
                                           f"{seen[key.tag, key.value]} and {line}",
                                           "keep one of them", dotted)
                seen[key.tag, key.value] = line
                out.setdefault(child, line)
                _record_lines(value, child, offset, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = path + (index,)
            out.setdefault(child, item.start_mark.line + offset)
            _record_lines(item, child, offset, out)


def load_yaml(text: str, first_line: int = 1) -> tuple[Any, dict]:
    """Parse YAML safely with the C loader, returning data and a field-path -> line map."""
    loader = SafeLoader(text)
    lines: dict = {}
    try:
        _check_depth(text, first_line)
        node = loader.get_single_node()
        if node is None:
            return None, {}
        if "*" in text or len(text) * 2 >= MAX_NODES:  # without aliases a node takes at least half a character
            _count_nodes(node, [MAX_NODES], first_line)
        _record_lines(node, (), first_line, lines)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line if mark else 0) + first_line
        if isinstance(err, BadValue):
            raise FrontMatterError(line, str(err.problem), err.hint, field_on_line(lines, line)) from None
        line_text = text.split("\n")[line - first_line] if mark and line - first_line < text.count("\n") + 1 else ""
        message, hint = yaml_in_words(err, line_text)
        key = KEY.match(line_text)
        raise FrontMatterError(line, message, hint, field_on_line(lines, line) or (key.group(1) if key else "")) \
            from None
    except yaml.YAMLError as err:
        raise FrontMatterError(first_line, f"invalid YAML: {err}") from None
    except RecursionError:
        raise FrontMatterError(first_line, "front matter is nested too deeply") from None
    finally:
        loader.dispose()
    return data, lines


def yaml_in_words(err: yaml.MarkedYAMLError, line_text: str) -> tuple[str, str]:
    """A YAML error as an editor would say it, with a hint for what they most likely typed."""
    problem = " ".join(filter(None, [err.context, err.problem]))
    if "\t" in line_text:
        return "invalid YAML: a tab character on this line", TAB_HINT
    if any(mark in line_text for mark in CURLY_QUOTES):
        return ("invalid YAML: the value is in curly quotes (“…”), which YAML does not read as quotes",
                "type straight quotes \"…\" around the whole value (a `: ` inside then is fine)")
    if "mapping values are not allowed" in problem:
        return ("invalid YAML: a `: ` inside a value (YAML reads it as the start of another field)",
                'put the whole value in straight quotes, such as title: "Local reThink: Sefton"')
    if "cannot start any token" in problem:
        return ("invalid YAML: a value cannot start with this character (`@`, a backtick or `%`)",
                "put the whole value in straight quotes")
    return f"invalid YAML: {problem}", "check the indentation, and quote values containing ': ' or ' #'"


def field_on_line(lines: dict, line: int) -> str:
    """The most specific field path that starts on a line (`start`, `speakers.0.name`), or ''."""
    paths = [path for path, at in lines.items() if at == line]
    return ".".join(map(str, max(paths, key=len))) if paths else ""


def parse(raw: bytes) -> Document:
    """Turn a file's bytes into a Document, or raise FrontMatterError with a line number."""
    text = decode(raw)
    block, body, body_line = split(text)
    data, lines = load_yaml(block, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError(2, "front matter must be fields (`name: value`), found "
                               f"{TYPE_NAMES.get(type(data).__name__, 'something else')}")
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise FrontMatterError(2, f"field names must be text, found {bad_keys[0]!r}")
    return Document(meta=data, lines=lines, body=body, body_line=body_line)
