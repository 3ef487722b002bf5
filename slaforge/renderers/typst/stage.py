"""The folder Typst compiles in: the theme's Typst files, the logo and the charts, nothing else.

Typst reads files only inside its project root, so the root is a fresh
temporary folder holding exactly what this render may use:

* the theme's ``typst/`` files, user theme folders over the built-in one by
  name (as every theme file), each a regular file inside its folder (a link
  that leads out of the folder is refused, not followed);
* the logo, copied to ``assets/`` only when it lies inside the theme's allowed
  folders;
* the charts, drawn as SVG by :mod:`slaforge.renderers.chart`, in ``charts/``;
* ``main.typ``, written by :mod:`.markup`.

A theme file that imports a Typst package (``"@preview/..."``) is refused:
packages would be fetched from the network or read from the user's package
folders, both outside the theme.  Fonts are not staged: the compiler is given
the theme's ``fonts/`` folders and no system fonts.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from slaforge.document import Document
from slaforge.errors import RenderError
from slaforge.inputs.files import read_bytes
from slaforge.inputs.limits import ASSET_FILE_BYTES
from slaforge.renderers.html import IMAGE_TYPES
from slaforge.renderers.theme import Theme
from slaforge.renderers.typst.markup import Source, chart_path

THEME_FOLDER = "typst"
FONT_FOLDER = "fonts"
MAIN = "main.typ"
# a package specification in a string: "@preview/cetz:0.3.4", "@local/x:1.0.0"
PACKAGE_IMPORT = re.compile(r'"@[A-Za-z0-9_-]+/')


def theme_files(theme: Theme) -> dict[str, Path]:
    """Relative name -> file, for every file under the theme folders' ``typst/``; user folders win."""
    found: dict[str, Path] = {}
    for folder in theme.folders:  # user folders first: a name already found is not replaced
        base = (folder / THEME_FOLDER).resolve()
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_dir():
                continue
            name = path.relative_to(base).as_posix()
            resolved = path.resolve()
            if not resolved.is_relative_to(base) or not resolved.is_file():
                raise RenderError(f"the Typst theme file {path} leads outside its theme folder; refusing to read it")
            found.setdefault(name, resolved)
    if "agreement.typ" not in found:
        folders = ", ".join(str(folder / THEME_FOLDER) for folder in theme.folders)
        raise RenderError(f"the Typst theme file agreement.typ was not found in {folders}")
    return found


def font_folders(theme: Theme) -> tuple[Path, ...]:
    return tuple(folder / FONT_FOLDER for folder in theme.folders if (folder / FONT_FOLDER).is_dir())


def logo_file(document: Document, theme: Theme) -> Path | None:
    """The logo, only when it is an image inside the theme's allowed folders."""
    if not document.meta.logo:
        return None
    path = Path(document.meta.logo)
    if not theme.is_allowed(path):
        raise RenderError(f"logo {path} is outside the theme and asset folders; refusing to read it")
    if path.suffix.lower() not in IMAGE_TYPES:
        raise RenderError(f"logo {path}: expected one of {', '.join(IMAGE_TYPES)} (an image file)")
    if not path.is_file():
        raise RenderError(f"logo {path} does not exist")
    return path.resolve()


@contextmanager
def staged(source: Source, theme: Theme, logo: Path | None, brand: str | None) -> Iterator[Path]:
    """A temporary project root with the theme, the assets and ``main.typ``; removed afterwards."""
    from slaforge.renderers.chart import svg

    files = theme_files(theme)
    with tempfile.TemporaryDirectory(prefix="slaforge-typst-") as folder:
        root = Path(folder)
        for name, path in files.items():
            text = read_bytes(path, limit=ASSET_FILE_BYTES, what="Typst theme file", error=RenderError)
            package = PACKAGE_IMPORT.search(text.decode("utf-8", "replace"))
            if package:
                raise RenderError(
                    f"the Typst theme file {path} uses a package ({package[0][1:]}...): a theme may use only "
                    "its own files"
                )
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
        if logo is not None and source.logo is not None:
            _write(root, source.logo, theme.read_bytes(logo))
        for index, chart in enumerate(source.charts):
            _write(root, chart_path(index), svg(chart, brand).encode("utf-8"))
        (root / MAIN).write_text(source.text, encoding="utf-8")
        yield root


def _write(root: Path, inside: str, data: bytes) -> None:
    target = root / inside.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
