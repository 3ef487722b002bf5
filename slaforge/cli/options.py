"""Options several commands share, spelt once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Formats = Annotated[str, typer.Option("-f", "--formats", metavar="FORMATS", help="Comma-separated: pdf,docx,html")]
Out = Annotated[Path, typer.Option("-o", "--out", metavar="FOLDER", help="Output folder.")]
Output = Annotated[Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write to this file.")]
ThemeDir = Annotated[
    Path | None, typer.Option("--theme-dir", metavar="FOLDER", help="Theme folder overriding the built-in one.")
]
ClauseDirs = Annotated[
    list[Path] | None, typer.Option("--clauses", metavar="FOLDER", help="Own clause folder (repeatable).")
]
Strict = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PdfVariant = Annotated[
    str,
    typer.Option(
        "--pdf-variant",
        metavar="VARIANT",
        help="pdf/ua-1 (default), or a PDF/A variant that is PDF/UA-1 too: "
        "pdf/a-2a, pdf/a-3a, pdf/a-2u, pdf/a-3u, pdf/a-2b, pdf/a-3b",
    ),
]
DocumentId = Annotated[
    str | None,
    typer.Option("--document", metavar="ID", help="When the file is a portfolio: the id of one of its documents."),
]
PdfEngine = Annotated[
    str,
    typer.Option(
        "--pdf-engine", metavar="ENGINE", help="What lays out the PDF: weasyprint (default) or typst (slaforge[typst])"
    ),
]


def formats_of(text: str) -> tuple[str, ...]:
    """``pdf,docx`` -> ("pdf", "docx"); an unknown format is a usage error."""
    from slaforge.renderers import parse_formats

    return tuple(parse_formats(text))


def pdf_engine_of(name: str, formats: tuple[str, ...] = ("pdf",)) -> str:
    """The PDF engine; an unknown one is a usage error, a missing compiler an error before any work."""
    from slaforge.renderers import check_pdf_engine

    engine = check_pdf_engine(name.strip().lower())
    if engine == "typst" and "pdf" in formats:
        from slaforge.renderers.typst.compile import typst_module

        typst_module()
    return engine


def is_portfolio(path: Path) -> bool:
    from slaforge.layers.inherit import is_portfolio_file

    return is_portfolio_file(path)
