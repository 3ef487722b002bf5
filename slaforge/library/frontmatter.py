"""The clause-file format: YAML front matter between ``---`` lines, then a body.

Clauses (``clauses/``) and the document texts of a theme (``templates/<theme>/text/``) are both
written this way; :func:`read_front_matter` splits a file and validates its front matter with a
model, collecting every problem with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from slaforge.errors import ClauseError, Problem
from slaforge.inputs.files import read_text
from slaforge.inputs.yaml import parse_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class FrontMatterFile:
    meta: Any  # the validated front matter model
    body_lines: list[str]  # the lines after the closing ``---``
    body_line: int  # the file's line number of the first body line (1-based)
    text: str  # the whole file
    positions: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)

    def line(self, key: str) -> int | None:
        """The file's line (1-based) on which the front matter sets ``key``."""
        return self.positions.get((key,), (None, None))[0] or front_line(self.text, key)


def front_line(text: str, key: str) -> int | None:
    """The line (1-based) on which the front matter sets ``key``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None


def read_front_matter(
    path: Path, model: type[M], problems: list[Problem], what: str = "clause"
) -> FrontMatterFile | None:
    """The front matter of ``path`` validated by ``model`` and the body after it; None (and problems) when invalid.

    The file is read through :mod:`slaforge.inputs`: a regular UTF-8 file of bounded size, its
    front matter YAML within the limits; whatever is wrong is a problem naming the file and line.
    """
    try:
        text = read_text(path, what=f"{what} file", error=ClauseError)
    except ClauseError as error:
        problems.extend(error.problems or [Problem(error.message, file=str(path), code="unreadable")])
        return None
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
        data, positions = parse_yaml(
            "\n".join(lines[1:end]), str(path), error=ClauseError, first_line=2, what="front matter"
        )
    except ClauseError as error:
        problems.extend(error.problems)
        return None
    if data is None:
        data = {}
    try:
        meta = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else None
            line = positions.get((key,), (None, None))[0] if key else None
            problems.append(
                Problem(
                    f"front matter: {error['msg']}",
                    file=str(path),
                    line=line or (front_line(text, key) if key else None) or 1,
                    path=key,
                    given=None if error["type"] == "missing" else repr(error.get("input")),
                    code=error["type"],
                )
            )
        return None
    return FrontMatterFile(meta, lines[end + 1 :], end + 2, text, positions)
