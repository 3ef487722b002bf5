"""Spec fragments: YAML files holding part of a spec, which may extend other fragments.

A fragment is a mapping of spec keys (any subset) plus two keys of its own:

- ``extends``: a file (or list of files), relative to this one, whose data this
  fragment starts from; its own keys then merge over them;
- ``exceptions``: agreed exceptions to a higher level's commitment,
  ``[{path: services[email].availability.target, reason: ...}]``.

Every value keeps its :class:`Origin` (file, line, column, level), so errors
in a merged spec point at the file that wrote the value.  A chain of
``extends`` that comes back to a file already on it is an error naming the
whole cycle, each link with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slaforge.errors import Problem, SpecError
from slaforge.inputs.files import present
from slaforge.inputs.limits import EXTENDS_DEPTH
from slaforge.spec.loader import read_yaml
from slaforge.spec.source import Loc, SourceMap, dotted

FRAGMENT_KEYS = ("extends", "exceptions")


class Origin(tuple[int, int]):
    """Where a value was written: a ``(line, column)`` pair that also knows its file and level."""

    file: str
    level: str

    def __new__(cls, line: int, column: int, file: str, level: str) -> Origin:
        self = super().__new__(cls, (line, column))
        self.file = file
        self.level = level
        return self

    def __getnewargs__(self) -> tuple[int, int, str, str]:  # type: ignore[override]
        return (self[0], self[1], self.file, self.level)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Origin)
            and tuple(self) == tuple(other)
            and (self.file, self.level) == (other.file, other.level)
        )

    def __hash__(self) -> int:
        return hash((self[0], self[1], self.file, self.level))

    @property
    def where(self) -> str:
        return f"{self.file}:{self[0]}:{self[1]}"


@dataclass
class LayeredSourceMap(SourceMap):
    """A source map whose positions are :class:`Origin`: problems name the file of each value."""

    def origin(self, loc: Loc) -> Origin | None:
        for end in range(len(loc), -1, -1):
            hit = self.positions.get(tuple(loc[:end]))
            if isinstance(hit, Origin):
                return hit
        return None

    def problem(self, loc: Loc, message: str, **kwargs: Any) -> Problem:
        origin = self.origin(loc)
        if origin is None:
            return Problem(message=message, file=self.file, path=dotted(loc), **kwargs)
        return Problem(message=message, file=origin.file, line=origin[0], column=origin[1], path=dotted(loc), **kwargs)


def origins(source: SourceMap, level: str) -> SourceMap:
    """``source`` with every position turned into an :class:`Origin` of ``level``."""
    return SourceMap(
        source.file, {loc: Origin(line, col, source.file, level) for loc, (line, col) in source.positions.items()}
    )


@dataclass(frozen=True, eq=False)  # one object per file (the reader's cache): compared by identity, never deeply
class Fragment:
    """One fragment file, its data without the fragment keys, and the fragments it extends."""

    path: Path
    data: dict[str, Any]
    source: SourceMap  # positions are Origins
    parents: tuple[Fragment, ...] = ()
    exceptions: tuple[dict[str, Any], ...] = ()

    def chain(self) -> list[Fragment]:
        """This fragment's ancestors first (depth first, in ``extends`` order), then itself."""
        out: list[Fragment] = []
        seen: set[int] = set()

        def visit(fragment: Fragment) -> None:  # each fragment once: a diamond of 26 levels is 52 visits, not 2**26
            if id(fragment) in seen:
                return
            seen.add(id(fragment))
            for parent in fragment.parents:
                visit(parent)
            out.append(fragment)

        visit(self)
        return out


@dataclass
class FragmentReader:
    """Reads fragments once each, for one level, and collects every problem."""

    level: str
    display: Any = str  # Path -> how a file is named in messages
    problems: list[Problem] = field(default_factory=list)
    _cache: dict[Path, Fragment | None] = field(default_factory=dict)

    def read(self, path: Path, stack: tuple[tuple[Path, Origin | None], ...] = ()) -> Fragment | None:
        given, path = path, path.resolve()
        on_stack = [p for p, _ in stack]
        if path in on_stack:
            self.problems.append(self._cycle(stack[on_stack.index(path) :], path))
            return None
        if path in self._cache:
            return self._cache[path]
        try:
            data, raw = read_yaml(path, self.display(given))
        except SpecError as error:
            self.problems.extend(error.problems or [Problem(error.message, file=self.display(given))])
            self._cache[path] = None
            return None
        raw.file = self.display(path)
        source = origins(raw, self.level)
        if not isinstance(data, dict):
            self.problems.append(
                Problem(
                    "a spec fragment must be a mapping of spec keys",
                    file=raw.file,
                    line=1,
                    given=type(data).__name__,
                    expected="a mapping, e.g. agreement: ..., services: ...",
                    code="bad-fragment",
                )
            )
            self._cache[path] = None
            return None
        parents: list[Fragment] = []
        extends = data.get("extends")
        links = [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []
        if extends is not None and (not links or not all(isinstance(x, str) for x in links)):
            self.problems.append(
                source.problem(("extends",), "'extends' names a file or a list of files", code="bad-extends")
            )
            links = []
        if links and len(stack) + 1 >= EXTENDS_DEPTH:
            self.problems.append(
                source.problem(
                    ("extends",),
                    f"more than {EXTENDS_DEPTH} fragments on one chain of 'extends'",
                    expected=f"at most {EXTENDS_DEPTH} files, each extending the next (see docs/limits.md)",
                    code="extends-too-deep",
                )
            )
            links = []
        for i, link in enumerate(links):
            loc: Loc = ("extends",) if isinstance(extends, str) else ("extends", i)
            where = source.positions.get(loc) or source.positions.get(("extends",))
            target = path.parent / link
            if not present(target):  # anything else there is read, and refused with its reason
                self.problems.append(
                    source.problem(
                        loc,
                        f"extends {link!r}, which does not exist (paths are relative to this file)",
                        given=link,
                        expected=f"the path of a file, relative to the folder of {path.name}",
                        code="missing-fragment",
                    )
                )
                continue
            parent = self.read(target, (*stack, (path, where)))
            if parent is not None:
                parents.append(parent)
        exceptions = data.get("exceptions") or []
        if not isinstance(exceptions, list) or not all(
            isinstance(e, dict) and isinstance(e.get("path"), str) and isinstance(e.get("reason"), str)
            for e in exceptions
        ):
            self.problems.append(
                source.problem(
                    ("exceptions",),
                    "each exception needs a 'path' and a 'reason'",
                    expected="exceptions: [{path: services[email].availability.target, reason: ...}]",
                    code="bad-exception",
                )
            )
            exceptions = []
        body = {k: v for k, v in data.items() if k not in FRAGMENT_KEYS}
        marked = tuple({**e, "origin": source.positions.get(("exceptions", i))} for i, e in enumerate(exceptions))
        fragment = Fragment(path, body, source, tuple(parents), marked)
        self._cache[path] = fragment
        return fragment

    def _cycle(self, links: tuple[tuple[Path, Origin | None], ...], back_to: Path) -> Problem:
        steps = []
        for index, (path, where) in enumerate(links):
            target = links[index + 1][0] if index + 1 < len(links) else back_to
            at = where.where if where else self.display(path)
            steps.append(f"{at} extends {self.display(target)}")
        first = links[0][1]
        return Problem(
            "the fragments extend each other in a cycle: " + " -> ".join(steps),
            file=first.file if first else self.display(links[0][0]),
            line=first[0] if first else None,
            column=first[1] if first else None,
            path="extends",
            expected="a chain of 'extends' that ends",
            code="fragment-cycle",
        )
