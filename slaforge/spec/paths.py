"""The dotted-path language: how a user names one value of a spec.

Paths are dotted field names; ``[x]`` selects the list item whose ``id`` is ``x`` (or, when no
item has that id and ``x`` is a number, the item at that 0-based index), or the mapping key ``x``
(for keys that contain dots)::

    services[wan].availability.target
    responsiveness.severities[P1].response
    service_credits.bands[0].credit
    positions[penalties.caps]

Offer envelopes, agreed exceptions of a portfolio and ``slaforge explain`` all name values this
way, and :func:`locate` is the one walker that finds what a path names in the data; ``explain``
also lets a plain key select a list item (``services.email.availability.target``).
"""

from __future__ import annotations

import re
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from slaforge.spec.source import Loc
from slaforge.text import cut

Part = tuple[str, str]  # ("key", name) or ("sel", name)
_SEGMENT = re.compile(r"\.?(?P<key>[^.\[\]]+)|\[(?P<sel>[^\[\]]+)\]")


class PathError(ValueError):
    """A path that cannot be read, or that names nothing in the data."""


def parse_path(text: str) -> tuple[Part, ...]:
    """``services[wan].availability.target`` -> ``(("key","services"), ("sel","wan"), ("key","availability"), ...)``."""
    parts: list[Part] = []
    pos = 0
    while pos < len(text):
        match = _SEGMENT.match(text, pos)
        if not match or (match["key"] is not None and text[pos] == "." and not parts):
            raise PathError(f"cannot read the path {text!r} at character {pos + 1}")
        if match["key"] is not None and text[pos] != "." and parts:
            raise PathError(f"cannot read the path {text!r}: a '.' or '[' must follow ']'")
        parts.append(("key", match["key"]) if match["key"] is not None else ("sel", match["sel"].strip()))
        pos = match.end()
    if not parts or parts[0][0] != "key":
        raise PathError(f"the path {text!r} must start with a key, e.g. services[wan].availability.target")
    return tuple(parts)


def tokens(text: str) -> tuple[str, ...]:
    """``services[email].x`` and ``services.email.x`` -> ``("services", "email", "x")``."""
    return tuple(name for _, name in parse_path(text))


def field_of(path: str) -> str:
    """The field a path names, without list selectors: ``services[wan].fee`` -> ``services.fee``."""
    return ".".join(name for kind, name in parse_path(path) if kind == "key")


def locate(data: Any, path: str | tuple[Part, ...], *, create: bool = False, keys_select: bool = False) -> Loc:
    """The loc (keys and list indexes) that ``path`` names in ``data``; :class:`PathError` when it names nothing.

    With ``create``, missing mapping keys along the way become empty mappings (the last one is left
    for the caller to set).  With ``keys_select``, a plain key selects a list item as ``[key]`` does.
    """
    parts = parse_path(path) if isinstance(path, str) else path
    loc: list[str | int] = []
    node = data
    for n, (kind, name) in enumerate(parts):
        last = n == len(parts) - 1
        here = named(data, tuple(loc))
        if isinstance(node, list):
            if kind == "key" and not keys_select:
                raise PathError(f"{here} is a list: select an item with [id], e.g. {here}[{name}]")
            ids = [item.get("id") if isinstance(item, dict) else None for item in node]
            if name in ids:
                index = ids.index(name)
            elif name.isdigit() and len(name) <= 9 and int(name) < len(node):
                index = int(name)
            else:
                known = ", ".join(str(i) for i in ids if i is not None) or f"indexes 0 to {len(node) - 1}"
                raise PathError(f"{here} has no item {cut(name, 40)!r} (it has {known})")
            loc.append(index)
            node = node[index]
        elif isinstance(node, dict):
            if name not in node:
                if not create:
                    raise PathError(f"{here or 'the spec'} has no {name!r}; it has: {', '.join(map(str, node))}")
                if not last:
                    node[name] = {}
            loc.append(name)
            node = node.get(name)
        else:
            raise PathError(f"{here} holds a single value, not {name!r}")
    return tuple(loc)


def named(data: Any, loc: Loc) -> str:
    """``("services", 0, "availability")`` -> ``services[email].availability`` (ids where items have them)."""
    text, node = "", data
    for part in loc:
        if isinstance(part, int):
            item = node[part]
            label = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else part
            text += f"[{label}]"
        else:
            text += f".{part}" if text else part
        node = node[part]
    return text


def value_at(obj: Any, loc: Loc) -> Any:
    """Follow ``loc`` through validated models, dicts and lists (field aliases such as ``from`` allowed)."""
    for part in loc:
        if obj is None:
            return None
        if isinstance(obj, BaseModel):
            fields = type(obj).model_fields
            name = part if part in fields else next((k for k, f in fields.items() if f.alias == part), part)
            obj = getattr(obj, str(name), None)
        elif isinstance(obj, dict):
            obj = obj.get(part)
        elif isinstance(obj, list | tuple) and isinstance(part, int) and part < len(obj):
            obj = obj[part]
        else:
            return None
    return obj


def model_field(model: type[BaseModel], path: str) -> FieldInfo:
    """The field of ``model`` that the field path ``path`` names, through nested models, lists and mappings
    (``services.availability.target``; list selectors are ignored); :class:`PathError` when it names none."""
    here: list[str] = []
    info: FieldInfo | None = None
    current: type[BaseModel] | None = model
    for name in field_of(path).split("."):
        if current is None:
            raise PathError(f"{'.'.join(here)} holds a value, not the field {name!r}")
        fields = current.model_fields
        found = fields.get(name) or next((f for f in fields.values() if f.alias == name), None)
        if found is None:
            where = ".".join(here) or "the spec"
            raise PathError(f"{where} has no field {name!r}; it has: {', '.join(fields)}")
        here.append(name)
        info = found
        current = _model_in(found.annotation)
    assert info is not None  # field_of never returns an empty path
    return info


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds, through Optional, unions, lists and mapping values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
