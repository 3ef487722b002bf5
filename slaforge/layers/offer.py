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
replaced whole; ``~`` (null) removes a key (:mod:`slaforge.spec.merge`).  The
merged data keeps a source map whose every path points at the line where its
value was written (in the base, in the tier, or in the envelope), so every
error of a tier is located in the offer file.

Envelope keys are paths of :mod:`slaforge.spec.paths`:
``services[wan].availability.target``, ``positions[penalties.caps]``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from slaforge.errors import Problem, Problems, SpecError, merge_repeats
from slaforge.spec.loader import LoadedSpec, read_yaml
from slaforge.spec.merge import Merger
from slaforge.spec.models import Spec
from slaforge.spec.offer_file import EnvelopeSpec, OfferFile, OfferInfo, Tier
from slaforge.spec.paths import Part, PathError, locate, parse_path, value_at
from slaforge.spec.problems import problems_from_pydantic
from slaforge.spec.source import Loc, SourceMap
from slaforge.spec.validate import check_data

Position = Literal["preferred", "fallback"]
OFFER_KEYS = ("offer", "base", "tiers")


@dataclass(frozen=True)
class Envelope:
    path: str  # as written: services[wan].availability.target
    parts: tuple[Part, ...]  # parsed path
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
        raise Problems(problems_from_pydantic(exc, source, OfferFile)).exception() from None
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
    Problems(merge_repeats(problems, "tier")).raise_errors()
    return Offer(
        path=path,
        info=offer.offer,
        source=source,
        tiers=tuple(drafts),
        envelopes=tuple(envelopes),
        position=position,
        base_id=_base_id(data["base"], drafts),
        warnings=tuple(merge_repeats(warnings, "tier")),
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
            loc = locate(data, envelope.parts, create=True)
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
    checked = check_data(data, tier_source, path.parent)
    problems.extend(_in_tier(p, tier) for p in (*checked.errors, *checked.warnings))
    if checked.spec is None or any(p.severity == "error" for p in problems):
        return None, problems
    loaded = LoadedSpec(spec=checked.spec, path=path, source=tier_source, warnings=())
    return TierDraft(tier=tier, index=index, data=data, loaded=loaded), problems


def _base_id(base: dict[str, Any], drafts: list[TierDraft]) -> str:
    agreement = base.get("agreement")
    if isinstance(agreement, dict) and isinstance(agreement.get("id"), str):
        return agreement["id"]
    return drafts[0].spec.agreement.id


# ------------------------------------------------------------------ problems


def _in_tier(problem: Problem, tier: Tier) -> Problem:
    return replace(problem, message=f"tier {tier.id}: {problem.message}")
