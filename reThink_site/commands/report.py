"""`rethink check`: every problem a build would find, formatted for people, GitHub Actions or tools."""

from __future__ import annotations

import json
from typing import Iterable

from reThink_site.core.errors import Problem

FORMATS = ("text", "github", "json")


def escape_data(text: str) -> str:
    """Escape a workflow command's message so `%`, CR and LF survive (GitHub's toolkit rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value: the data rules plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem, strict: bool = False) -> str:
    """One problem as `::error file=…,line=…,title=…::message`, shown on the pull request's line."""
    level = "notice" if problem.severity == "note" else "error" if problem.is_error or strict else "warning"
    title = problem.field or "content"
    message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    props = ",".join(f"{key}={escape_property(str(value))}"
                     for key, value in (("file", problem.path), ("line", problem.line), ("title", title)))
    return f"::{level} {props}::{escape_data(message)}"


def as_json(problems: Iterable[Problem], strict: bool = False) -> str:
    """A JSON list of problems with path, line, field, message, hint and severity, for tools."""
    rows = [{"path": p.path, "line": p.line, "field": p.field, "message": p.message, "hint": p.hint,
             "severity": "note" if p.severity == "note" else "error" if p.is_error or strict else "warning"}
            for p in problems]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def tally(problems: Iterable[Problem]) -> tuple[int, int]:
    """How many errors and warnings there are."""
    problems = list(problems)
    errors = sum(p.is_error for p in problems)
    return errors, sum(p.severity == "warning" for p in problems)


def summary_line(problems: Iterable[Problem], strict: bool) -> str:
    """The closing line of a text report, in words an editor understands."""
    errors, warnings = tally(problems)
    notes = sum(p.severity == "note" for p in problems)
    if not errors and not warnings:
        return "No problems found: the site is ready to publish." + (f" ({notes} note(s) above.)" if notes else "")
    verdict = "the build would fail" if errors or (strict and warnings) else "the build would succeed"
    return f"Found {errors} error(s) and {warnings} warning(s); {verdict}."


def report(problems: Iterable[Problem], fmt: str, strict: bool = False) -> str:
    """The whole report in one of FORMATS (text ends with a one-line verdict)."""
    problems = sorted(problems)
    if fmt == "json":
        return as_json(problems, strict)
    if fmt == "github":
        return "\n".join(github_annotation(p, strict) for p in problems)
    return "\n".join([*(p.format() for p in problems), summary_line(problems, strict)])
