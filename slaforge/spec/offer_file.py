"""The offer file's shape: what ``slaforge offers`` reads, validated before its tiers are expanded.

:mod:`slaforge.layers.offer` expands it into one spec per tier; :mod:`slaforge.spec.schema` gives its
JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from slaforge.spec.models import Identifier


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfferInfo(_Model):
    valid_until: dt.date = Field(description="Last day on which the customer may accept the offer")
    title: str | None = Field(None, description="Title of the comparison; default: the base agreement's title")


class Tier(_Model):
    id: Identifier = Field(description="Short name used in file names, e.g. gold")
    name: str = Field(min_length=1, description="How the documents name the tier, e.g. Gold")
    summary: str | None = Field(None, description="One line for the comparison matrix")
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="Spec keys that differ from the base (a partial spec, merged into it)"
    )


class EnvelopeSpec(_Model):
    preferred: Any = Field(description="The value the provider asks for")
    fallback: Any = Field(description="The concession the provider is ready to make")
    limit: Any = Field(description="The walk-away limit the provider will not go beyond")
    better: Literal["higher", "lower"] | None = Field(
        None, description="Which way is better for the customer; needed only for terms slaforge does not know"
    )
    note: str | None = Field(None, description="For the negotiator: shown on the internal sheet")


class OfferFile(_Model):
    slaforge: Literal[1] = Field(1, description="Version of the slaforge file format (1)")
    offer: OfferInfo = Field(description="The offer's title and the last day it may be accepted")
    base: dict[str, Any] = Field(
        description="The spec every tier starts from; its envelopes supply the terms under negotiation"
    )
    tiers: list[Tier] = Field(min_length=2, description="Lowest tier first")
    envelopes: dict[str, EnvelopeSpec] = Field(
        default_factory=dict,
        description="Negotiation envelopes of negotiable terms, keyed by path, e.g. services[wan].availability.target",
    )
