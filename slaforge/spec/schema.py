"""JSON Schemas of every file slaforge reads, for editors (YAML language servers) and other tools.

One schema per kind of file:

- ``spec``: a whole agreement spec;
- ``fragment``: part of a spec that a portfolio document is made of (any subset of the spec's keys,
  plus ``extends`` and ``exceptions``); an item of an id-keyed list needs only its ``id``;
- ``service-fragment``: a portfolio's catalogue file for one service (part of a ``services`` item);
- ``portfolio``: a portfolio file;
- ``offer``: a tiered offer (a spec under ``base``, less the terms its envelopes supply, and a
  fragment under each tier's ``overrides``).

Every schema is JSON Schema 2020-12 and describes every property; the patterns and formats are those
the loader enforces, so an editor flags what ``slaforge validate`` refuses (a test runs a corpus of
mutations through both).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from slaforge import __version__

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("spec", "fragment", "service-fragment", "portfolio", "offer")
TITLES = {
    "spec": "slaforge agreement spec",
    "fragment": "slaforge spec fragment",
    "service-fragment": "slaforge service catalogue fragment",
    "portfolio": "slaforge portfolio",
    "offer": "slaforge tiered offer",
}
DESCRIPTIONS = {
    "spec": "A service level agreement described once, as data; see the README's spec reference.",
    "fragment": "Part of a spec: any of its keys, merged over the files it extends and the levels above it.",
    "service-fragment": "One service of a portfolio's catalogue: the keys of a services item, merged by its id.",
    "portfolio": "The agreements of a provider at the ITIL levels, the fragment files that make each, the parties.",
    "offer": "A tiered offer: a base spec, tiers that override it, and negotiation envelopes.",
}
FRAGMENT_KEYS = {
    "extends": {
        "description": "A fragment file (or list of files), relative to this one, whose keys this file merges over",
        "anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "items": {"type": "string", "minLength": 1}}],
    },
    "exceptions": {
        "description": "Agreed exceptions to a higher level's commitment",
        "type": "array",
        "items": {
            "type": "object",
            "description": "One agreed exception",
            "properties": {
                "path": {
                    "type": "string",
                    "minLength": 1,
                    "description": "The term, e.g. services[email].availability.target",
                },
                "reason": {"type": "string", "minLength": 1, "description": "Why the exception was agreed"},
            },
            "required": ["path", "reason"],
            "additionalProperties": False,
        },
    },
}
PARTIAL = "Partial"


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a ``kind`` of file (one of :data:`KINDS`)."""
    body = {"spec": _spec, "fragment": _fragment, "service-fragment": _service_fragment,
            "portfolio": _portfolio, "offer": _offer}[kind]()  # fmt: skip
    return {
        "$schema": DIALECT,
        "$id": f"https://slaforge.invalid/schema/{kind}-{__version__}.json",
        "title": TITLES[kind],
        "description": DESCRIPTIONS[kind],
        **{key: value for key, value in body.items() if key not in ("title", "description")},
    }


def spec_schema() -> dict[str, Any]:
    return schema("spec")


