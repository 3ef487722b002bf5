"""``slaforge report``: the service level report for one measurement window, from measured data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say, wrote
from slaforge.cli.help import Command
from slaforge.cli.options import DocumentId, Formats, Json, Out, PdfEngine, ThemeDir, formats_of, pdf_engine_of

commands = typer.Typer()


@commands.command(cls=Command)
def report(
    spec: Annotated[
        Path, typer.Argument(metavar="SPEC", help="The agreement's spec file, or a portfolio.", show_default=False)
    ],
    data: Annotated[
        Path, typer.Option("--data", metavar="FOLDER", help="Measured data: a CSV file or a folder of them.")
    ],
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="PERIOD", help="The window to report, e.g. 2027-03 (default: the latest)"),
    ] = None,
    document: DocumentId = None,
    formats: Formats = "pdf,docx,html",
    out: Out = Path("out"),
    theme_dir: ThemeDir = None,
    pdf_engine: PdfEngine = "weasyprint",
    as_json: Json = False,
) -> None:
    """Service level report: achieved availability, attainment, breaches and credits from measured data.

    With --json, the window's figures are printed as JSON (exact values; docs/portal.md) and no file is written.
    """
    from slaforge.reports.build import build_report, report_facts

    if as_json:
        say(json.dumps(report_facts(spec, data, period=period, document=document), indent=2, ensure_ascii=False))
        return

    chosen = formats_of(formats)
    engine = pdf_engine_of(pdf_engine, chosen)
    options = {"formats": chosen, "out_dir": out, "theme_dir": theme_dir, "pdf_engine": engine}
    built = build_report(spec, data, period=period, document=document, **options)
    wrote(built.outputs)
