"""``slaforge explain SPEC_OR_PORTFOLIO PATH``: where a value comes from and what it overrode.

``PATH`` is dotted; a list item is addressed by its id or by ``[i]``:
``services.email.availability.target``, ``services[email].availability.target``,
``responsiveness.severities.P1.response``, ``service_credits.bands[0].credit``.
A path that names a mapping or a list explains every value below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.errors import InvalidArgument, SpecError
from slaforge.spec.paths import PathError, locate, named, tokens
from slaforge.spec.source import Loc, dotted


@dataclass(frozen=True)
class Setting:
    value: Any
    where: str  # file:line:column
    level: str


@dataclass(frozen=True)
class Explained:
    path: str  # as the spec's own dotted path: services[0].availability.target
    named: str  # with ids: services[email].availability.target
    chain: tuple[Setting, ...]  # in effect first, then what it overrode, newest first
    exception: str | None = None  # the reason, when the value is an agreed exception


@dataclass(frozen=True)
class Explanation:
    document: str  # "Service SLA NW-SVC-CONTOSO-WAN v1.1 (document contoso-wan)"
    values: tuple[Explained, ...]


def where(data: Any, text: str) -> Loc:
    """The loc that ``text`` addresses in ``data`` (a plain key selects a list item by id, too)."""
    try:
        return locate(data, text, keys_select=True)
    except PathError as exc:
        raise InvalidArgument(str(exc)) from None


def leaves(data: Any, loc: Loc) -> list[Loc]:
    node = data
    for part in loc:
        node = node[part]
    if isinstance(node, dict):
        return [leaf for key in node for leaf in leaves(data, (*loc, key))]
    if isinstance(node, list) and any(isinstance(item, dict | list) for item in node):
        return [leaf for i in range(len(node)) for leaf in leaves(data, (*loc, i))]
    return [loc]


def show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if value is None:
        return "~"
    return str(value)


def explain(path: Path, text: str, document_id: str | None = None) -> Explanation:
    from slaforge.layers.inherit import is_portfolio_file, not_a_portfolio

    if is_portfolio_file(path):
        return _explain_portfolio(path, text, document_id)
    if document_id is not None:
        raise not_a_portfolio(path)
    return _explain_spec(path, text)


def _explain_spec(path: Path, text: str) -> Explanation:
    from slaforge.spec.loader import load_spec, read_yaml

    loaded = load_spec(path)
    data, source = read_yaml(path)
    loc = where(data, text)
    values = []
    for leaf in leaves(data, loc):
        line, column = source.locate(leaf)
        node = data
        for part in leaf:
            node = node[part]
        setting = Setting(node, f"{source.file}:{line}:{column}", loaded.spec.level.value)
        values.append(Explained(dotted(leaf), named(data, leaf), (setting,)))
    agreement = loaded.spec.agreement
    return Explanation(f"{agreement.title}, {agreement.id} v{agreement.version} ({path})", tuple(values))


def _explain_portfolio(path: Path, text: str, document_id: str | None) -> Explanation:
    from slaforge.layers.documents import portfolio_document
    from slaforge.layers.levels import check_levels

    # a portfolio whose levels disagree is still explained: that is when a user asks where a value comes from
    portfolio, document = portfolio_document(path, document_id, checked=False)
    loc = where(document.data, text)
    report = check_levels(portfolio)
    agreed = {tokens(e.key): e for d in (*document.above, document.id) for e in report.agreed.get(d, [])}
    values = []
    for leaf in leaves(document.data, loc):
        chain = document.chain(leaf)
        if not chain or (leaf != loc and leaf[-1] == "id"):
            continue
        settings = tuple(Setting(value, origin.where, origin.level) for value, origin in reversed(chain))
        name = named(document.data, leaf)
        exception = next((e.reason for key, e in agreed.items() if tuple(tokens(name))[: len(key)] == key), None)
        values.append(Explained(dotted(leaf), name, settings, exception))
    if not values:
        raise SpecError(f"no value is written at {text} in document {document_id}")
    agreement = document.spec.agreement
    return Explanation(
        f"{document.kind_name} {agreement.id} v{agreement.version} (document {document.id})", tuple(values)
    )


def explanation_data(explanation: Explanation) -> dict[str, Any]:
    """The explanation as JSON values: each value as the spec writes it, where it is set and what it overrode."""

    def setting(s: Setting) -> dict[str, str]:
        return {"value": show(s.value), "where": s.where, "level": s.level}

    return {
        "document": explanation.document,
        "values": [
            {
                "path": item.path,
                "named": item.named,
                **setting(item.chain[0]),
                "overrode": [setting(s) for s in item.chain[1:]],
                "exception": " ".join(item.exception.split()) if item.exception else None,
            }
            for item in explanation.values
        ],
    }


def explanation_text(explanation: Explanation) -> str:
    lines = [explanation.document]
    for item in explanation.values:
        current, *older = item.chain
        lines.append(f"{item.named} = {show(current.value)}")
        lines.append(f"  set at {current.where} ({current.level} level)")
        for setting in older:
            lines.append(f"  overrode {show(setting.value)} at {setting.where} ({setting.level} level)")
        if item.exception:
            lines.append(f"  agreed exception: {' '.join(item.exception.split())}")
    return "\n".join(lines)
