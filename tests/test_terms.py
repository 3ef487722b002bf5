"""Which way is better for the customer: one table (slaforge.terms.direction), read by every comparison."""

from __future__ import annotations

import json
import types
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.spec import load_spec
from slaforge.spec.models import Spec
from slaforge.spec.units import Duration, Money, Pct
from slaforge.terms.comparable import spec_terms
from slaforge.terms.direction import DIRECTIONS, Better, better, envelope_direction

ROOT = Path(__file__).resolve().parent.parent
V1 = ROOT / "samples" / "versions" / "v1.yaml"
ORDERED = (Pct, Duration, Money, Decimal, int, float, bool)  # values that can be more or less


def _unwrap(annotation: typing.Any) -> list[typing.Any]:
    """The types an annotation may hold: Annotated, Optional and unions opened up."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) if a is not type(None) for t in _unwrap(a)]
    return [annotation]


def fields(model: type[BaseModel] = Spec, prefix: str = "") -> dict[str, list[typing.Any]]:
    """Every field path of the spec (list selectors and mapping keys left out) -> the types it holds."""
    out: dict[str, list[typing.Any]] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        kinds = _unwrap(info.annotation)
        out[path] = kinds
        for kind in kinds:
            args = typing.get_args(kind)
            inner = args[-1] if typing.get_origin(kind) in (list, dict) and args else kind
            for item in _unwrap(inner):
                if isinstance(item, type) and issubclass(item, BaseModel):
                    out.update(fields(item, path))
    return out


def comparable(kinds: list[typing.Any]) -> bool:
    return any(isinstance(k, type) and issubclass(k, ORDERED) for k in kinds)


def test_every_field_that_can_be_more_or_less_has_a_direction() -> None:
    missing = sorted(path for path, kinds in fields().items() if comparable(kinds) and path not in DIRECTIONS)
    assert not missing, f"say in slaforge/terms/direction.py which way is better for the customer: {missing}"


def test_every_direction_names_a_field_of_the_spec() -> None:
    known = fields()
    stale = sorted(path for path in DIRECTIONS if path not in known)
    assert not stale, stale


@pytest.mark.parametrize("sample", sorted((ROOT / "samples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_term_that_tiers_and_levels_compare_has_a_direction(sample: Path) -> None:
    for term in spec_terms(load_spec(sample).spec):
        if term.kind in ("info", "price"):
            continue
        assert term.better in (Better.higher, Better.lower, Better.more), term.key


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [("38500 GBP", "99999 GBP", "worse"), ("38500 GBP", "30000 GBP", "better")],
)
def test_diff_says_a_higher_fee_is_worse_for_the_customer(tmp_path: Path, old: str, new: str, direction: str) -> None:
    text = V1.read_text(encoding="utf-8")
    line = f"    fee: {old}\n"
    assert text.count(line) == 1  # the service's fee (the credit scheme's fee is indented less)
    changed = tmp_path / "v1-fee.yaml"
    changed.write_text(text.replace(line, f"    fee: {new}\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(V1), str(changed), "--format", "json"])
    assert result.exit_code == 0, result.output
    values = [c for c in json.loads(result.output)["changes"] if c["type"] == "value"]
    assert [(c["path"], c["direction"]) for c in values] == [("services[wan].fee", direction)]


def test_an_envelope_reads_its_direction_from_the_same_table() -> None:
    assert envelope_direction("services[wan].fee") == better("services.fee") == Better.lower
    assert envelope_direction("service_credits.claim.deadline") == Better.higher
    assert envelope_direction("positions[penalties.caps]") == Better.higher
    assert envelope_direction("agreement.term.initial") is None  # neither way: the envelope must say
