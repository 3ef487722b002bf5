"""Offer files for the offer tests: the sample's base with tiers and envelopes written by each test."""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "offers" / "tiered-offer.yaml"


def head() -> str:
    """The sample offer up to its tiers: the offer block and the whole base spec."""
    text = SAMPLE.read_text(encoding="utf-8")
    return text.split("\ntiers:\n", 1)[0] + "\n"


def dump(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def with_fee(overrides: dict[str, Any], fee: str) -> dict[str, Any]:
    """``overrides`` plus the WAN service's fee (merged into its services item, if it has one)."""
    out = copy.deepcopy(overrides)
    services = out.setdefault("services", [])
    for item in services:
        if item.get("id") == "wan":
            item.setdefault("fee", fee)
            return out
    services.append({"id": "wan", "fee": fee})
    return out


# the base leaves the claim deadline to this envelope, as the sample does
CLAIM_DEADLINE = {"service_credits.claim.deadline": {"preferred": "30 days", "fallback": "45 days", "limit": "60 days"}}


def offer_text(tiers: list[dict[str, Any]], envelopes: dict[str, Any] | None = None) -> str:
    return head() + dump({"tiers": tiers}) + dump({"envelopes": {**CLAIM_DEADLINE, **(envelopes or {})}})


def two_tiers(low: dict[str, Any], high: dict[str, Any], fees: tuple[str, str] = ("29500 GBP", "38500 GBP")) -> str:
    return offer_text(
        [
            {"id": "low", "name": "Low", "overrides": with_fee(low, fees[0])},
            {"id": "high", "name": "High", "overrides": with_fee(high, fees[1])},
        ]
    )


def write(tmp_path: Path, text: str, name: str = "offer.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based number of the first line containing ``needle`` (after the first line containing ``after``)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1
