"""``slaforge portal`` and ``slaforge serve``: the customer portal as a static site, and its live preview."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import Formats, PdfEngine, Strict, ThemeDir, formats_of, pdf_engine_of

commands = typer.Typer()

Data = Annotated[
    Path,
    typer.Option(
        "--data", metavar="FOLDER", help="Measured data: a folder with one sub-folder of CSV files per document id."
    ),
]
Site = Annotated[Path, typer.Option("-o", "--out", metavar="FOLDER", help="The site's folder.")]
Work = Annotated[
    Path | None,
    typer.Option(
        "--work", metavar="FOLDER", help="Cache folder, never published (default: .SITE-work beside the site)."
    ),
]
Jobs = Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=1, help="Render the documents in N processes.")]


def _options(
    data: Path,
    out: Path,
    work: Path | None,
    formats: str,
    theme_dir: Path | None,
    jobs: int,
    strict: bool,
    pdf_engine: str,
):  # type: ignore[no-untyped-def]
    from slaforge.portal.build import PortalOptions

    chosen = formats_of(formats)
    engine = pdf_engine_of(pdf_engine, chosen)
    return PortalOptions(
        data_dir=data,
        out_dir=out,
        work_dir=work,
        formats=chosen,
        theme_dir=theme_dir,
        jobs=jobs,
        strict=strict,
        pdf_engine=engine,
    )


def _summary(result) -> str:  # type: ignore[no-untyped-def]
    return (
        f"portal {result.site}: {len(result.customers)} customers, "
        f"{len(result.documents_rendered)} documents and {len(result.reports_rendered)} reports rendered, "
        f"{len(result.written)} files written, {result.unchanged} unchanged, {len(result.removed)} removed"
    )


@commands.command(cls=Command)
def portal(
    portfolio: Annotated[Path, typer.Argument(metavar="PORTFOLIO", help="The portfolio file.", show_default=False)],
    data: Data,
    out: Site = Path("site"),
    work: Work = None,
    formats: Formats = "pdf,docx,html",
    theme_dir: ThemeDir = None,
    jobs: Jobs = 1,
    strict: Strict = False,
    pdf_engine: PdfEngine = "weasyprint",
) -> None:
    """Customer portal: a static site of agreements, achieved service levels and credits owed, per customer."""
    from slaforge.portal.build import build_portal

    result = build_portal(portfolio, _options(data, out, work, formats, theme_dir, jobs, strict, pdf_engine))
    say(_summary(result))


@commands.command(cls=Command)
def serve(
    portfolio: Annotated[Path, typer.Argument(metavar="PORTFOLIO", help="The portfolio file.", show_default=False)],
    data: Data,
    out: Site = Path("site"),
    work: Work = None,
    formats: Formats = "pdf,docx,html",
    theme_dir: ThemeDir = None,
    jobs: Jobs = 1,
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=0, max=65535, help="Port on 127.0.0.1 (0: any free one).")
    ] = 8000,
    pdf_engine: PdfEngine = "weasyprint",
) -> None:
    """Preview the portal on localhost, rebuilt whenever the portfolio, the data or the theme changes."""
    from slaforge.portal.serve import serve as run

    options = _options(data, out, work, formats, theme_dir, jobs, False, pdf_engine)
    run(portfolio, options, port, lambda text: say(text), lambda result: say(_summary(result)))
