"""The clause library: discovery (user folders first, then built-in), front matter, positions.

A clause file is YAML front matter between ``---`` lines and a body; the body
holds one wording per position, separated by ``:: position NAME`` lines (the
text before the first such line is ``standard``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from slaforge.errors import ClauseError, Problem
from slaforge.library.frontmatter import front_line, read_front_matter
from slaforge.resources import clauses_dir

LEVELS = ("corporate", "customer", "service")
# the forms of an agreement: a bespoke agreement between named parties, one document for every customer of
# a service, and terms a provider publishes for everyone
AgreementForm = Literal["bilateral", "service-based", "standard-terms"]
FORMS: tuple[str, ...] = get_args(AgreementForm)
# the topics of general terms that a master agreement may govern
MasterTopic = Literal[
    "assignment",
    "third-party-rights",
    "notices",
    "force-majeure",
    "confidentiality",
    "data-protection",
    "amendment",
    "disputes",
    "governing-law",
    "termination",
    "liability",
    "non-solicitation",
]
MASTER_TOPICS: tuple[str, ...] = get_args(MasterTopic)
_POSITION_LINE = re.compile(r"^:: *position +(?P<name>[a-z][a-z0-9-]*) *$")


class FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+\.[a-z0-9-]+$", description="<category>.<name>")
    title: str = Field(min_length=1)
    category: str
    order: int = 100
    version: str = "1.0"
    levels: list[str] = Field(default_factory=lambda: list(LEVELS))
    when: str | None = Field(None, description="Jinja expression; the clause is used only when it is true")
    params: list[str] = Field(default_factory=list, description="Top-level names the body reads")
    defines: dict[str, str] = Field(default_factory=dict, description="Defined terms this clause introduces")
    positions: list[str] = Field(default_factory=lambda: ["standard"])
    forms: list[AgreementForm] = Field(
        default_factory=lambda: ["bilateral", "service-based"],
        min_length=1,
        description="Forms of agreement that include it",
    )
    persons: Literal["third", "any"] = Field(
        "third",
        description="'any': written with pronoun marks ([[we]], [[you are]]), so it reads in any person",
    )
    topic: MasterTopic | None = Field(
        None, description="The master-agreement topic a general term covers; not composed when the master governs it"
    )
    part: Literal["general"] | None = Field(None, description="'general': printed in the General terms module")
    defaults: dict[str, Any] = Field(
        default_factory=dict, description="The defaults of optional fields the body relies on (field path -> value)"
    )


@dataclass(frozen=True)
class Wording:
    position: str
    text: str
    line: int  # line of the file where this wording's text starts (1-based)


@dataclass(frozen=True)
class ClauseSource:
    meta: FrontMatter
    path: Path
    wordings: dict[str, Wording]
    builtin: bool

    @property
    def id(self) -> str:
        return self.meta.id

    def wording(self, position: str) -> Wording:
        try:
            return self.wordings[position]
        except KeyError:
            raise ClauseError(
                f"clause {self.id} has no position {position!r}; it has: {', '.join(self.wordings)}"
            ) from None


@dataclass(frozen=True)
class Category:
    id: str
    title: str


@dataclass
class Library:
    categories: list[Category]
    clauses: dict[str, ClauseSource] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)

    def ordered(self) -> list[ClauseSource]:
        rank = {c.id: i for i, c in enumerate(self.categories)}
        return sorted(self.clauses.values(), key=lambda c: (rank.get(c.meta.category, 999), c.meta.order, c.id))

    @property
    def category_ids(self) -> set[str]:
        return {c.id for c in self.categories}

    def terms(self) -> dict[str, tuple[str, ClauseSource]]:
        """Every defined term -> (definition text, the clause that defines it)."""
        found: dict[str, tuple[str, ClauseSource]] = {}
        for clause in self.ordered():
            for term, text in clause.meta.defines.items():
                found.setdefault(term, (text, clause))
        return found


def load_library(user_folders: list[Path] | None = None, include_builtin: bool = True) -> Library:
    """Read the clause folders; a user folder's clause replaces a built-in one with the same id."""
    problems: list[Problem] = []
    folders = [f.resolve() for f in user_folders or []]
    for folder in folders:
        if not folder.is_dir():
            raise ClauseError(f"clause folder {folder} does not exist or is not a folder")
    builtin = clauses_dir()
    search = [*folders, builtin] if include_builtin else folders
    categories = _categories(search, problems)
    library = Library(categories=categories, folders=search)
    for folder in reversed(search):  # built-in first, so later (user) folders replace
        seen_here: dict[str, Path] = {}
        for path in sorted(folder.rglob("*.md")):
            if path.name == "README.md":
                continue
            clause = read_clause(path, builtin=folder == builtin, problems=problems)
            if clause is None:
                continue
            if clause.id in seen_here:
                problems.append(
                    Problem(
                        f"clause id {clause.id} is also used by {seen_here[clause.id]}",
                        file=str(path),
                        line=1,
                        code="duplicate-clause",
                    )
                )
                continue
            seen_here[clause.id] = path
            library.clauses[clause.id] = clause
    known = {c.id for c in categories}
    for clause in library.clauses.values():
        if clause.meta.category not in known:
            problems.append(
                Problem(
                    f"clause {clause.id}: unknown category {clause.meta.category!r}",
                    file=str(clause.path),
                    line=_front_line(clause.path, "category"),
                    path="category",
                    expected="one of: " + ", ".join(sorted(known)),
                    code="unknown-category",
                )
            )
    if problems:
        raise ClauseError(f"{len(problems)} problem(s) in the clause library", problems)
    return library


