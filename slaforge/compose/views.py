"""The read-only view of a spec that clause bodies see: mappings and lists that know their dotted path.

A clause that prints a value the spec lacks can then be told exactly which one.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from pydantic import BaseModel

from slaforge.text import LongDate


class PathDict(dict[str, Any]):
    """A mapping that knows where it sits in the spec, for error messages; ``fields`` are the keys the spec
    itself holds (a composer adds computed values beside them)."""

    path: str = ""
    fields: frozenset[str] = frozenset()


class PathList(list[Any]):
    path: str = ""


def path_view(value: Any, path: str) -> Any:
    """``value`` (a model, mapping, list or scalar) as clause bodies read it: mappings and lists that know
    their dotted ``path``, enums as their values, dates as a contract writes them."""
    if isinstance(value, BaseModel):
        out = PathDict()
        out.path = path
        for name in type(value).model_fields:
            out[name] = path_view(getattr(value, name), f"{path}.{name}")
        out.fields = frozenset(out)
        return out
    if isinstance(value, dict):
        out = PathDict()
        out.path = path
        for key, item in value.items():
            out[key] = path_view(item, f"{path}.{key}")
        out.fields = frozenset(out)
        return out
    if isinstance(value, list | tuple):
        items = PathList(path_view(item, f"{path}[{i}]") for i, item in enumerate(value))
        items.path = path
        return items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return LongDate(value.year, value.month, value.day)
    return value
