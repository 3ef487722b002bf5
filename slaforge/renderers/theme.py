"""Themes: page templates, CSS and assets, searched user folder first.

A theme is a list of folders.  A file in a user theme folder replaces the
built-in file of the same name; a user template can also extend the built-in
one as ``{% extends "builtin/document.html.j2" %}``.  Only files inside these
folders (and an explicitly allowed asset folder, e.g. the spec's folder for its
logo) may ever be read while rendering: every theme file, template and asset is
read through :mod:`slaforge.inputs.files`, with every symbolic link followed,
and a file that then lies outside its folder is refused, never read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, PrefixLoader, StrictUndefined, TemplateNotFound
from jinja2.loaders import split_template_path

from slaforge.errors import InvalidArgument, RenderError, SlaforgeError
from slaforge.inputs.files import confined, read_bytes, read_text
from slaforge.inputs.limits import ASSET_FILE_BYTES, PAGE_CHARS, PAGE_SECONDS
from slaforge.inputs.sandbox import BoundedSandbox
from slaforge.resources import theme_folders
from slaforge.text import cut


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

    def find(self, name: str, folders: tuple[Path, ...] | None = None) -> Path:
        """The first folder's file called ``name`` (user folders first), links followed, inside its folder.

        A name that is there but leads outside its folder (a symbolic link to elsewhere, ``..``) is
        refused rather than passed over.
        """
        for folder in self.folders if folders is None else folders:
            candidate = folder / name
            if candidate.exists() or candidate.is_symlink():
                return confined(candidate, folder, what="theme file", error=RenderError)
        raise InvalidArgument(f"theme file {name!r} not found in {', '.join(map(str, self.folders))}")

    def read_text(self, name: str, folders: tuple[Path, ...] | None = None) -> str:
        return read_text(self.find(name, folders), what="theme file", error=RenderError)

    def read_bytes(self, path: Path) -> bytes:
        """An asset (a font, an image, the logo) inside the allowed folders; refused anywhere else."""
        if not self.is_allowed(path):
            raise RenderError(f"{path} is outside the theme and asset folders; refusing to read it")
        return read_bytes(path.resolve(), limit=ASSET_FILE_BYTES, what="theme or asset file", error=RenderError)

    def stylesheets(self, *, browser: bool = False) -> list[tuple[Path, str]]:
        """The theme's CSS files with their text: the chosen ``style.css`` (then, for a page a browser
        shows, the chosen ``browser.css`` when the theme has one), then any ``extra.css`` of a user folder."""
        found = self.find("style.css")
        css = [(found, read_text(found, what="stylesheet", error=RenderError))]
        if browser and any((f / "browser.css").exists() or (f / "browser.css").is_symlink() for f in self.folders):
            found = self.find("browser.css")
            css.append((found, read_text(found, what="stylesheet", error=RenderError)))
        for folder in self.folders[:-1]:
            extra = folder / "extra.css"
            if extra.exists() or extra.is_symlink():
                path = confined(extra, folder, what="stylesheet", error=RenderError)
                css.append((path, read_text(path, what="stylesheet", error=RenderError)))
        return css

    @property
    def allowed_roots(self) -> tuple[Path, ...]:
        """Folders a renderer may read files from; nothing else is ever fetched."""
        return self.folders + self.asset_folders

    def is_allowed(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(root) for root in self.allowed_roots)

    def render(self, template: str, context: dict[str, Any]) -> str:
        """The page template ``template`` rendered with ``context``; whatever a user's template raises (a
        syntax error, a missing name, a loop past the page's limits) is an error naming the template."""
        try:
            return self.env.get_template(template).render(context)
        except SlaforgeError:
            raise
        except Exception as error:  # a broken user template: name it, no traceback
            raise RenderError(f"the theme template {template} could not be rendered: {cut(str(error), 300)}") from None

    @cached_property
    def env(self) -> PageSandbox:
        """Sandboxed, autoescaping Jinja environment over the theme's templates, within a page's limits."""
        loader = ChoiceLoader(
            [ThemeLoader(self, self.folders), PrefixLoader({"builtin": ThemeLoader(self, (self.builtin,))})]
        )
        return PageSandbox(
            loader=loader,
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )


class PageSandbox(BoundedSandbox):
    """A theme's page templates are the user's code too: they render in the sandbox, within a page's limits
    of time and size (larger than a clause body's: a page lays out a whole document)."""

    render_seconds = PAGE_SECONDS
    render_chars = PAGE_CHARS
    what = "the page template"


class ThemeLoader(BaseLoader):
    """Page templates from the theme's folders (in order), each read as :meth:`Theme.find` finds files."""

    def __init__(self, theme: Theme, folders: tuple[Path, ...]) -> None:
        self.theme = theme
        self.folders = folders

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)  # refuses ".." and absolute names
        try:
            path = self.theme.find("/".join(parts), self.folders)
        except InvalidArgument:
            raise TemplateNotFound(template) from None
        source = read_text(path, what="page template", error=RenderError)
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.exists() and path.stat().st_mtime == mtime
