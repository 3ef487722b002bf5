"""Tiered offers: one offer file -> one validated Spec per tier.

An offer file holds a complete spec under ``base:``, the tiers (lowest first)
that override it, and the negotiation envelopes of the negotiable terms::

    offer: {title: ..., valid_until: 2027-03-31}
    base: {agreement: ..., services: ..., ...}       # a whole spec
    tiers:
      - id: gold
        name: Gold
        overrides: {services: [{id: wan, availability: {target: 99.99%}}]}
    envelopes:
      services[wan].availability.target: {preferred: 99.9%, fallback: 99.95%, limit: 99.99%}

Each tier's spec is built as plain data *before* validation, in three layers:
the base; then, for every envelope, its ``preferred`` (or, with
``--position fallback``, its ``fallback``) value at its path; then the tier's
``overrides``, deep-merged.  A tier that sets an enveloped term keeps its own
value.  Merging: mappings merge key by key; a list whose items all carry an
``id`` (services, severities, customers, policies) merges item by item by id
(new ids are appended); any other list (credit bands, time windows, ...) is
replaced whole; ``~`` (null) removes a key.  The merged data keeps a source
map whose every path points at the line where its value was written (in the
base, in the tier, or in the envelope), so every error of a tier is located in
the offer file.

Paths (envelope keys, term keys in messages) are dotted field names; ``[x]``
selects the list item whose ``id`` is ``x`` (or, when no item has that id and
``x`` is a number, the item at that 0-based index), or the mapping key ``x``
(for keys that contain dots): ``services[wan].availability.target``,
``responsiveness.severities[P1].response``, ``service_credits.bands[0].credit``,
``positions[penalties.caps]``.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from slaforge.errors import Problem, SpecError
from slaforge.spec.checks import check_spec
from slaforge.spec.loader import (
    LoadedSpec,
    Loc,
    SourceMap,
    dotted,
    is_schema_tag,
    problem_from_pydantic,
    read_yaml,
)
from slaforge.spec.models import Identifier, Spec

Position = Literal["preferred", "fallback"]
OFFER_KEYS = ("offer", "base", "tiers")


# ------------------------------------------------------------------ the offer file


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfferInfo(_Model):
    valid_until: dt.date = Field(description="Last day on which the customer may accept the offer")
    title: str | None = Field(None, description="Title of the comparison; default: the base agreement's title")


class Tier(_Model):
    id: Identifier = Field(description="Short name used in file names, e.g. gold")
    name: str = Field(min_length=1, description="How the documents name the tier, e.g. Gold")
    summary: str | None = Field(None, description="One line for the comparison matrix")
    overrides: dict[str, Any] = Field(default_factory=dict, description="Spec keys that differ from the base")


class EnvelopeSpec(_Model):
    preferred: Any = Field(description="The value the provider asks for")
    fallback: Any = Field(description="The concession the provider is ready to make")
    limit: Any = Field(description="The walk-away limit the provider will not go beyond")
    better: Literal["higher", "lower"] | None = Field(
        None, description="Which way is better for the customer; needed only for terms slaforge does not know"
    )
    note: str | None = Field(None, description="For the negotiator: shown on the internal sheet")


class OfferFile(_Model):
    slaforge: Literal[1] = 1
    offer: OfferInfo
    base: dict[str, Any]
    tiers: list[Tier] = Field(min_length=2, description="Lowest tier first")
    envelopes: dict[str, EnvelopeSpec] = Field(default_factory=dict)


@dataclass(frozen=True)
class Envelope:
    path: str  # as written: services[wan].availability.target
    parts: tuple[tuple[str, str], ...]  # parsed path
    spec: EnvelopeSpec
    loc: Loc  # of the envelope in the offer file: ("envelopes", path)


@dataclass(frozen=True)
class TierDraft:
    tier: Tier
    index: int
    data: dict[str, Any]
    loaded: LoadedSpec  # spec + the source map of the merged data, located in the offer file

    @property
    def spec(self) -> Spec:
        return self.loaded.spec

    @property
    def source(self) -> SourceMap:
        return self.loaded.source


@dataclass(frozen=True)
class Offer:
    path: Path
    info: OfferInfo
    source: SourceMap
    tiers: tuple[TierDraft, ...]
    envelopes: tuple[Envelope, ...]
    position: Position
    base_id: str  # the base agreement's id; each draft's id adds its tier: <base_id>-<tier>
    warnings: tuple[Problem, ...] = field(default=())


def is_offer_file(data: Any) -> bool:
    """An offer file is a mapping with ``offer``, ``base`` and ``tiers`` at the top."""
    return isinstance(data, dict) and all(key in data for key in OFFER_KEYS)


# ------------------------------------------------------------------ paths


_SEGMENT = re.compile(r"\.?(?P<key>[^.\[\]]+)|\[(?P<sel>[^\[\]]+)\]")


class PathError(ValueError):
    pass


def parse_path(text: str) -> tuple[tuple[str, str], ...]:
    """``services[wan].availability.target`` -> ``(("key","services"), ("sel","wan"), ("key","availability"), ...)``."""
    parts: list[tuple[str, str]] = []
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


def locate_path(data: Any, parts: tuple[tuple[str, str], ...], create: bool = False) -> Loc:
    """The loc (keys and list indexes) that ``parts`` address in ``data``; :class:`PathError` when absent.

    With ``create``, missing mapping keys along the way become empty mappings
    (the last one is left for the caller to set).
    """
    loc: list[str | int] = []
    node = data
    for n, (kind, name) in enumerate(parts):
        last = n == len(parts) - 1
        if isinstance(node, list):
            if kind == "key":
                raise PathError(f"{_shown(loc)} is a list: select an item with [id], e.g. {_shown(loc)}[{name}]")
            ids = [item.get("id") for item in node if isinstance(item, dict)]
            if name in ids:
                index = ids.index(name)
            elif name.isdigit() and int(name) < len(node):
                index = int(name)
            else:
                known = ", ".join(str(i) for i in ids if i is not None) or f"indexes 0 to {len(node) - 1}"
                raise PathError(f"{_shown(loc)} has no item {name!r} (it has {known})")
            loc.append(index)
            node = node[index]
        elif isinstance(node, dict):
            if name not in node:
                if not create:
                    raise PathError(f"{_shown(loc) or 'the spec'} has no {name!r}")
                if not last:
                    node[name] = {}
            loc.append(name)
            node = node.get(name)
        else:
            raise PathError(f"{_shown(loc)} holds a single value, not {name!r}")
    return tuple(loc)


def _shown(loc: Loc | list[str | int]) -> str:
    return dotted(tuple(loc))


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


# ------------------------------------------------------------------ merging with positions


class Merger:
    """Builds merged data and its positions; ``out`` maps merged locs to offer-file positions."""

    def __init__(self, source: SourceMap, out: dict[Loc, tuple[int, int]], problems: list[Problem]) -> None:
        self.source = source
        self.out = out
        self.problems = problems

    def take(self, value: Any, src: Loc, dst: Loc) -> Any:
        """A copy of ``value`` (read at ``src`` in the offer file) placed at ``dst``."""
        position = self.source.positions.get(src)
        if position:
            self.out[dst] = position
        if isinstance(value, dict):
            return {k: self.take(v, (*src, k), (*dst, k)) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [self.take(v, (*src, i), (*dst, i)) for i, v in enumerate(value)]
        return value

    def drop(self, dst: Loc) -> None:
        for loc in [loc for loc in self.out if loc[: len(dst)] == dst]:
            del self.out[loc]

    def merge(self, base: Any, over: Any, src: Loc, dst: Loc) -> Any:
        if isinstance(base, dict) and isinstance(over, dict):
            result = dict(base)
            for key, value in over.items():
                if value is None:
                    result.pop(key, None)
                    self.drop((*dst, key))
                elif key in base:
                    result[key] = self.merge(base[key], value, (*src, key), (*dst, key))
                else:
                    result[key] = self.take(value, (*src, key), (*dst, key))
            return result
        if _is_id_list(base) and isinstance(over, list):
            return self._merge_by_id(base, over, src, dst)
        self.drop(dst)
        return self.take(over, src, dst)

    def _merge_by_id(self, base: list[Any], over: list[Any], src: Loc, dst: Loc) -> list[Any]:
        result = list(base)
        ids = [item["id"] for item in base]
        for i, item in enumerate(over):
            if not (isinstance(item, dict) and "id" in item):
                self.problems.append(
                    self.source.problem(
                        (*src, i),
                        f"the items of {_shown(dst)} are merged by id: give the id of the item to change",
                        given=repr(item) if not isinstance(item, dict) else "an item without 'id'",
                        expected="a mapping with 'id', e.g. {id: " + str(ids[0]) + ", ...}",
                        code="tier-merge",
                    )
                )
                continue
            if item["id"] in ids:
                index = ids.index(item["id"])
                result[index] = self.merge(base[index], item, (*src, i), (*dst, index))
            else:
                result.append(self.take(item, (*src, i), (*dst, len(result))))
                ids.append(item["id"])
        return result


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) and "id" in i for i in value)


# ------------------------------------------------------------------ reading and expanding


def read_offer(path: Path | str, position: Position = "preferred") -> Offer:
    """Read an offer file and expand it into one validated, checked spec per tier.

    Raises :class:`SpecError` with every problem: the offer's own structure,
    envelope paths, each tier's validation and spec checks.  Tier ordering and
    envelope limits are checked separately (:mod:`slaforge.terms.ordering`,
    :mod:`slaforge.offers.negotiation`).
    """
    path = Path(path)
    data, source = read_yaml(path)
    if not is_offer_file(data):
        raise SpecError(
            "not an offer file",
            [
                source.problem(
                    (),
                    "an offer file is a mapping with 'offer', 'base' and 'tiers' (and usually 'envelopes')",
                    given="a mapping with keys " + ", ".join(map(str, data)) if isinstance(data, dict) else None,
                    expected="offer, base, tiers, envelopes",
                    code="not-an-offer",
                )
            ],
        )
    try:
        offer = OfferFile.model_validate(data)
    except ValidationError as exc:
        problems = [_offer_problem(error, source) for error in exc.errors()]
        raise SpecError(_summary(problems), _sorted(problems)) from None
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, tier in enumerate(offer.tiers):
        if tier.id in seen:
            problems.append(source.problem(("tiers", i, "id"), f"duplicate tier id {tier.id!r}", code="duplicate-id"))
        seen[tier.id] = i
    envelopes = []
    for key, spec in offer.envelopes.items():
        try:
            envelopes.append(Envelope(key, parse_path(key), spec, ("envelopes", key)))
        except PathError as exc:
            problems.append(source.problem(("envelopes", key), str(exc), given=key, code="bad-path"))
    base, base_positions = _base_layer(data["base"], source, envelopes, position, problems)
    drafts: list[TierDraft] = []
    warnings: list[Problem] = []
    for index, tier in enumerate(offer.tiers):
        draft, tier_problems = _expand_tier(path, source, base, base_positions, tier, index)
        for problem in tier_problems:
            (warnings if problem.severity == "warning" else problems).append(problem)
        if draft is not None:
            drafts.append(draft)
    problems = _merge_tier_duplicates(problems)
    if problems:
        raise SpecError(_summary(problems), _sorted(problems))
    return Offer(
        path=path,
        info=offer.offer,
        source=source,
        tiers=tuple(drafts),
        envelopes=tuple(envelopes),
        position=position,
        base_id=_base_id(data["base"], drafts),
        warnings=tuple(_merge_tier_duplicates(warnings)),
    )


def _base_layer(
    base: dict[str, Any], source: SourceMap, envelopes: list[Envelope], position: Position, problems: list[Problem]
) -> tuple[dict[str, Any], dict[Loc, tuple[int, int]]]:
    """The base spec with each envelope's chosen value written in at its path."""
    positions: dict[Loc, tuple[int, int]] = {}
    merger = Merger(source, positions, problems)
    data = merger.take(base, ("base",), ())
    for envelope in envelopes:
        value = getattr(envelope.spec, position)
        try:
            loc = locate_path(data, envelope.parts, create=True)
        except PathError as exc:
            problems.append(
                source.problem(envelope.loc, f"envelope {envelope.path}: {exc}", given=envelope.path, code="bad-path")
            )
            continue
        parent = value_at(data, loc[:-1])
        parent[loc[-1]] = copy.deepcopy(value)
        merger.drop(loc)
        where = source.positions.get((*envelope.loc, position)) or source.positions.get(envelope.loc)
        if where:
            positions[loc] = where
    return data, positions


