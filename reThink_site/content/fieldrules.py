"""Field rules every content model shares: allowed URL schemes, no control characters, frozen nested values."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, model_validator

URL_SCHEMES = ("http", "https", "mailto", "tel")
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # XML and iCalendar refuse these


def find_control_character(value: Any) -> str | None:
    """The first character no feed or calendar can carry, anywhere inside a field's value."""
    if isinstance(value, str):
        match = NOT_TEXT.search(value)
        return f"U+{ord(match.group()):04X}" if match else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return next((found for item in value if (found := find_control_character(item))), None)
    return None


def check_url(value: str) -> str:
    """Allow only the contract's URL schemes, so no `javascript:` ever reaches a page."""
    text = value.strip()
    if any(ord(c) < 32 or c in "<>\"' \\" for c in text):
        raise ValueError(f"expected a URL without spaces, quotes or control characters, found {value!r}")
    parts = urlsplit(text)
    if parts.scheme.lower() not in URL_SCHEMES:
        raise ValueError(f"expected a URL starting https://, http://, mailto: or tel:, found {value!r}")
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        raise ValueError(f"expected a web address with a host name, found {value!r}")
    return text


class Frozen(BaseModel):
    """Base for nested values: immutable, and unknown keys are mistakes."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _refuse_control_characters(cls, data: Any) -> Any:
        found = find_control_character(data)
        if found:
            raise ValueError(f"expected text without control characters, found {found}")
        return data
