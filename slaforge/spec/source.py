"""Where each value of a spec was written: locs, their dotted spelling, and the file's positions.

A *loc* is the address of a value inside the parsed data, as keys and list indexes:
``("services", 2, "availability", "target")``; :func:`dotted` spells it the way every message
does, ``services[2].availability.target``.  A :class:`SourceMap` knows the line and column of each
loc in its file, so any check can name exactly where a problem was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slaforge.errors import Problem

Loc = tuple[str | int, ...]


def dotted(loc: Loc) -> str:
    """``('services', 2, 'availability')`` -> ``services[2].availability``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class SourceMap:
    """Where each node of a YAML document stands: path -> (line, column), 1-based."""

    file: str
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Loc) -> tuple[int | None, int | None]:
        """The position of ``loc``, or of its nearest ancestor that the file has."""
        for end in range(len(loc), -1, -1):
            hit = self.positions.get(tuple(loc[:end]))
            if hit:
                return hit
        return None, None

    def problem(self, loc: Loc, message: str, **kwargs: Any) -> Problem:
        line, column = self.locate(loc)
        return Problem(message=message, file=self.file, line=line, column=column, path=dotted(loc), **kwargs)
