"""One CMS form field per model field, chosen from the field's type and metadata, so new fields get one too."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Mapping, Optional

from pydantic import BaseModel
from pydantic.fields import FieldInfo

DATETIME_FORMAT = "YYYY-MM-DD HH:mm"  # what `rethink new` writes: wall-clock time in the site's zone
DATE_FORMAT = "YYYY-MM-DD"
SHOWN_DATE = "D MMMM YYYY"
SHOWN_TIME = "HH:mm"

Widget = dict[str, Any]
Relation = Callable[[str, bool], Optional[Widget]]  # (relation name, many) -> the widget's settings


@dataclass(frozen=True)
class Shape:
    """A field's type reduced to what a form needs: the base type, whether it is a list, and choices."""

    base: Any
    many: bool = False
    choices: tuple = ()


def is_model(kind: Any) -> bool:
    """A nested pydantic model (a person, a place, a link) becomes a group of fields."""
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def shape_of(annotation: Any) -> Shape:
    """Optional[...] and tuple[X, ...] unwrapped; a union of a date-time and a date is a date-time."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if datetime in options:
            return Shape(datetime)
        if str in options and all(arg in (str, bool) for arg in options):
            return Shape(str)  # yes, no, or a few words: typed as words
        if len(options) == 1:
            return shape_of(options[0])
        return Shape(None)
    if origin in (tuple, list, frozenset, set):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        inner = shape_of(args[0]) if len(args) == 1 else Shape(None)
        return Shape(inner.base, True, inner.choices) if not inner.many else Shape(None)
    if origin is typing.Literal:
        choices = typing.get_args(annotation)
        return Shape(type(choices[0]), choices=choices)
    if typing.get_origin(annotation) is typing.Annotated:
        return shape_of(typing.get_args(annotation)[0])
    return Shape(annotation)


def extra(info: FieldInfo) -> Mapping[str, Any]:
    """The CMS hints a model gives in `json_schema_extra` (widget, relation)."""
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def label(name: str) -> str:
    """`chatham_house` -> `Chatham house`."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def bounds(info: FieldInfo) -> Widget:
    """min and max of a number from its ge/le constraints."""
    found: Widget = {}
    for item in info.metadata:  # pydantic's annotated_types Ge and Le
        if getattr(item, "ge", None) is not None:
            found["min"] = item.ge
        if getattr(item, "le", None) is not None:
            found["max"] = item.le
    return found


def widget_for(shape: Shape, info: FieldInfo, relation: Relation,
               nested: Callable[[type, bool], list]) -> Optional[Widget]:
    """The widget settings for one shape; None when no widget fits (the coverage test then fails)."""
    wanted = extra(info)
    if wanted.get("relation"):
        return relation(str(wanted["relation"]), shape.many)
    if shape.choices:
        chosen: Widget = {"widget": "select", "options": list(shape.choices)}
        return {**chosen, "multiple": True} if shape.many else chosen
    base = shape.base
    if is_model(base):
        fields = nested(base, shape.many or info.is_required())  # a blank optional group asks for nothing
        if shape.many:
            shown = " ".join("{{fields.%s}}" % f["name"] for f in fields[:2])
            return {"widget": "list", "fields": fields, "summary": shown, "collapsed": False}
        return {"widget": "object", "fields": fields, "collapsed": False}
    if shape.many:
        if base is str:
            return {"widget": "list"}  # a list of words: typed with commas
        one = widget_for(Shape(base), info, relation, nested)  # a list of dates, numbers: one box each
        return None if one is None else {"widget": "list", "field": {"label": label(info.title or "value"),
                                                                     "name": "value", **one}}
    if base is bool:
        return {"widget": "boolean"}
    if base is int:
        return {"widget": "number", "value_type": "int", **bounds(info)}
    if base is float:
        return {"widget": "number", "value_type": "float", **bounds(info)}
    if base is datetime:
        return {"widget": "datetime", "format": DATETIME_FORMAT, "date_format": SHOWN_DATE,
                "time_format": SHOWN_TIME, "picker_utc": False}
    if base is date:
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": SHOWN_DATE, "time_format": False,
                "picker_utc": False}
    if base is str:
        return {"widget": str(wanted.get("widget") or "string")}
    return None


def default_of(info: FieldInfo) -> tuple[bool, Any]:
    """Whether the form should start with the model's default, and that default."""
    if info.is_required():
        return False, None
    value = info.get_default(call_default_factory=True)
    if isinstance(value, bool) or (isinstance(value, str) and value):
        return True, value
    return False, None


def form_field(name: str, info: FieldInfo, relation: Relation, nested: Callable[[type, bool], list],
               required: bool) -> Optional[Widget]:
    """One field of a form: label, name, widget, required exactly as the model says, hint from its description."""
    widget = widget_for(shape_of(info.annotation), info, relation, nested)
    if widget is None:
        return None
    field: Widget = {"label": info.title or label(name), "name": name, **widget, "required": required}
    if extra(info).get("widget") == "image":
        field["widget"] = "image"
        field["choose_url"] = True
    has_default, value = default_of(info)
    if has_default:
        field["default"] = value
    if info.description:
        field["hint"] = info.description
    return field


def model_fields(model: type[BaseModel], relation: Relation, skip: frozenset = frozenset(),
                 optional: frozenset = frozenset(), asked: bool = True) -> list[Widget]:
    """Every field of a model as form fields, in the model's order; nested models are groups of fields.

    `optional` names fields the form must not insist on although the model does (the site fills them).
    A group holding a people relation needs none of its other fields: the people.yaml entry fills them.
    An optional group (`asked` false: an image) insists on nothing, since the form cannot require its
    fields only once one of them is filled; the loader still names a missing one (`image.alt`).
    """
    found = []
    filled_by_relation = any(extra(i).get("relation") == "people" for i in model.model_fields.values())
    for name, info in in_form_order(model):
        if name in skip:
            continue
        required = asked and info.is_required() and name not in optional and not filled_by_relation
        field = form_field(info.alias or name, info, relation,  # `except`, `from`: the name front matter uses
                           lambda inner, needed: model_fields(inner, relation, asked=needed), required)
        if field is not None:
            found.append(field)
    return found


def in_form_order(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """A choice from people.yaml first, then the title, the kind's own fields, the shared ones, the text last."""
    shared = set()
    for base in model.__mro__[1:]:
        shared |= set(getattr(base, "model_fields", {}) or {}) if is_model(base) and base is not BaseModel else set()
    own_first = [(name, info) for name, info in model.model_fields.items() if name not in shared]

    def rank(item: tuple[str, FieldInfo]) -> int:
        name, info = item
        return (0 if extra(info).get("relation") == "people" else 1 if name == "title" else
                2 if item in own_first else 4 if name in ("body",) else 3)

    return sorted(model.model_fields.items(), key=rank)


def field_names(fields: list[Widget], prefix: str = "") -> set[str]:
    """Every field path a form holds (`speakers.name`), to compare with the model's."""
    names = set()
    for field in fields:
        path = prefix + field["name"]
        names.add(path)
        names |= field_names(field.get("fields", []), path + ".")
    return names


def model_paths(model: type[BaseModel], skip: frozenset = frozenset(), prefix: str = "") -> set[str]:
    """Every field path a model holds, nested models included, for the coverage test."""
    names = set()
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        written = info.alias or name  # as front matter spells it
        names.add(prefix + written)
        shape = shape_of(info.annotation)
        if is_model(shape.base) and not extra(info).get("relation"):
            names |= model_paths(shape.base, prefix=prefix + written + ".")
    return names
