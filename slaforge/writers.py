"""The output stage every command ends with: render every format in memory, then write every file at once.

:func:`render_all` renders each document in each requested format before anything is written,
so a document that fails to render stops the command with nothing written.  :func:`write_all`
then writes each file to a temporary name beside its target and, only when every one of them is
written, renames them into place, in order: a folder that is a file, a missing permission or a
full disk leaves every earlier output untouched and no partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from slaforge.document import Document
from slaforge.errors import OutputError
from slaforge.renderers import DEFAULT_PDF_ENGINE, RenderOptions, render
from slaforge.renderers.theme import Theme

PDF_UA = "pdf/ua-1"

# one theme per set of folders and process: its templates are compiled once, however many documents it renders
_THEMES: dict[tuple[Path | None, tuple[Path, ...]], Theme] = {}


def theme_for(document: Document, theme_dir: Path | None = None) -> Theme:
    """The theme a document renders with: ``theme_dir`` over the built-in theme, and the folder its logo lies in.

    The asset folder is the spec's own folder, not the logo's: a logo that leads elsewhere (``..``, a
    symbolic link) is outside every allowed folder, and the renderers refuse to read it.
    """
    meta = document.meta
    folder = meta.logo_folder or (str(Path(meta.logo).parent) if meta.logo else None)
    assets = (Path(folder),) if folder else ()
    key = (theme_dir, assets)
    if key not in _THEMES:
        _THEMES[key] = Theme.load(theme_dir, asset_folders=assets)
    return _THEMES[key]


def render_formats(
    document: Document,
    formats: Iterable[str],
    theme_dir: Path | None = None,
    pdf_variant: str = PDF_UA,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
) -> dict[str, bytes]:
    """The document's bytes in each format, in the order asked; PDF laid out by ``pdf_engine``."""
    options = RenderOptions(theme=theme_for(document, theme_dir), pdf_variant=pdf_variant, pdf_engine=pdf_engine)
    return {fmt: render(document, fmt, options) for fmt in formats}


def render_all(
    documents: Mapping[Path, Document],
    formats: Iterable[str],
    theme_dir: Path | None = None,
    pdf_variant: str = PDF_UA,
    pdf_engine: str = DEFAULT_PDF_ENGINE,
) -> dict[Path, bytes]:
    """``{out/NAME: document}`` -> ``{out/NAME.pdf: bytes, out/NAME.docx: bytes, ...}``, all in memory."""
    formats = tuple(formats)
    files: dict[Path, bytes] = {}
    for stem, document in documents.items():
        for fmt, data in render_formats(document, formats, theme_dir, pdf_variant, pdf_engine).items():
            files[stem.with_name(f"{stem.name}.{fmt}")] = data
    return files


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file, all or none: each to a temporary file beside it first, then each renamed into place.

    A target that cannot be written (its folder is a file, no permission, a full disk) is an
    :class:`OutputError` naming it, raised before any target has changed.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
    except BaseException:
        _discard(staged)
        raise
    for index, (temporary, target) in enumerate(staged):
        try:
            os.replace(temporary, target)
        except OSError as error:
            _discard(staged[index:])
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    return list(files)


def write_atomic(target: Path, data: bytes) -> None:
    """One file, through :func:`write_all`."""
    write_all({target: data})


def _stage(target: Path, data: bytes) -> str:
    blocking = next((folder for folder in target.parents if folder.exists() and not folder.is_dir()), None)
    if blocking is not None:
        raise OutputError(f"cannot write {target}: {blocking} is a file, not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    return temporary


def _discard(staged: list[tuple[str, Path]]) -> None:
    for temporary, _ in staged:
        Path(temporary).unlink(missing_ok=True)
