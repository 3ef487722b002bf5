"""What every model of the spec shares: unknown keys refused, frozen values, and the two plain field types.

The section models live in the modules of their owners (:mod:`slaforge.spec.models`,
:mod:`slaforge.spec.calendars`, ...); each builds on these.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Identifier = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100, description="Letters, digits, '-', '_' and '.'"),
]
Text = Annotated[str, Field(min_length=1)]
