"""The words of every document that are not clauses: reports, offer documents, the redline summary, the cover.

They live in the theme, beside its page templates, so that a reviewer reads them as plain text and
a theme folder (``--theme-dir``) can override any of them by name::

    templates/default/labels.yaml            the labels of enumeration values and of the cover
    templates/default/text/report/outline.yaml   a document's particulars, sections and clauses
    templates/default/text/report/summary.md     one clause: front matter, then a body

A text file has the clause format (:mod:`slaforge.library.frontmatter`): front matter with its
``id``, ``title``, an optional ``when`` condition and the ``params`` its body reads, then a body
in the clause markup with Jinja expressions, rendered in the same sandboxed environment as
clauses (:mod:`slaforge.compose.texts`).  A user's ``labels.yaml`` replaces the built-in labels
key by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from slaforge.errors import ClauseError, InvalidArgument, Problem, summary
from slaforge.inputs.files import confined, read_text
from slaforge.inputs.yaml import parse_yaml
from slaforge.library.frontmatter import read_front_matter
from slaforge.resources import theme_folders

TEXT_FOLDER = "text"
LABELS = "labels.yaml"


class TextMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", description="<section>.<name>: the clause's id")
    title: str = Field(min_length=1, description="The clause's title (Jinja, one line)")
    when: str | None = Field(None, description="Jinja expression; the clause is used only when it is true")
    params: list[str] = Field(default_factory=list, description="Top-level names the body reads")


@dataclass(frozen=True)
class Text:
    name: str  # report/summary
    meta: TextMeta
    body: str
    path: Path
    line: int  # the file's line of the body's first line
    builtin: bool = False  # the built-in theme's own text (not a user theme folder's)

    @property
    def id(self) -> str:
        return self.meta.id


@dataclass(frozen=True)
class Outline:
    """A document of texts: its particulars (one-line Jinja templates) and its sections of clauses."""

    name: str  # report/outline
    path: Path
    particulars: dict[str, str]
    sections: tuple[OutlineSection, ...]


@dataclass(frozen=True)
class OutlineSection:
    id: str
    title: str
    clauses: tuple[str, ...]  # text names, relative to the outline's folder
    numbered: bool = True


@dataclass
class Texts:
    """The document texts of a theme: its folders' ``text/`` files and ``labels.yaml``, user folder first."""

    folders: tuple[Path, ...]
    _texts: dict[str, Text] = field(default_factory=dict)

    def find(self, name: str) -> Path:
        """The first folder's ``text/<name>`` (user folders first), never a file outside them.

        A name that is there but leads outside its folder (a symbolic link, ``..``) is refused.
        """
        for folder in self.folders:
            root = (folder / TEXT_FOLDER).resolve()
            candidate = root / name
            if candidate.exists() or candidate.is_symlink():
                return confined(candidate, root, what="document text", error=ClauseError)
        raise ClauseError(f"no document text {name!r} in {', '.join(str(f / TEXT_FOLDER) for f in self.folders)}")

    def text(self, name: str) -> Text:
        """The text ``name`` (``report/summary``), read once."""
        if name not in self._texts:
            path = self.find(f"{name}.md")
            problems: list[Problem] = []
            read = read_front_matter(path, TextMeta, problems, what="document text")
            if read is None:
                raise ClauseError(f"the document text {path} is invalid", problems)
            builtin = path.is_relative_to((self.folders[-1] / TEXT_FOLDER).resolve())  # the built-in theme is last
            self._texts[name] = Text(name, read.meta, "\n".join(read.body_lines), path, read.body_line, builtin)
        return self._texts[name]

    def outline(self, name: str) -> Outline:
        """The outline ``name`` (``report/outline``): what the document says and in which order."""
        path = self.find(f"{name}.yaml")
        data = _yaml(path)
        folder = name.rpartition("/")[0]
        try:
            sections = tuple(
                OutlineSection(
                    str(s["id"]),
                    str(s["title"]),
                    tuple(f"{folder}/{c}" if folder else str(c) for c in s["clauses"]),
                    bool(s.get("numbered", True)),
                )
                for s in data.get("sections", [])
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ClauseError(f"{path}: each section needs an id, a title and its clauses ({exc})") from None
        particulars = {str(k): str(v) for k, v in data.items() if k != "sections"}
        return Outline(name, path, particulars, sections)

    @cached_property
    def labels(self) -> dict[str, Any]:
        """Every ``labels.yaml`` of the theme merged, the user's keys over the built-in ones."""
        merged: dict[str, Any] = {}
        for folder in reversed(self.folders):
            path = folder / LABELS
            if path.exists() or path.is_symlink():
                merged = _merge(merged, _yaml(confined(path, folder, what="labels file", error=InvalidArgument)))
        return merged

    def label(self, key: str) -> str:
        """One label by its dotted key: ``windows.calendar-month`` -> ``calendar month``."""
        node: Any = self.labels
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ClauseError(f"the theme's {LABELS} has no label {key!r}")
            node = node[part]
        return str(node)


@cache
def texts_for(theme_dir: Path | None = None) -> Texts:
    """The texts of the built-in theme under ``theme_dir`` (a user's theme folder), one per process."""
    return Texts(theme_folders(theme_dir))


def builtin_texts() -> Texts:
    return texts_for(None)


def label(key: str, texts: Texts | None = None) -> str:
    """One label of the theme's ``labels.yaml`` (the built-in theme's when ``texts`` is None)."""
    return (texts or builtin_texts()).label(key)


def _yaml(path: Path) -> dict[str, Any]:
    """A theme's YAML file (labels, an outline), read through :mod:`slaforge.inputs`; a mapping."""
    data, positions = parse_yaml(
        read_text(path, what="YAML file", error=InvalidArgument), str(path), error=InvalidArgument
    )
    if not isinstance(data, dict):
        problem = Problem(
            "the file must be a YAML mapping",
            file=str(path),
            line=positions.get((), (1, 1))[0] if data is not None else None,
            given="an empty file" if data is None else type(data).__name__,
            expected="a mapping of keys to values",
            code="not-a-mapping",
        )
        raise InvalidArgument(summary(1), [problem])
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