def _expand_tier(
    path: Path,
    source: SourceMap,
    base: dict[str, Any],
    base_positions: dict[Loc, tuple[int, int]],
    tier: Tier,
    index: int,
) -> tuple[TierDraft | None, list[Problem]]:
    problems: list[Problem] = []
    positions = dict(base_positions)
    merger = Merger(source, positions, problems)
    data = merger.merge(copy.deepcopy(base), tier.overrides, ("tiers", index, "overrides"), ())
    agreement = data.get("agreement")
    if isinstance(agreement, dict):
        written = tier.overrides.get("agreement")
        if not (isinstance(written, dict) and "id" in written) and isinstance(agreement.get("id"), str):
            agreement["id"] = f"{agreement['id']}-{tier.id}"
            tier_id_position = source.positions.get(("tiers", index, "id"))
            if tier_id_position:
                positions[("agreement", "id")] = tier_id_position
        agreement["status"] = "draft"
    tier_source = SourceMap(source.file, positions)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        return None, [*problems, *(_in_tier(problem_from_pydantic(e, tier_source), tier) for e in exc.errors())]
    found = check_spec(spec, tier_source, base=path.parent)
    problems.extend(_in_tier(p, tier) for p in found)
    if any(p.severity == "error" for p in problems):
        return None, problems
    loaded = LoadedSpec(spec=spec, path=path, source=tier_source, warnings=())
    return TierDraft(tier=tier, index=index, data=data, loaded=loaded), problems


