"""The whole pipeline, top to bottom: load -> resolve -> compose -> render -> write.

Every format of a spec is rendered in memory before anything is written, and
each file is written to a temporary name and renamed into place, so a failure
leaves earlier outputs untouched and no partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from slaforge.compose import compose
from slaforge.compose.resolve import Agreement, resolve
from slaforge.document import Document
from slaforge.errors import OutputError, Problem
from slaforge.library.clauses import Library, load_library
from slaforge.renderers import RenderOptions, render
from slaforge.renderers.theme import Theme
from slaforge.spec.loader import LoadedSpec, load_spec


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = ("pdf", "docx", "html")
    out_dir: Path = Path("out")
    theme_dir: Path | None = None
    clause_dirs: tuple[Path, ...] = ()
    pdf_variant: str = "pdf/ua-1"
    strict: bool = False


@dataclass
class BuildResult:
    spec: Path
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def library_for(loaded: LoadedSpec, extra_dirs: tuple[Path, ...] = ()) -> Library:
    """The spec's own clause folders (relative to the spec file) and the command line's come first."""
    spec_dirs = [(loaded.path.parent / d) for d in loaded.spec.clause_dirs]
    return load_library([*extra_dirs, *spec_dirs])


def document_for(loaded: LoadedSpec, options: BuildOptions) -> tuple[Agreement, Document]:
    agreement = resolve(loaded)
    document = compose(agreement, library_for(loaded, options.clause_dirs))
    return agreement, document


def theme_for(document: Document, options: BuildOptions) -> Theme:
    assets = (Path(document.meta.logo).parent,) if document.meta.logo else ()
    return Theme.load(options.theme_dir, asset_folders=assets)


def build_spec(path: Path, options: BuildOptions, progress: Callable[[str], None] | None = None) -> BuildResult:
    loaded = load_spec(path, strict=options.strict)
    _, document = document_for(loaded, options)
    render_options = RenderOptions(theme=theme_for(document, options), pdf_variant=options.pdf_variant)
    rendered: dict[str, bytes] = {}
    for fmt in options.formats:
        if progress:
            progress(f"rendering {document.meta.file_stem}.{fmt}")
        rendered[fmt] = render(document, fmt, render_options)
    result = BuildResult(spec=path, warnings=list(loaded.warnings))
    for fmt, data in rendered.items():
        target = options.out_dir / f"{document.meta.file_stem}.{fmt}"
        write_atomic(target, data)
        result.outputs.append(target)
    return result


def build(paths: list[Path], options: BuildOptions, progress: Callable[[str], None] | None = None) -> list[BuildResult]:
    return [build_spec(path, options, progress) for path in paths]


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder and a rename.

    A target that cannot be written (its folder is a file, no permission, a full
    disk) is an :class:`OutputError` naming the file; the target is untouched.
    """
    blocking = next((folder for folder in target.parents if folder.exists() and not folder.is_dir()), None)
    if blocking is not None:
        raise OutputError(f"cannot write {target}: {blocking} is a file, not a folder")
    try:
        _write_atomic(target, data)
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
