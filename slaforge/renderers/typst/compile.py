"""Run the Typst compiler (the ``typst`` package) on a staged project: tagged, archival, deterministic.

* **Standards**: PDF/UA-1 always; a PDF/A variant is written as PDF/A *and*
  PDF/UA-1 in one file (Typst can combine the two up to PDF 1.7).
* **Dates**: ``timestamp`` (the document's, which honours ``SOURCE_DATE_EPOCH``)
  is the file's creation date; Typst would otherwise stamp the clock.
* **Fonts**: the theme's font folders only; no system font is looked at, so
  the same theme gives the same glyphs on every machine.
* **Packages**: the package folders point into the stage, which holds none.

``typst`` is an optional dependency (``pip install slaforge[typst]``), imported
on first use only.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from slaforge.errors import RenderError
from slaforge.renderers import PDF_VARIANTS

LOG = logging.getLogger(__name__)
# "┌─ path/to/file.typ:181:29" in a diagnostic
LOCATION = re.compile(r"\u250c\u2500 (\S+:\d+:\d+)")
INSTALL_HINT = "the typst engine needs `pip install slaforge[typst]`"
# slaforge's variant -> Typst's pdf_standards
STANDARDS: dict[str, tuple[str, ...]] = {
    "pdf/ua-1": ("ua-1",),
    **{variant: (variant.removeprefix("pdf/"), "ua-1") for variant in PDF_VARIANTS if variant.startswith("pdf/a-")},
}


def standards(variant: str) -> list[str]:
    if variant not in STANDARDS:
        raise RenderError(f"unknown PDF variant {variant!r}: expected one of {', '.join(PDF_VARIANTS)}")
    return list(STANDARDS[variant])


def typst_module() -> ModuleType:
    try:
        import typst
    except ImportError as error:
        raise RenderError(f"{INSTALL_HINT} (the typst package is not installed: {error})") from error
    return typst


@cache
def fonts(folders: tuple[Path, ...]) -> Any:
    """The theme's fonts, found once per process (a portfolio renders many documents with one theme)."""
    typst = typst_module()
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(f) for f in folders])


def compile_pdf(root: Path, main: str, font_folders: tuple[Path, ...], variant: str, timestamp: int) -> bytes:
    typst = typst_module()
    empty = root / ".packages"
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(root / main),
            root=str(root),
            font_paths=fonts(font_folders),
            ignore_system_fonts=True,
            pdf_standards=standards(variant),
            timestamp=timestamp,
            package_path=str(empty),
            package_cache_path=str(empty),
        )
    except typst.TypstError as error:
        raise RenderError(f"the Typst theme could not be compiled: {_describe(error, root)}") from error
    for message in dict.fromkeys(_describe(w, root) for w in warnings):
        LOG.warning("Typst: %s", message)
    if not isinstance(pdf, bytes):  # a one-file PDF is what we asked for
        raise RenderError("the Typst compiler returned no PDF")
    return pdf


def _describe(diagnostic: Any, root: Path) -> str:
    """The compiler's message, where it arose (theme file:line:column) and its hints."""
    parts = [str(getattr(diagnostic, "message", diagnostic))]
    # the compiler names a file relative to the working folder (../../tmp/slaforge-typst-x/agreement.typ):
    # what follows the stage's own, randomly named folder is the theme's file, wherever the command runs
    staged = root.resolve().name
    for place in LOCATION.findall(str(getattr(diagnostic, "diagnostic", "") or "")):
        name = place.replace("\\", "/")
        name = name.split(staged + "/", 1)[-1] if staged + "/" in name else name.lstrip("./")
        parts.append(f"at {name}")
    parts += [f"hint: {hint}" for hint in getattr(diagnostic, "hints", None) or ()]
    return "; ".join(dict.fromkeys(parts))