def _base_id(base: dict[str, Any], drafts: list[TierDraft]) -> str:
    agreement = base.get("agreement")
    if isinstance(agreement, dict) and isinstance(agreement.get("id"), str):
        return agreement["id"]
    return drafts[0].spec.agreement.id


# ------------------------------------------------------------------ problems


def _in_tier(problem: Problem, tier: Tier) -> Problem:
    return replace(problem, message=f"tier {tier.id}: {problem.message}")


def _merge_tier_duplicates(problems: list[Problem]) -> list[Problem]:
    """A fault in the base shows up once per tier: report it once, naming every tier."""
    groups: dict[tuple[Any, ...], tuple[Problem, list[str]]] = {}
    order: list[tuple[Any, ...]] = []
    for problem in problems:
        match = re.match(r"^tier (\S+): (.*)$", problem.message, re.DOTALL)
        tier, message = (match[1], match[2]) if match else (None, problem.message)
        key = (problem.file, problem.line, problem.column, problem.path, message, problem.severity, tier is None)
        if key not in groups:
            groups[key] = (problem, [])
            order.append(key)
        if tier:
            groups[key][1].append(tier)
    out = []
    for key in order:
        problem, tiers = groups[key]
        if len(tiers) > 1:
            problem = replace(problem, message=f"tiers {', '.join(tiers)}: {key[4]}")
        out.append(problem)
    return out


def _offer_problem(error: Any, source: SourceMap) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if not is_schema_tag(part))
    if error["type"] == "extra_forbidden":
        key = str(loc[-1])
        valid = _offer_keys(loc[:-1])
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        message = f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        return source.problem(loc, message, given=key, expected="one of: " + ", ".join(valid), code="unknown-key")
    if error["type"] == "missing":
        return source.problem(loc, f"required key {str(loc[-1])!r} is missing", code="missing")
    message = str(error["msg"]).removeprefix("Value error, ")
    given = error.get("input")
    shown = None if isinstance(given, dict | list) or given is None else repr(given)
    return source.problem(loc, message, given=shown, code=error["type"])


def _offer_keys(loc: Loc) -> list[str]:
    model: type[BaseModel] = OfferFile
    names = [str(p) for p in loc if isinstance(p, str)]
    if names[:1] == ["offer"]:
        model = OfferInfo
    elif names[:1] == ["tiers"]:
        model = Tier
    elif names[:1] == ["envelopes"]:
        model = EnvelopeSpec
    return sorted(model.model_fields)


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.path or ""))


def _summary(problems: list[Problem]) -> str:
    count = len(problems)
    return f"{count} problem{'s' if count != 1 else ''} found; nothing was written"
