"""Themes: page templates, CSS and assets, searched user folder first.

A theme is a list of folders.  A file in a user theme folder replaces the
built-in file of the same name; a user template can also extend the built-in
one as ``{% extends "builtin/document.html.j2" %}``.  Only files inside these
folders (and an explicitly allowed asset folder, e.g. the spec's logo folder)
may ever be read while rendering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from slaforge.errors import InvalidArgument
from slaforge.resources import theme_folders


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]
    asset_folders: tuple[Path, ...] = field(default=())

    @classmethod
    def load(cls, user_dir: Path | None = None, asset_folders: tuple[Path, ...] = ()) -> Theme:
        return cls(theme_folders(user_dir), tuple(p.resolve() for p in asset_folders))

    @property
    def builtin(self) -> Path:
        return self.folders[-1]

    def find(self, name: str) -> Path:
        """The first folder's file called ``name`` (user folders first)."""
        for folder in self.folders:
            candidate = (folder / name).resolve()
            if candidate.is_file() and candidate.is_relative_to(folder):
                return candidate
        raise InvalidArgument(f"theme file {name!r} not found in {', '.join(map(str, self.folders))}")

    def read_text(self, name: str) -> str:
        return self.find(name).read_text(encoding="utf-8")

    def stylesheets(self) -> list[str]:
        """The theme's CSS: the chosen ``style.css`` plus any ``extra.css`` a user folder adds."""
        css = [self.read_text("style.css")]
        for folder in self.folders[:-1]:
            extra = folder / "extra.css"
            if extra.is_file():
                css.append(extra.read_text(encoding="utf-8"))
        return css

    @property
    def allowed_roots(self) -> tuple[Path, ...]:
        """Folders a renderer may read files from; nothing else is ever fetched."""
        return self.folders + self.asset_folders

    def is_allowed(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(root) for root in self.allowed_roots)

    @cached_property
    def env(self) -> ImmutableSandboxedEnvironment:
        """Sandboxed, autoescaping Jinja environment over the theme's templates."""
        loader = ChoiceLoader(
            [
                FileSystemLoader([str(f) for f in self.folders]),
                PrefixLoader({"builtin": FileSystemLoader(str(self.builtin))}),
            ]
        )
        return ImmutableSandboxedEnvironment(
            loader=loader,
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
