"""``slaforge resolve PORTFOLIO --document ID``: a document's merged spec, each value with where it was set.

The merged spec is the data every layer of the document wrote (the portfolio and its service
catalogue, the documents above it, its own fragments), merged as the build merges it and checked as
the build checks it.  As YAML, every value carries a comment naming the file, line, column and level
that set it and the values it overrode; as JSON, the spec and a map from each value's dotted path
to where it was set.  A plain spec file resolves to itself, each value with its line.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.portfolio.explain import show
from slaforge.spec.source import Loc, dotted


@dataclass(frozen=True)
class Setting:
    file: str
    line: int
    column: int
    level: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Resolved:
    title: str  # "Service SLA NW-SVC-CONTOSO-WAN v1.1 (document contoso-wan of samples/portfolio/portfolio.yaml)"
    data: dict[str, Any]
    # loc -> what set the value there, newest first (the first is in effect), with the values it overrode
    settings: dict[Loc, tuple[tuple[Any, Setting], ...]]
    layered: bool = True  # merged from several files (a portfolio's document), not one spec file


def resolve_document(path: Path, document_id: str | None = None, strict: bool = False) -> Resolved:
    from slaforge.layers.inherit import is_portfolio_file

    if is_portfolio_file(path):
        return _portfolio(path, document_id, strict)
    from slaforge.layers.documents import load_document
    from slaforge.spec.loader import read_yaml

    loaded = load_document(path, document_id, strict)  # the spec must be valid, as in a build
    data, source = read_yaml(path)
    level = loaded.spec.level.value
    settings = {}
    for loc in _locs(data):
        hit = source.positions.get(loc)
        if hit:
            settings[loc] = ((_value(data, loc), Setting(source.file, hit[0], hit[1], level)),)
    agreement = loaded.spec.agreement
    return Resolved(f"{agreement.title}, {agreement.id} v{agreement.version} ({path})", data, settings, False)


def _portfolio(path: Path, document_id: str | None, strict: bool) -> Resolved:
    from slaforge.layers.documents import portfolio_document

    # a portfolio whose levels disagree still resolves: that is when a user needs to see what a document says
    _, document = portfolio_document(path, document_id, strict, checked=False)
    settings = {}
    for loc in _locs(document.data):
        chain = document.chain(loc)
        if chain:
            settings[loc] = tuple(
                (value, Setting(origin.file, origin[0], origin[1], origin.level)) for value, origin in reversed(chain)
            )
    agreement = document.spec.agreement
    title = f"{document.kind_name} {agreement.id} v{agreement.version} (document {document.id} of {path})"
    return Resolved(title, document.data, settings)


def _locs(data: Any, loc: Loc = ()) -> list[Loc]:
    out: list[Loc] = [loc] if loc else []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_locs(value, (*loc, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_locs(value, (*loc, i)))
    return out


def _value(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


# ------------------------------------------------------------------ output


def as_json(resolved: Resolved) -> str:
    origins = {
        dotted(loc): {
            "file": chain[0][1].file,
            "line": chain[0][1].line,
            "column": chain[0][1].column,
            "level": chain[0][1].level,
            "overrode": [
                {"value": _plain(v), "where": s.where, "level": s.level} for v, s in chain[1:] if v != chain[0][0]
            ],
        }
        for loc, chain in resolved.settings.items()
        if not isinstance(_value(resolved.data, loc), dict | list) or _scalars(_value(resolved.data, loc))
    }
    return json.dumps({"document": resolved.title, "spec": _plain(resolved.data), "origins": origins}, indent=2) + "\n"


def as_yaml(resolved: Resolved) -> str:
    """The merged spec as YAML, each value followed by a comment saying where it was set."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def build(value: Any, loc: Loc) -> Any:
        if isinstance(value, dict):
            node = CommentedMap()
            for key, item in value.items():
                node[key] = build(item, (*loc, key))
                note = _note(resolved, (*loc, key), item)
                if note:
                    node.yaml_add_eol_comment(f"# {note}", key, column=0)
            return node
        if isinstance(value, list):
            seq = CommentedSeq()
            for i, item in enumerate(value):
                seq.append(build(item, (*loc, i)))
                if not _scalars(value):
                    note = _note(resolved, (*loc, i), item)
                    if note:
                        seq.yaml_add_eol_comment(f"# {note}", i, column=0)
            if _scalars(value):
                seq.fa.set_flow_style()
            return seq
        return value

    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # a comment stays on its value's line
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    stream.write(f"# {resolved.title}\n")
    if resolved.layered:
        stream.write("# merged from every layer; each comment names the file:line:column and level that set it\n")
    else:
        stream.write("# each comment names the file:line:column of the value\n")
    yaml.dump(build(resolved.data, ()), stream)
    return stream.getvalue()


def _note(resolved: Resolved, loc: Loc, value: Any) -> str | None:
    if isinstance(value, dict) or (isinstance(value, list) and not _scalars(value)):
        return None
    chain = resolved.settings.get(loc)
    if not chain:
        return None
    (_, current), *older = chain
    text = f"{current.where} ({current.level})"
    for old, setting in older:
        if old != chain[0][0]:  # a layer that only repeats the value overrides nothing
            text += f"; overrode {show(old)} at {setting.where} ({setting.level})"
    return text


def _scalars(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(item, dict | list) for item in value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
