"""The output stage every command ends with: render every format in memory, then write every file at once.

:func:`render_all` renders each document in each requested format before anything is written,
so a document that fails to render stops the command with nothing written.  :func:`write_all`
then writes each file to a temporary name beside its target and, only when every one of them is
written, renames them into place, in order: a folder that is a file, a missing permission or a
full disk leaves every earlier output untouched and no partial file behind.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from slaforge.document import Document
from slaforge.errors import OutputError
from slaforge.inputs.files import file_digest, kind_of
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
    :class:`OutputError` naming it, raised before any target has changed.  A target that is there
    but not a regular file (a symbolic link, a FIFO, a device, a folder) is refused, never replaced.
    Should a rename fail after others succeeded, those are put back as they were, so the folder
    holds the old set or the new one, never a mix.  The temporary files of an earlier build that
    was killed are removed on the way.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
    except BaseException:
        _discard(staged)
        raise
    kept: list[tuple[Path, str | None]] = []  # target, the hard link keeping its old bytes (None: it was new)
    current: Path | None = None
    try:
        for temporary, current in staged:
            backup = _keep(current)
            kept.append((current, backup))
            os.replace(temporary, current)
    except BaseException as error:
        _restore(kept)
        _discard(staged)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {current}: {error.strerror or error}") from error
        raise
    for _, backup in kept:
        if backup is not None:
            Path(backup).unlink(missing_ok=True)
    return list(files)


def write_atomic(target: Path, data: bytes) -> None:
    """One file, through :func:`write_all`."""
    write_all({target: data})


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def _stage(target: Path, data: bytes) -> str:
    blocking = next((folder for folder in target.parents if folder.exists() and not folder.is_dir()), None)
    if blocking is not None:
        raise OutputError(f"cannot write {target}: {blocking} is a file, not a folder")
    refused = _not_regular(target)
    if refused is not None:
        raise OutputError(f"cannot write {target}: it is {refused}; slaforge replaces only regular files")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        fd, temporary = tempfile.mkstemp(prefix=_temporary_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
        raise
    return temporary


def _not_regular(target: Path) -> str | None:
    """What ``target`` is when it is there and not a regular file (never followed through a link)."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"unreadable ({error.strerror or error})"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return kind_of(mode)


def _remove_stale(target: Path) -> None:
    """Remove the temporary files a killed build left for ``target`` (their process no longer runs)."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False) or _running(int(match[1])):
            continue
        Path(entry.path).unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process: leave its files alone
    return True


def _keep(target: Path) -> str | None:
    """A hard link to ``target``'s current bytes, to put them back if a later rename fails."""
    if not target.exists():
        return None
    backup = target.with_name(f"{_temporary_prefix(target)}old.tmp")
    Path(backup).unlink(missing_ok=True)
    try:
        os.link(target, backup)
    except OSError:  # a file system without hard links: a copy does the same
        shutil.copy2(target, backup)
    return str(backup)


def _restore(kept: list[tuple[Path, str | None]]) -> None:
    for target, backup in reversed(kept):
        try:
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        except OSError:
            pass


def _discard(staged: list[tuple[str, Path]]) -> None:
    for temporary, _ in staged:
        Path(temporary).unlink(missing_ok=True)


# ------------------------------------------------------------------ removing what a command wrote


def is_plain_name(name: str) -> bool:
    """A name a manifest may hold: relative, inside its folder (no ``..``), no NUL."""
    path = Path(name)
    return bool(name) and "\x00" not in name and not path.is_absolute() and ".." not in path.parts


def own_file(out: Path, name: str) -> Path | None:
    """``OUT/name`` when it is a plain name, no part of the way to it is a symbolic link and it lies inside
    OUT; else None.  (A manifest names files a command wrote: tampered with, it must never lead elsewhere.)"""
    if not is_plain_name(name):
        return None
    target = out
    for part in Path(name).parts:
        target = target / part
        if target.is_symlink():
            return None
    try:
        if not target.resolve().is_relative_to(out.resolve()):
            return None
    except (OSError, RuntimeError):
        return None
    return target


def remove_own_file(out: Path, name: str, sha: str) -> bool:
    """Remove ``OUT/name`` only when it is a regular file inside OUT, reached through no link, holding what
    the command wrote there (its SHA-256 in the manifest): never a file of the user's, never one elsewhere.
    True when it was removed."""
    target = own_file(out, name)
    if target is not None and file_digest(target) == sha:
        target.unlink(missing_ok=True)
        return True
    return False
