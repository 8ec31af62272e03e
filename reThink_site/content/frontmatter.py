"""Splits a content file into YAML front matter and body, keeping line numbers for messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import yaml

BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 20_000  # a front matter block larger than this once aliases are expanded is refused
MAX_DEPTH = 100  # deeper nesting is refused before composing (the C composer recurses and can crash)
COLLECTION_MARKS = "[{-:?"  # every YAML list or mapping needs one of these characters of its own


class SafeLoader(BaseLoader):  # type: ignore[misc, valid-type]
    """The safe C loader, but a value Python cannot build (2014-13-45, a 5000-digit number) is a YAML error."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value ({err})", node.start_mark) from None


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


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is tolerated), naming the line of the first bad byte."""
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
        problem = " ".join(filter(None, [err.context, err.problem]))
        raise FrontMatterError(line, f"invalid YAML: {problem}",
                               "check indentation, and quote values containing ': ' or '#'",
                               field_on_line(lines, line)) from None
    except yaml.YAMLError as err:
        raise FrontMatterError(first_line, f"invalid YAML: {err}") from None
    except RecursionError:
        raise FrontMatterError(first_line, "front matter is nested too deeply") from None
    finally:
        loader.dispose()
    return data, lines


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
        raise FrontMatterError(2, f"front matter must be fields (`name: value`), found a {type(data).__name__}")
    bad_keys = [k for k in data if not isinstance(k, str)]
    if bad_keys:
        raise FrontMatterError(2, f"field names must be text, found {bad_keys[0]!r}")
    return Document(meta=data, lines=lines, body=body, body_line=body_line)