def text(kind: str) -> str:
    """The schema as the file ``slaforge schema`` writes (same input, same bytes)."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def _model_schema(model: type) -> dict[str, Any]:
    from slaforge.spec.units import MONEY_MARKER, money_schema

    found = model.model_json_schema(mode="validation")  # type: ignore[attr-defined]
    if _referred(found, MONEY_MARKER, {"$ref": "#/$defs/Money"}):  # every amount refers to one definition
        found["$defs"] = dict(sorted({**found.get("$defs", {}), "Money": money_schema()}.items()))
    return _described(found)


def _referred(node: Any, marker: dict[str, str], reference: dict[str, str]) -> bool:
    """Replaces, in place, every ``marker`` key in ``node`` by ``reference``; whether there was one."""
    if isinstance(node, list):
        return any([_referred(value, marker, reference) for value in node])
    if not isinstance(node, dict):
        return False
    here = all(node.get(key) == value for key, value in marker.items())
    if here:
        for key in marker:
            del node[key]
        node.update(reference)
    return any([_referred(value, marker, reference) for value in node.values()]) or here


def _spec() -> dict[str, Any]:
    from slaforge.spec.models import Spec

    return _model_schema(Spec)


def _fragment() -> dict[str, Any]:
    whole = _spec()
    defs = _partial_defs(whole.get("$defs", {}))
    root = _partial(whole, rename=True)
    root.pop("$defs", None)
    root["properties"] = {**root["properties"], **copy.deepcopy(FRAGMENT_KEYS)}
    return {**root, "$defs": defs}


def _service_fragment() -> dict[str, Any]:
    whole = _spec()
    defs = _partial_defs(whole.get("$defs", {}))
    service = copy.deepcopy(defs[PARTIAL + "Service"])
    service["properties"] = {**service["properties"], **copy.deepcopy(FRAGMENT_KEYS)}
    service["required"] = []  # the id comes from the portfolio's catalogue entry
    return {**service, "$defs": defs}


def _portfolio() -> dict[str, Any]:
    from slaforge.spec.portfolio_file import PortfolioFile

    portfolio = _model_schema(PortfolioFile)
    spec = portfolio["$defs"]["DocumentEntry"]["properties"]["spec"]  # one file may be written without a list
    portfolio["$defs"]["DocumentEntry"]["properties"]["spec"] = {
        "description": spec["description"],
        "anyOf": [{"type": "string", "minLength": 1}, {key: spec[key] for key in ("type", "items", "minItems")}],
    }
    return portfolio


def _offer() -> dict[str, Any]:
    from slaforge.spec.offer_file import OfferFile

    offer = _model_schema(OfferFile)
    whole = _spec()
    spec_defs = whole.pop("$defs", {})
    defs = {**_partial_defs(spec_defs), **offer.get("$defs", {})}
    fragment = _partial(whole, rename=True)
    defs[PARTIAL + "Spec"] = fragment
    # the base is checked as a partial spec: an enveloped term may be missing from it, its envelope supplies it
    offer["properties"]["base"] = {
        "$ref": f"#/$defs/{PARTIAL}Spec",
        "description": "The spec every tier starts from; a term under negotiation may be left to its envelope",
    }
    overrides = defs["Tier"]["properties"]["overrides"]
    defs["Tier"]["properties"]["overrides"] = {
        "$ref": f"#/$defs/{PARTIAL}Spec",
        "description": overrides["description"],
    }
    offer["$defs"] = defs
    return offer


def _partial_defs(defs: dict[str, Any]) -> dict[str, Any]:
    items = _item_definitions(defs)
    return {PARTIAL + name: _partial(definition, rename=True, item=name in items) for name, definition in defs.items()}


def _item_definitions(defs: dict[str, Any]) -> set[str]:
    """Definitions that are items of a list (``services``, ``severities``...): merged by their ``id``."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            items = node.get("items")
            if isinstance(items, dict):
                for candidate in [items, *items.get("anyOf", [])]:
                    if "$ref" in candidate:
                        found.add(candidate["$ref"].rsplit("/", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(defs)
    return found


def _partial(node: Any, *, rename: bool, item: bool = False) -> Any:
    """``node`` with nothing required but the ``id`` of a list item, which says which item a fragment
    merges into (a fragment may set any subset of keys), and its references pointing at the partial
    definitions."""
    if isinstance(node, list):
        return [_partial(entry, rename=rename) for entry in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "required" and isinstance(value, list):
            kept = [name for name in value if name == "id" and item]
            if kept:
                out[key] = kept
        elif key == "$ref" and rename and isinstance(value, str) and value.startswith("#/$defs/"):
            out[key] = "#/$defs/" + PARTIAL + value.removeprefix("#/$defs/")
        elif key in ("properties", "$defs", "patternProperties"):
            out[key] = {name: _partial(sub, rename=rename) for name, sub in value.items()}
        elif key in ("default", "examples", "const", "enum"):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = _partial(value, rename=rename)
    return out


def _described(schema: dict[str, Any]) -> dict[str, Any]:
    """A property that refers to a definition and has no description of its own takes the definition's."""
    defs = schema.get("$defs", {})

    def referred(node: dict[str, Any]) -> dict[str, Any] | None:
        for candidate in [node, *node.get("anyOf", []), *node.get("allOf", [])]:
            if isinstance(candidate, dict) and "$ref" in candidate:
                return defs.get(candidate["$ref"].rsplit("/", 1)[-1])
        return None

    for holder in [schema, *defs.values()]:
        for prop in holder.get("properties", {}).values():
            target = referred(prop) or (referred(prop["items"]) if isinstance(prop.get("items"), dict) else None)
            if not prop.get("description") and target and target.get("description"):
                prop["description"] = target["description"]
    return schema
