"""``slaforge offers``: a tiered offer's drafts, comparison matrix and negotiation sheet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slaforge.cli.exits import emit_json, failed_entry, say, warn, wrote
from slaforge.cli.help import Command
from slaforge.cli.options import ClauseDirs, Formats, Out, PdfEngine, Strict, ThemeDir, formats_of, pdf_engine_of
from slaforge.errors import UsageError

if TYPE_CHECKING:
    from slaforge.offers.build import OfferOptions

commands = typer.Typer()
POSITIONS = ("preferred", "fallback")


@commands.command(cls=Command)
def offers(
    spec: Annotated[
        Path, typer.Argument(metavar="SPEC", help="Offer file: a base spec, tiers and envelopes.", show_default=False)
    ],
    formats: Formats = "pdf,docx",
    out: Out = Path("out"),
    position: Annotated[
        str,
        typer.Option(
            "--position", metavar="POSITION", help="Envelope value for terms a tier does not set: preferred or fallback"
        ),
    ] = "preferred",
    allow_beyond_limit: Annotated[
        bool, typer.Option("--allow-beyond-limit", help="Draft values beyond a walk-away limit (the sheet says so).")
    ] = False,
    theme_dir: ThemeDir = None,
    clause_dirs: ClauseDirs = None,
    pdf_engine: PdfEngine = "weasyprint",
    strict: Strict = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written, the warnings and the tiers as JSON.")
    ] = False,
) -> None:
    """Tiered offer: a draft agreement per tier, a comparison matrix and an internal negotiation sheet.

    With --json, standard output is one JSON report: ok, and for the offer its source, the files written,
    the warnings and the walk-away limits crossed (beyond_limit); when it fails, its problems.
    """
    from slaforge.offers.build import OfferOptions, build_offer

    if position not in POSITIONS:
        raise UsageError(f"--position must be preferred or fallback, not {position!r}")
    chosen = formats_of(formats)
    options = OfferOptions(
        formats=chosen,
        out_dir=out,
        position=position,  # type: ignore[arg-type]
        allow_beyond_limit=allow_beyond_limit,
        theme_dir=theme_dir,
        clause_dirs=tuple(clause_dirs or ()),
        strict=strict,
        pdf_engine=pdf_engine_of(pdf_engine, chosen),
    )
    if as_json:
        _offers_json(spec, options)
        return
    result = build_offer(spec, options)
    warn(result.warnings)
    for crossing in result.crossings:
        say(f"warning: beyond a walk-away limit (allowed): {crossing}", err=True)
    wrote(result.outputs)


def _offers_json(spec: Path, options: OfferOptions) -> None:
    """``offers --json``: what was written, the warnings, the walk-away limits crossed; the problems on failure."""
    from slaforge.errors import SlaforgeError
    from slaforge.offers.build import build_offer

    try:
        result = build_offer(spec, options)
    except SlaforgeError as error:
        emit_json({"ok": False, "results": [failed_entry(spec, error)]})
        raise typer.Exit(1) from None
    entry = {
        "source": str(spec),
        "ok": True,
        "kind": "offer",
        "written": [str(p) for p in result.outputs],
        "warnings": [w.as_dict() for w in result.warnings],
        "beyond_limit": result.crossings,
    }
    emit_json({"ok": True, "results": [entry]})
