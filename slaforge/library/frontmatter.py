"""The clause-file format: YAML front matter between ``---`` lines, then a body.

Clauses (``clauses/``) and the document texts of a theme (``templates/<theme>/text/``) are both
written this way; :func:`read_front_matter` splits a file and validates its front matter with a
model, collecting every problem with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from slaforge.errors import Problem

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class FrontMatterFile:
    meta: Any  # the validated front matter model
    body_lines: list[str]  # the lines after the closing ``---``
    body_line: int  # the file's line number of the first body line (1-based)
    text: str  # the whole file


def front_line(text: str, key: str) -> int | None:
    """The line (1-based) on which the front matter sets ``key``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def read_front_matter(
    path: Path, model: type[M], problems: list[Problem], what: str = "clause"
) -> FrontMatterFile | None:
    """The front matter of ``path`` validated by ``model`` and the body after it; None (and problems) when invalid."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(
            Problem(f"a {what} file must start with '---' front matter", file=str(path), line=1, code="no-front-matter")
        )
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem("front matter has no closing '---'", file=str(path), line=1, code="no-front-matter"))
        return None
    try:
        data: Any = YAML(typ="safe", pure=True).load("\n".join(lines[1:end])) or {}
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        problems.append(
            Problem(
                f"front matter is not valid YAML: {exc.problem}",
                file=str(path),
                line=(mark.line + 2) if mark else 1,
                column=(mark.column + 1) if mark else None,
                code="yaml-syntax",
            )
        )
        return None
    try:
        meta = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else None
            problems.append(
                Problem(
                    f"front matter: {error['msg']}",
                    file=str(path),
                    line=front_line(text, key) if key else 1,
                    path=key,
                    given=None if error["type"] == "missing" else repr(error.get("input")),
                    code=error["type"],
                )
            )
        return None
    return FrontMatterFile(meta, lines[end + 1 :], end + 2, text)
