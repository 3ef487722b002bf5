"""The spec reference in Markdown, generated from the models (``slaforge schema --markdown``).

``docs/spec-reference.md`` is this function's output; a test keeps the two equal.
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from slaforge.spec.models import Spec
from slaforge.spec.units import Duration, Money, Pct


def _type_name(annotation: Any, models: list[type[BaseModel]]) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0], models)
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a, models) for a in args if a is not type(None)]
        return " or ".join(names)
    if origin is list:
        return f"list of {_type_name(args[0], models)}"
    if origin is dict:
        return f"mapping of {_type_name(args[0], models)} to {_type_name(args[1], models)}"
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            if annotation not in models:
                models.append(annotation)
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        if issubclass(annotation, Enum):
            return " \\| ".join(f"`{m.value}`" for m in annotation)
        if issubclass(annotation, Pct):
            return "percentage (`99.95%`)"
        if issubclass(annotation, Duration):
            return "duration (`15m`, `4h`, `2 business days`, `PT4H`)"
        if issubclass(annotation, Money):
            return "money (`12000 EUR`)"
        return {"str": "text", "int": "whole number", "bool": "`true` \\| `false`", "date": "date (`2027-04-01`)",
                "Decimal": "number"}.get(annotation.__name__, annotation.__name__)  # fmt: skip
    return str(annotation)


def _default(info: Any) -> str:
    if info.is_required():
        return "**required**"
    value = info.default_factory() if info.default_factory is not None else info.default
    if value is None or value is PydanticUndefined or value == [] or value == {}:
        return ""
    if isinstance(value, BaseModel):
        return "(defaults)"
    if isinstance(value, Enum):
        return f"`{value.value}`"
    if isinstance(value, list):
        return ", ".join(f"`{v.value if isinstance(v, Enum) else v}`" for v in value)
    return f"`{value}`"


def spec_reference() -> str:
    models: list[type[BaseModel]] = [Spec]
    sections = [
        "# Spec reference",
        "",
        "Generated from the models by `slaforge schema --markdown`; do not edit by hand.",
        "Every mapping rejects unknown keys. Values carry units: percentages `99.95%`, durations `15m`, `4h`, "
        "`2 business days`, `36 months` (calendar months) or ISO 8601 `PT4H`, `P3M`, money `12000 EUR`, "
        "dates `2027-04-01`.",
    ]
    index = 0
    while index < len(models):
        model = models[index]
        index += 1
        rows = []
        for name, info in model.model_fields.items():
            key = info.alias or name
            kind = _type_name(info.annotation, models)
            description = (info.description or "").replace("|", "\\|")
            rows.append(f"| `{key}` | {kind} | {_default(info)} | {description} |")
        doc = " ".join((model.__doc__ or "").split())
        sections += ["", f"## {model.__name__}", ""]
        if doc:
            sections += [doc, ""]
        sections += ["| key | type | default | meaning |", "|---|---|---|---|", *rows]
    return "\n".join(sections) + "\n"
