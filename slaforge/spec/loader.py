"""Read a spec file: YAML with the line and column of every node, then pydantic.

Every problem is collected (YAML syntax, unknown keys with a suggestion, wrong
types, semantic checks) and raised once as :class:`SpecError`, each located by
file, line, column and dotted path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.errors import Problem, Problems, SpecError
from slaforge.inputs.files import read_text
from slaforge.inputs.yaml import parse_yaml
from slaforge.spec.models import Spec
from slaforge.spec.problems import show
from slaforge.spec.source import SourceMap
from slaforge.spec.validate import check_data


@dataclass(frozen=True)
class LoadedSpec:
    spec: Spec
    path: Path
    source: SourceMap
    warnings: tuple[Problem, ...] = ()


# ------------------------------------------------------------------ YAML


def read_yaml(path: Path, display: str | None = None) -> tuple[Any, SourceMap]:
    """Parse ``path`` into plain data plus the position of every node (:mod:`slaforge.inputs`)."""
    name = display if display is not None else str(path)
    text = read_text(path, what="YAML file", display=name, error=SpecError)
    data, positions = parse_yaml(text, name, error=SpecError)
    return data, SourceMap(name, positions)


# ------------------------------------------------------------------ validation


def load_spec(path: Path | str, strict: bool = False) -> LoadedSpec:
    """Load and check one spec file; raise :class:`SpecError` with every problem."""
    path = Path(path)
    data, source = read_yaml(path)
    if not isinstance(data, dict):
        raise SpecError(
            "the spec must be a mapping",
            [
                source.problem(
                    (),
                    "the spec must be a YAML mapping of keys to values",
                    given="an empty file" if data is None else show(data),
                    expected="a mapping with agreement, provider, customers, services, ...",
                )
            ],
        )
    if "tiers" in data and "offer" in data:
        line, column = source.locate(("offer",))
        problem = Problem(
            "this file is a tiered offer, not a single agreement",
            file=source.file,
            line=line,
            column=column,
            expected=f"slaforge offers {path}",
            code="offer-file",
        )
        raise SpecError("build tiered offers with 'slaforge offers'", [problem])
    checked = check_data(data, source, path.parent, strict)
    Problems(list(checked.errors)).raise_errors()
    assert checked.spec is not None
    return LoadedSpec(spec=checked.spec, path=path, source=source, warnings=checked.warnings)
