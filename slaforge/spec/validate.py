"""Located data -> a checked Spec: the one way every spec is made, whatever files it came from.

The loader (one spec file), an offer (one spec per tier) and a portfolio (one spec per document)
each build plain data and a source map that locates every value in the files it was written in;
:func:`check_data` validates the data with the models, runs every semantic check
(:mod:`slaforge.spec.checks`) and sorts what it finds into errors and warnings.  With ``strict``,
warnings are errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from slaforge.errors import Problem, as_errors, in_order
from slaforge.spec.checks import check_spec, reference_problems
from slaforge.spec.models import Spec
from slaforge.spec.problems import problems_from_pydantic
from slaforge.spec.source import SourceMap


@dataclass(frozen=True)
class CheckedData:
    """A spec made from data, or the errors that stop it; warnings for a reviewer either way."""

    spec: Spec | None  # None when there is an error
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def check_data(data: Any, source: SourceMap, base: Path, strict: bool = False) -> CheckedData:
    """Validate ``data`` as a Spec and check it; ``base`` is the folder relative paths start from."""
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        # every problem in one run: the ids that name nothing too, read from the data as written
        found = [*problems_from_pydantic(exc, source), *reference_problems(data, source)]
        return CheckedData(None, tuple(in_order(found)), ())
    found = check_spec(spec, source, base)
    errors = tuple(as_errors(p for p in found if p.severity == "error" or strict))
    warnings = () if strict else tuple(p for p in found if p.severity == "warning")
    return CheckedData(None if errors else spec, errors, warnings)