def _categories(folders: list[Path], problems: list[Problem]) -> list[Category]:
    from ruamel.yaml import YAML

    ordered: list[Category] = []
    for folder in reversed(folders):
        path = folder / "categories.yaml"
        if not path.is_file():
            continue
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or []
        for index, entry in enumerate(data):
            if not isinstance(entry, dict) or "id" not in entry or "title" not in entry:
                problems.append(
                    Problem(
                        "each category needs an id and a title",
                        file=str(path),
                        path=f"[{index}]",
                        code="invalid-category",
                    )
                )
                continue
            if any(c.id == entry["id"] for c in ordered):
                continue
            category = Category(str(entry["id"]), str(entry["title"]))
            after = entry.get("after")
            if after and any(c.id == after for c in ordered):
                ordered.insert(next(i for i, c in enumerate(ordered) if c.id == after) + 1, category)
            else:
                ordered.append(category)
    return ordered


def _front_line(path: Path, key: str) -> int | None:
    return front_line(path.read_text(encoding="utf-8"), key)


def read_clause(path: Path, builtin: bool, problems: list[Problem]) -> ClauseSource | None:
    read = read_front_matter(path, FrontMatter, problems)
    if read is None:
        return None
    meta: FrontMatter = read.meta
    bad_levels = [lv for lv in meta.levels if lv not in LEVELS]
    if bad_levels:
        problems.append(
            Problem(
                f"clause {meta.id}: unknown level(s) {', '.join(bad_levels)}",
                file=str(path),
                line=_front_line(path, "levels"),
                path="levels",
                expected=", ".join(LEVELS),
                code="unknown-level",
            )
        )
    wordings: dict[str, Wording] = {}
    position, start, chunk = "standard", read.body_line, []
    for number, line in enumerate(read.body_lines, start=read.body_line):
        match = _POSITION_LINE.match(line.strip())
        if match:
            wordings[position] = Wording(position, "\n".join(chunk), start)
            position, start, chunk = match["name"], number + 1, []
            if position in wordings:
                problems.append(
                    Problem(
                        f"clause {meta.id}: position {position!r} appears twice",
                        file=str(path),
                        line=number,
                        code="duplicate-position",
                    )
                )
        else:
            chunk.append(line)
    wordings[position] = Wording(position, "\n".join(chunk), start)
    if not wordings["standard"].text.strip() and "standard" not in meta.positions:
        del wordings["standard"]
    declared, written = set(meta.positions), set(wordings)
    for name in sorted(declared - written):
        problems.append(
            Problem(
                f"clause {meta.id}: position {name!r} is declared but has no wording",
                file=str(path),
                line=_front_line(path, "positions"),
                code="missing-position",
            )
        )
    for name in sorted(written - declared):
        problems.append(
            Problem(
                f"clause {meta.id}: position {name!r} has a wording but is not declared in 'positions'",
                file=str(path),
                line=wordings[name].line - 1,
                code="undeclared-position",
            )
        )
    return ClauseSource(meta=meta, path=path, wordings=wordings, builtin=builtin)
