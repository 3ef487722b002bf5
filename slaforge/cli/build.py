"""``slaforge validate`` and ``slaforge build``: specs and portfolios, checked or built."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from slaforge.cli.exits import emit_json, failed_entry, say, warn, wrote
from slaforge.cli.help import Command
from slaforge.cli.options import (
    ClauseDirs,
    Formats,
    Out,
    PdfEngine,
    PdfVariant,
    Strict,
    ThemeDir,
    formats_of,
    is_portfolio,
    pdf_engine_of,
)
from slaforge.errors import SlaforgeError, UsageError

if TYPE_CHECKING:
    from slaforge.build import BuildOptions

commands = typer.Typer()


@commands.command(cls=Command)
def validate(
    specs: Annotated[list[Path], typer.Argument(metavar="SPEC", help="Spec files to check.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable report.")] = False,
    strict: Strict = False,
) -> None:
    """Check specs: every problem at once, with file, line, column and field path."""
    report = [
        _validate_portfolio(p, strict, as_json) if is_portfolio(p) else _validate(p, strict, as_json) for p in specs
    ]
    failed = not all(entry["valid"] for entry in report)
    if as_json:
        say(json.dumps({"valid": not failed, "specs": report}, indent=2))
    if failed:
        raise typer.Exit(1)


def _invalid(path: Path, error: SlaforgeError, as_json: bool) -> dict[str, Any]:
    if not as_json:
        say(error.format(), err=True)
    problems = [p.as_dict() for p in error.problems]
    return {"spec": str(path), "valid": False, "problems": problems, "message": error.message}


def _validate(path: Path, strict: bool, as_json: bool) -> dict[str, Any]:
    """Check one spec as ``validate`` does; the entry of the JSON report."""
    from slaforge.build import BuildOptions, document_for
    from slaforge.spec import load_spec

    try:
        loaded = load_spec(path, strict=strict)
        document_for(loaded, BuildOptions(strict=strict))  # every check a build makes short of rendering
    except SlaforgeError as error:
        if [p.code for p in error.problems] == ["offer-file"]:
            return _validate_offer(path, strict, as_json)
        return _invalid(path, error, as_json)
    spec = loaded.spec
    if not as_json:
        warn(list(loaded.warnings))
        services = ", ".join(s.id for s in spec.services)
        say(
            f"{path}: ok - {spec.agreement.id} v{spec.agreement.version} ({spec.level.value} level, "
            f"{len(spec.services)} service{'s' if len(spec.services) != 1 else ''}: {services}; "
            f"{len(spec.severities) or 'no'} severity level{'s' if len(spec.severities) != 1 else ''}; "
            f"{'service credits' if spec.service_credits else 'no service credits'}; "
            f"{len(loaded.warnings)} warning{'s' if len(loaded.warnings) != 1 else ''})"
        )
    return {
        "spec": str(path),
        "valid": True,
        "problems": [p.as_dict() for p in loaded.warnings],
        "agreement": spec.agreement.id,
        "version": spec.agreement.version,
        "level": spec.level.value,
        "services": [s.id for s in spec.services],
    }


def _validate_portfolio(path: Path, strict: bool, as_json: bool) -> dict[str, Any]:
    """Check a portfolio as ``validate`` checks a spec; the entry of the JSON report."""
    from collections import Counter

    from slaforge.portfolio.build import PortfolioOptions, check_portfolio

    try:
        portfolio, report = check_portfolio(path, PortfolioOptions(strict=strict))
    except SlaforgeError as error:
        return _invalid(path, error, as_json)
    warnings = [*portfolio.warnings, *report.warnings]
    if not as_json:
        warn(warnings)
        kinds = Counter(d.kind.value for d in portfolio.documents.values())
        say(
            f"{path}: ok - portfolio {portfolio.file.portfolio.id}: {len(portfolio.documents)} documents ("
            + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
            + f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
        )
    return {"spec": str(path), "valid": True, "problems": [w.as_dict() for w in warnings]}


def _validate_offer(path: Path, strict: bool, as_json: bool) -> dict[str, Any]:
    """Check a tiered offer as ``slaforge offers`` does, short of rendering: every tier, envelope and the order."""
    from slaforge.offers.build import OfferOptions, offer_documents

    try:
        documents = offer_documents(path, OfferOptions(strict=strict))
    except SlaforgeError as error:
        return _invalid(path, error, as_json)
    tiers = [t.tier.id for t in documents.offer.tiers]
    if not as_json:
        warn(list(documents.warnings))
        envelopes, count = len(documents.readings), len(documents.warnings)
        say(
            f"{path}: ok - offer {documents.offer.base_id}: {len(tiers)} tiers ({', '.join(tiers)}); "
            f"{envelopes} negotiation envelope{'s' if envelopes != 1 else ''}; "
            f"{count} warning{'s' if count != 1 else ''}"
        )
    return {"spec": str(path), "valid": True, "problems": [w.as_dict() for w in documents.warnings], "tiers": tiers}


@commands.command(cls=Command)
def build(
    specs: Annotated[list[Path], typer.Argument(metavar="SPEC", help="Spec files to build.", show_default=False)],
    formats: Formats = "pdf,docx,html",
    out: Out = Path("out"),
    theme_dir: ThemeDir = None,
    clause_dirs: ClauseDirs = None,
    pdf_variant: PdfVariant = "pdf/ua-1",
    pdf_engine: PdfEngine = "weasyprint",
    strict: Strict = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", metavar="N", min=1, help="Portfolios: render in N processes.")
    ] = 1,
    standalone: Annotated[
        bool, typer.Option("--standalone", help="Portfolios: lower documents repeat the terms they inherit.")
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Portfolios: move the files of documents no longer in the portfolio to OUT/issued/."
        ),
    ] = False,
    executor: Annotated[
        str,
        typer.Option(
            "--executor",
            metavar="EXECUTOR",
            help="Portfolios: local (processes, see --jobs) or dask (a Dask cluster, see --scheduler; "
            "pip install 'slaforge[dask]').",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="With --executor dask: the cluster's scheduler, e.g. tcp://10.0.0.5:8786.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written, the warnings and the counts as JSON.")
    ] = False,
) -> None:
    """Build agreements (or every document of a portfolio) as PDF, DOCX and HTML (default: all three, into out/).

    With --json, standard output is one JSON report: ok, and per input its source, kind (spec or portfolio),
    the files written and the warnings (each with file, line, column, path, given, expected); for a
    portfolio also the documents rendered, up_to_date and unchanged, the versions issued (moved to
    OUT/issued/) and those pruned; for an input that failed, its problems.
    """
    from slaforge.build import BuildOptions
    from slaforge.renderers import PDF_VARIANTS

    chosen = formats_of(formats)
    if pdf_variant not in PDF_VARIANTS:
        raise UsageError(f"unknown --pdf-variant {pdf_variant!r}: expected one of {', '.join(PDF_VARIANTS)}")
    engine = pdf_engine_of(pdf_engine, chosen)
    cluster = scheduler_of(executor, scheduler, jobs)
    options = BuildOptions(chosen, out, theme_dir, tuple(clause_dirs or ()), pdf_variant, strict, engine)
    # each spec is built on its own: one that fails does not stop the others, and the command fails
    entries = [_build_one(path, options, jobs, standalone, prune, as_json, cluster) for path in specs]
    if as_json:
        emit_json({"ok": all(e["ok"] for e in entries), "results": entries})
    if not all(e["ok"] for e in entries):
        raise typer.Exit(1)


def scheduler_of(executor: str, scheduler: str | None, jobs: int) -> str | None:
    """The Dask scheduler to render on, or None for local processes; refuse options that do not go together."""
    if executor not in ("local", "dask"):
        raise UsageError(f"unknown --executor {executor!r}: expected local or dask")
    if executor == "local":
        if scheduler is not None:
            raise UsageError("--scheduler names a Dask cluster: use it with --executor dask")
        return None
    if not scheduler:
        raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    if jobs != 1:
        raise UsageError("--jobs sets local processes; a Dask cluster renders with its own workers")
    return scheduler


def _build_one(
    path: Path,
    options: BuildOptions,
    jobs: int,
    standalone: bool,
    prune: bool,
    as_json: bool,
    scheduler: str | None = None,
) -> dict[str, Any]:
    """Build one spec or portfolio; its ``--json`` entry (``ok`` false when it failed; the problems printed
    unless ``as_json``)."""
    try:
        if is_portfolio(path):
            return _build_portfolio(path, options, jobs, standalone, prune, as_json, scheduler)
        from slaforge.build import build_spec

        result = build_spec(path, options)
        if not as_json:
            warn(result.warnings)
            wrote(result.outputs)
        return {"source": str(path), "ok": True, "kind": "spec", "written": [str(p) for p in result.outputs],
                "warnings": [w.as_dict() for w in result.warnings]}  # fmt: skip
    except SlaforgeError as error:
        if not as_json:
            say(f"{path}: build failed", err=True)
            say(error.format(), err=True)
        return failed_entry(path, error)


def _build_portfolio(
    path: Path, options: BuildOptions, jobs: int, standalone: bool, prune: bool, as_json: bool, scheduler: str | None
) -> dict[str, Any]:
    from slaforge.portfolio.build import PortfolioOptions, build_portfolio
    from slaforge.portfolio.progress import ProgressReport

    progress = ProgressReport(sys.stderr)
    try:
        chosen = PortfolioOptions(**vars(options), standalone=standalone, jobs=jobs, prune=prune, scheduler=scheduler)
        result = build_portfolio(path, chosen, progress)
    finally:
        progress.close()
    written = [*result.outputs, *([result.index] if result.index else [])]
    if as_json:
        return {
            "source": str(path),
            "ok": True,
            "kind": "portfolio",
            "written": [str(p) for p in written],
            "warnings": [w.as_dict() for w in result.warnings],
            "rendered": result.rendered,
            "up_to_date": result.up_to_date,
            "unchanged": result.unchanged,
            "issued": [{"document": d, "version": v} for d, v in result.archived],
            "pruned": result.pruned,
        }
    warn(result.warnings)
    wrote(written)
    issued = options.out_dir / "issued"
    for document_id, version in result.archived:
        say(f"{document_id}: v{version} kept in {issued} (issued before)", err=True)
    for document_id in result.pruned:
        say(f"{document_id}: no longer in the portfolio, its files moved to {issued}", err=True)
    say(
        f"{path}: {len(result.rendered)} document(s) rendered"
        + (f" ({', '.join(result.rendered)})" if result.rendered else "")
        + f", {len(result.up_to_date)} up to date"
        + (f" ({', '.join(result.up_to_date)})" if result.up_to_date else "")
        + (
            f", {len(result.unchanged)} unchanged by the change ({', '.join(result.unchanged)})"
            if result.unchanged
            else ""
        )
    )
    return {"source": str(path), "ok": True}
