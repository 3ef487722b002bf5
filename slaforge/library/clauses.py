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
from slaforge.inputs.files import confined, is_inside, read_text
from slaforge.inputs.yaml import parse_yaml
from slaforge.library.frontmatter import read_front_matter
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
    retitle: dict[str, str] = Field(
        default_factory=dict,
        description="Jinja expression -> title: the first whose expression is true replaces 'title' "
        "(a clause whose subject shrinks with the spec, e.g. service hours without support hours)",
    )
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
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # front matter key -> its line

    def line(self, key: str) -> int | None:
        return self.lines.get(key)

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
            if not is_inside(path, folder):
                problems.append(
                    Problem(
                        f"the clause file lies outside its folder {folder} (through a symbolic link); "
                        "refusing to read it",
                        file=str(path),
                        expected=f"a clause file inside {folder}",
                        code="outside-folder",
                    )
                )
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
                    line=clause.line("category"),
                    path="category",
                    expected="one of: " + ", ".join(sorted(known)),
                    code="unknown-category",
                )
            )
    if problems:
        raise ClauseError(f"{len(problems)} problem(s) in the clause library", problems)
    return library


CATEGORIES_EXPECTED = "a list of categories: - {id: reliability, title: Availability} (an 'after' is optional)"


def _categories(folders: list[Path], problems: list[Problem]) -> list[Category]:
    """The categories of every folder's ``categories.yaml`` (built-in first); each problem located."""
    ordered: list[Category] = []
    for folder in reversed(folders):
        path = folder / "categories.yaml"
        if not path.exists() and not path.is_symlink():
            continue
        try:
            confined(path, folder, what="categories file", error=ClauseError)
            text = read_text(path, what="categories file", error=ClauseError)
            data, positions = parse_yaml(text, str(path), error=ClauseError)
        except ClauseError as error:
            problems.extend(error.problems or [Problem(error.message, file=str(path), code="unreadable")])
            continue
        if data is None:
            data = []
        if not isinstance(data, list):
            problems.append(
                Problem(
                    "the categories file must be a list of categories",
                    file=str(path),
                    line=positions.get((), (1, 1))[0],
                    given="a mapping" if isinstance(data, dict) else repr(data)[:80],
                    expected=CATEGORIES_EXPECTED,
                    code="invalid-category",
                )
            )
            continue
        for index, entry in enumerate(data):
            line, column = positions.get((index,), (None, None))
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("id"), str)
                and isinstance(entry.get("title"), str)
                and isinstance(entry.get("after"), str | None)
            ):
                problems.append(
                    Problem(
                        "each category needs an id and a title (text)",
                        file=str(path),
                        line=line,
                        column=column,
                        path=f"[{index}]",
                        expected=CATEGORIES_EXPECTED,
                        code="invalid-category",
                    )
                )
                continue
            if any(c.id == entry["id"] for c in ordered):
                continue
            category = Category(entry["id"], entry["title"])
            after = entry.get("after")
            if after and any(c.id == after for c in ordered):
                ordered.insert(next(i for i, c in enumerate(ordered) if c.id == after) + 1, category)
            else:
                ordered.append(category)
    return ordered


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
                line=read.line("levels"),
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
                line=read.line("positions"),
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
    lines = {str(loc[0]): line for loc, (line, _) in read.positions.items() if len(loc) == 1}
    return ClauseSource(meta=meta, path=path, wordings=wordings, builtin=builtin, lines=lines)
