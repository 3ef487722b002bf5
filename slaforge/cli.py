"""The command line: parse, call, map errors to exit codes.  No logic lives here.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage error.
Heavy modules (WeasyPrint, python-docx, pydantic models) are imported inside
the commands so that ``slaforge --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from slaforge import __version__
from slaforge.errors import SlaforgeError

if TYPE_CHECKING:
    from slaforge.build import BuildOptions

app = typer.Typer(
    name="slaforge",
    help="Service level agreements from a structured YAML spec and a reviewed clause library.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
clauses_app = typer.Typer(help="Browse and check the clause library.", no_args_is_help=True)
app.add_typer(clauses_app, name="clauses")
calc_app = typer.Typer(help="SLA arithmetic: downtime budgets, deadlines, service credits.", no_args_is_help=True)
app.add_typer(calc_app, name="calc")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slaforge {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Service level agreements from a structured YAML spec and a reviewed clause library."""


def fail(error: SlaforgeError) -> NoReturn:
    typer.echo(error.format(), err=True)
    raise typer.Exit(error.exit_code)


# ------------------------------------------------------------------ validate, schema, init


@app.command()
def validate(
    specs: Annotated[list[Path], typer.Argument(help="Spec files to check.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print a machine-readable report.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check specs: every problem at once, with file, line, column and field path."""
    from slaforge.errors import SpecError
    from slaforge.spec import load_spec

    report = []
    failed = False
    for path in specs:
        if _is_portfolio(path):
            report.append(_validate_portfolio(path, strict, as_json))
            failed = failed or not report[-1]["valid"]
            continue
        try:
            loaded = load_spec(path, strict=strict)
        except SpecError as error:
            failed = True
            report.append(
                {
                    "spec": str(path),
                    "valid": False,
                    "problems": [p.as_dict() for p in error.problems],
                    "message": error.message,
                }
            )
            if not as_json:
                typer.echo(error.format(), err=True)
            continue
        spec = loaded.spec
        report.append(
            {
                "spec": str(path),
                "valid": True,
                "problems": [p.as_dict() for p in loaded.warnings],
                "agreement": spec.agreement.id,
                "version": spec.agreement.version,
                "level": spec.level.value,
                "services": [s.id for s in spec.services],
            }
        )
        if not as_json:
            for warning in loaded.warnings:
                typer.echo(warning.format(), err=True)
            services = ", ".join(s.id for s in spec.services)
            typer.echo(
                f"{path}: ok - {spec.agreement.id} v{spec.agreement.version} ({spec.level.value} level, "
                f"{len(spec.services)} service{'s' if len(spec.services) != 1 else ''}: {services}; "
                f"{len(spec.responsiveness.severities)} severity levels; "
                f"{'service credits' if spec.service_credits else 'no service credits'}; "
                f"{len(loaded.warnings)} warning{'s' if len(loaded.warnings) != 1 else ''})"
            )
    if as_json:
        typer.echo(json.dumps({"valid": not failed, "specs": report}, indent=2))
    if failed:
        raise typer.Exit(1)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="The spec reference in Markdown instead.")] = False,
) -> None:
    """Print the JSON Schema of the spec, for editors that check and complete YAML."""
    if markdown:
        from slaforge.spec.reference import spec_reference

        text = spec_reference()
    else:
        from slaforge.spec.schema import spec_schema

        text = json.dumps(spec_schema(), indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        from slaforge.writers import write_atomic

        write_atomic(output, text.encode())


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter spec.")],
    kind: Annotated[str, typer.Option("--kind", help="service, customer or corporate")] = "service",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter spec that validates."""
    from slaforge.spec.starter import starter_spec
    from slaforge.writers import write_atomic

    if kind not in ("service", "customer", "corporate"):
        typer.echo(f"error: --kind must be service, customer or corporate, not {kind!r}", err=True)
        raise typer.Exit(2)
    if path.exists() and not force:
        typer.echo(f"error: {path} already exists (use --force to overwrite)", err=True)
        raise typer.Exit(1)
    write_atomic(path, starter_spec(kind).encode())
    typer.echo(f"wrote {path}: edit it, then run 'slaforge validate {path}'")


# ------------------------------------------------------------------ build


@app.command()
def build(
    specs: Annotated[list[Path], typer.Argument(help="Spec files to build.", show_default=False)],
    formats: Annotated[str, typer.Option("-f", "--formats", help="Comma-separated: pdf,docx,html")] = "pdf,docx,html",
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    theme_dir: Annotated[
        Path | None, typer.Option("--theme-dir", help="Theme folder overriding the built-in one.")
    ] = None,
    clause_dirs: Annotated[list[Path] | None, typer.Option("--clauses", help="Own clause folder (repeatable).")] = None,
    pdf_variant: Annotated[
        str, typer.Option("--pdf-variant", help="pdf/ua-1 (default) or a PDF/A variant such as pdf/a-3b")
    ] = "pdf/ua-1",
    strict: Annotated[bool, typer.Option("--strict", help="Treat spec warnings as errors.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Portfolios: render in N processes.")] = 1,
    standalone: Annotated[
        bool, typer.Option("--standalone", help="Portfolios: lower documents repeat the terms they inherit.")
    ] = False,
) -> None:
    """Build agreements (or every document of a portfolio) as PDF, DOCX and HTML (default: all three, into out/)."""
    from slaforge.build import BuildOptions, build_spec
    from slaforge.renderers import PDF_VARIANTS, parse_formats

    try:
        chosen = parse_formats(formats)
    except SlaforgeError as error:
        fail(error)
    if pdf_variant not in PDF_VARIANTS:
        typer.echo(f"error: unknown --pdf-variant {pdf_variant!r}: expected one of {', '.join(PDF_VARIANTS)}", err=True)
        raise typer.Exit(2)
    options = BuildOptions(
        formats=tuple(chosen),
        out_dir=out,
        theme_dir=theme_dir,
        clause_dirs=tuple(clause_dirs or ()),
        pdf_variant=pdf_variant,
        strict=strict,
    )
    failed = 0
    for path in specs:
        if _is_portfolio(path):
            failed += _build_portfolio(path, options, jobs, standalone)
            continue
        try:
            result = build_spec(path, options)
        except SlaforgeError as error:
            failed += 1
            typer.echo(f"{path}: build failed", err=True)
            typer.echo(error.format(), err=True)
            continue
        for warning in result.warnings:
            typer.echo(warning.format(), err=True)
        for output in result.outputs:
            typer.echo(f"wrote {output}")
    if failed:
        raise typer.Exit(1)


# ------------------------------------------------------------------ clauses


@clauses_app.command("list")
def clauses_list(
    category: Annotated[str | None, typer.Option("--category", help="Only this category.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    clause_dirs: Annotated[list[Path] | None, typer.Option("--clauses", help="Own clause folder (repeatable).")] = None,
) -> None:
    """List the clauses: id, category, levels, positions, title."""
    from slaforge.library.clauses import load_library

    try:
        library = load_library(list(clause_dirs or ()))
    except SlaforgeError as error:
        fail(error)
    rows = [c for c in library.ordered() if category is None or c.meta.category == category]
    if category is not None and category not in library.category_ids:
        typer.echo(
            f"error: unknown category {category!r}: expected one of {', '.join(sorted(library.category_ids))}", err=True
        )
        raise typer.Exit(2)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "title": c.meta.title,
                        "category": c.meta.category,
                        "version": c.meta.version,
                        "levels": c.meta.levels,
                        "positions": list(c.wordings),
                        "when": c.meta.when,
                        "builtin": c.builtin,
                        "path": str(c.path),
                    }
                    for c in rows
                ],
                indent=2,
            )
        )
        return
    width = max((len(c.id) for c in rows), default=10)
    for c in rows:
        extra = "" if list(c.wordings) == ["standard"] else f"  [{', '.join(c.wordings)}]"
        own = "" if c.builtin else "  (own)"
        typer.echo(f"{c.id:<{width}}  {c.meta.title}{extra}{own}")


@clauses_app.command("show")
def clauses_show(
    clause_id: Annotated[str, typer.Argument(help="Clause id, e.g. penalties.service-credits")],
    position: Annotated[str, typer.Option("--position", help="Which wording.")] = "standard",
    clause_dirs: Annotated[list[Path] | None, typer.Option("--clauses", help="Own clause folder (repeatable).")] = None,
) -> None:
    """Show one clause: its front matter and the wording of a position."""
    from slaforge.library.clauses import load_library

    try:
        library = load_library(list(clause_dirs or ()))
        clause = library.clauses.get(clause_id)
        if clause is None:
            import difflib

            close = difflib.get_close_matches(clause_id, list(library.clauses), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            typer.echo(f"error: no clause {clause_id!r}{hint}", err=True)
            raise typer.Exit(1)
        wording = clause.wording(position)
    except SlaforgeError as error:
        fail(error)
    meta = clause.meta
    typer.echo(f"{meta.id}  {meta.title}  (version {meta.version}, {clause.path})")
    typer.echo(f"category: {meta.category}; levels: {', '.join(meta.levels)}; positions: {', '.join(clause.wordings)}")
    if meta.when:
        typer.echo(f"when: {meta.when}")
    if meta.params:
        typer.echo(f"params: {', '.join(meta.params)}")
    for term, text in meta.defines.items():
        typer.echo(f"defines {term}: {text}")
    typer.echo(f"--- position {position} ---")
    typer.echo(wording.text.strip("\n"))


@clauses_app.command("check")
def clauses_check(
    folder: Annotated[
        Path | None, typer.Argument(help="A clause folder to lint (default: the built-in library).")
    ] = None,
    samples: Annotated[
        list[Path] | None,
        typer.Option(
            "--sample", help="Spec to render every clause against (repeatable; default: the built-in samples)."
        ),
    ] = None,
) -> None:
    """Lint a clause library: front matter, params, cross-references, terms, and rendering against samples."""
    from slaforge.compose.lint import check_library, spec_samples
    from slaforge.library.clauses import Library

    def read_sample(path: Path, library: Library) -> list:  # type: ignore[type-arg]
        if _is_portfolio(path):
            from slaforge.portfolio.subordination import clause_samples

            return clause_samples(path, library)
        return spec_samples(path, library)

    try:
        report = check_library(folder, list(samples or ()), read_sample)
    except SlaforgeError as error:
        fail(error)
    for problem in report.problems:
        typer.echo(problem.format(), err=True)
    errors = [p for p in report.problems if p.severity == "error"]
    typer.echo(
        f"{report.clauses} clauses checked against {report.samples} sample spec(s): "
        f"{len(errors)} error(s), {len(report.problems) - len(errors)} warning(s)"
    )
    if errors:
        raise typer.Exit(1)


# ------------------------------------------------------------------ calc


def _answer(make, text, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    try:
        answer = make()
    except SlaforgeError as error:
        fail(error)
    typer.echo(json.dumps(answer, indent=2) if as_json else text(answer))


JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@calc_app.command("downtime")
def calc_downtime(
    target: Annotated[str, typer.Argument(help="Availability target, e.g. 99.95%")],
    window: Annotated[str, typer.Option("--window", help="calendar-month, 30d, quarter, fiscal-quarter, year")] = (
        "calendar-month"
    ),
    period: Annotated[str | None, typer.Option("--period", help="2027-02, 2027-Q1, 2027 or A..B")] = None,
    hours: Annotated[
        str | None, typer.Option("--hours", help="SPEC.yaml#service: count only its service hours")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The downtime a target allows in a window (exact), optionally within service hours only."""
    from slaforge.arithmetic.answers import downtime_answer, downtime_text

    _answer(lambda: downtime_answer(target, window, period, hours), downtime_text, as_json)


@calc_app.command("deadline")
def calc_deadline(
    spec: Annotated[Path, typer.Argument(help="Spec file.")],
    severity: Annotated[str, typer.Option("--severity", help="Severity id, e.g. P2")],
    reported: Annotated[str, typer.Option("--reported", help="When it was reported, e.g. 2027-03-05T16:45")],
    service: Annotated[str | None, typer.Option("--service", help="Service id.")] = None,
    as_json: JsonOption = False,
) -> None:
    """When the response, first update and resolution are due, in the service's time zone."""
    from slaforge.arithmetic.answers import deadline_answer, deadline_text

    _answer(lambda: deadline_answer(spec, service, severity, reported), deadline_text, as_json)


@calc_app.command("credit")
def calc_credit(
    spec: Annotated[Path, typer.Argument(help="Spec file.")],
    uptime: Annotated[str, typer.Option("--uptime", help="Measured availability, e.g. 99.2")],
    service: Annotated[str | None, typer.Option("--service", help="Service id.")] = None,
    fee: Annotated[str | None, typer.Option("--fee", help="Fee for the window, e.g. '12000 EUR'")] = None,
    period: Annotated[str | None, typer.Option("--period", help="The measured period, e.g. 2027-03")] = None,
    event: Annotated[list[str] | None, typer.Option("--event", help="EVENT[:SEVERITY]=COUNT (repeatable)")] = None,
    history: Annotated[
        str | None, typer.Option("--history", help="Availability of the previous windows, oldest first: 99.9,99.2")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The service credit owed: band hit, caps and minimums, per-event credits, chronic failure."""
    from slaforge.arithmetic.answers import credit_answer, credit_text

    past = [h for h in (history or "").split(",") if h.strip()]
    _answer(lambda: credit_answer(spec, service, uptime, fee, period, list(event or ()), past), credit_text, as_json)


# ------------------------------------------------------------------ offers


@app.command()
def offers(
    spec: Annotated[Path, typer.Argument(help="Offer file: a base spec, tiers and envelopes.", show_default=False)],
    formats: Annotated[str, typer.Option("-f", "--formats", help="Comma-separated: pdf,docx,html")] = "pdf,docx",
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    position: Annotated[
        str, typer.Option("--position", help="Envelope value for terms a tier does not set: preferred or fallback")
    ] = "preferred",
    allow_beyond_limit: Annotated[
        bool, typer.Option("--allow-beyond-limit", help="Draft values beyond a walk-away limit (the sheet says so).")
    ] = False,
    theme_dir: Annotated[
        Path | None, typer.Option("--theme-dir", help="Theme folder overriding the built-in one.")
    ] = None,
    clause_dirs: Annotated[list[Path] | None, typer.Option("--clauses", help="Own clause folder (repeatable).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Tiered offer: a draft agreement per tier, a comparison matrix and an internal negotiation sheet."""
    from slaforge.offers.build import OfferOptions, build_offer
    from slaforge.renderers import parse_formats

    if position not in ("preferred", "fallback"):
        typer.echo(f"error: --position must be preferred or fallback, not {position!r}", err=True)
        raise typer.Exit(2)
    try:
        chosen = parse_formats(formats)
        options = OfferOptions(
            formats=tuple(chosen),
            out_dir=out,
            position=position,  # type: ignore[arg-type]
            allow_beyond_limit=allow_beyond_limit,
            theme_dir=theme_dir,
            clause_dirs=tuple(clause_dirs or ()),
            strict=strict,
        )
        result = build_offer(spec, options)
    except SlaforgeError as error:
        typer.echo(f"{spec}: offer failed", err=True)
        fail(error)
    for warning in result.warnings:
        typer.echo(warning.format(), err=True)
    for crossing in result.crossings:
        typer.echo(f"warning: beyond a walk-away limit (allowed): {crossing}", err=True)
    for output in result.outputs:
        typer.echo(f"wrote {output}")


# ------------------------------------------------------------------ service level reports, export

export_app = typer.Typer(help="The agreement's objectives in formats monitoring tools read.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@app.command()
def report(
    spec: Annotated[Path, typer.Argument(help="The agreement's spec file.", show_default=False)],
    data: Annotated[Path, typer.Option("--data", help="Measured data: a CSV file or a folder of them.")],
    period: Annotated[
        str | None, typer.Option("--period", help="The window to report, e.g. 2027-03 (default: the latest)")
    ] = None,
    formats: Annotated[str, typer.Option("-f", "--formats", help="Comma-separated: pdf,docx,html")] = "pdf,docx,html",
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    theme_dir: Annotated[
        Path | None, typer.Option("--theme-dir", help="Theme folder overriding the built-in one.")
    ] = None,
) -> None:
    """Service level report: achieved availability, attainment, breaches and credits from measured data."""
    from slaforge.renderers import parse_formats
    from slaforge.reports.build import build_report

    try:
        chosen = parse_formats(formats)
        result = build_report(spec, data, period=period, formats=chosen, out_dir=out, theme_dir=theme_dir)
    except SlaforgeError as error:
        fail(error)
    for output in result.outputs:
        typer.echo(f"wrote {output}")


@export_app.command("openslo")
def export_openslo(
    spec: Annotated[Path, typer.Argument(help="The agreement's spec file.", show_default=False)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
) -> None:
    """The agreement's objectives as OpenSLO v1 YAML: availability per service, attainment per severity."""
    from slaforge.export.openslo import openslo_yaml
    from slaforge.spec import load_spec

    try:
        text = openslo_yaml(load_spec(spec).spec)
    except SlaforgeError as error:
        fail(error)
    if output is None:
        typer.echo(text, nl=False)
    else:
        from slaforge.writers import write_atomic

        write_atomic(output, text.encode())


# ------------------------------------------------------------------ diff


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Old version: a spec file or REV:path (e.g. v2.1:samples/x.yaml).")],
    new: Annotated[str, typer.Argument(help="New version: a spec file or REV:path.")],
    fmt: Annotated[str, typer.Option("--format", help="text, md, json, or a redline: html, pdf, docx")] = "text",
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="Write to this file, or into this folder (a trailing /).")
    ] = None,
    theme_dir: Annotated[
        Path | None, typer.Option("--theme-dir", help="Theme folder overriding the built-in one.")
    ] = None,
    clause_dirs: Annotated[list[Path] | None, typer.Option("--clauses", help="Own clause folder (repeatable).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat spec warnings as errors.")] = False,
) -> None:
    """Compare two versions of an agreement: changed values and clauses, or a redline."""
    from slaforge.diff.build import DiffOptions, check_format, run_diff

    try:
        target = Path(output) if output else None
        folder = output is not None and output.endswith(("/", os.sep))
        options = DiffOptions(check_format(fmt), target, theme_dir, tuple(clause_dirs or ()), strict, folder)
        _, data, target = run_diff(old, new, options)
    except SlaforgeError as error:
        fail(error)
    if target is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        typer.echo(f"wrote {target}")


# ------------------------------------------------------------------ portfolios


def _is_portfolio(path: Path) -> bool:
    from slaforge.portfolio.inherit import is_portfolio_file

    return is_portfolio_file(path)


def _validate_portfolio(path: Path, strict: bool, as_json: bool) -> dict[str, object]:
    """Check a portfolio as ``validate`` checks a spec; the entry of the JSON report."""
    from collections import Counter

    from slaforge.portfolio.build import PortfolioOptions, check_portfolio

    try:
        portfolio, report = check_portfolio(path, PortfolioOptions(strict=strict))
    except SlaforgeError as error:
        if not as_json:
            typer.echo(error.format(), err=True)
        problems = [p.as_dict() for p in error.problems]
        return {"spec": str(path), "valid": False, "problems": problems, "message": error.message}
    warnings = [*portfolio.warnings, *report.warnings]
    if not as_json:
        for warning in warnings:
            typer.echo(warning.format(), err=True)
        kinds = Counter(d.kind.value for d in portfolio.documents.values())
        typer.echo(
            f"{path}: ok - portfolio {portfolio.file.portfolio.id}: {len(portfolio.documents)} documents ("
            + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
            + f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
        )
    return {"spec": str(path), "valid": True, "problems": [w.as_dict() for w in warnings]}


def _build_portfolio(path: Path, options: BuildOptions, jobs: int, standalone: bool) -> int:
    """Build one portfolio; 1 when it failed (the problems are printed), else 0."""
    from slaforge.portfolio.build import PortfolioOptions, build_portfolio
    from slaforge.portfolio.progress import ProgressReport

    progress = ProgressReport(sys.stderr)
    portfolio_options = PortfolioOptions(**vars(options), standalone=standalone, jobs=jobs)
    try:
        result = build_portfolio(path, portfolio_options, progress)
    except SlaforgeError as error:
        progress.close()
        typer.echo(f"{path}: build failed", err=True)
        typer.echo(error.format(), err=True)
        return 1
    progress.close()
    for warning in result.warnings:
        typer.echo(warning.format(), err=True)
    for output in result.outputs:
        typer.echo(f"wrote {output}")
    typer.echo(f"wrote {result.index}")
    typer.echo(
        f"{path}: {len(result.rendered)} document(s) rendered"
        + (f" ({', '.join(result.rendered)})" if result.rendered else "")
        + f", {len(result.up_to_date)} up to date"
        + (f" ({', '.join(result.up_to_date)})" if result.up_to_date else "")
    )
    return 0


@app.command()
def explain(
    spec: Annotated[Path, typer.Argument(help="A spec or a portfolio file.", show_default=False)],
    path: Annotated[str, typer.Argument(help="Dotted path, e.g. services.email.availability.target")],
    document: Annotated[str | None, typer.Option("--document", help="Portfolios: the document's id.")] = None,
) -> None:
    """Where a value comes from: the file, line and level that set it, and what it overrode."""
    from slaforge.portfolio.explain import explain as explain_value
    from slaforge.portfolio.explain import explanation_text

    try:
        typer.echo(explanation_text(explain_value(spec, path, document)))
    except SlaforgeError as error:
        fail(error)


def main() -> None:
    try:
        app()
    except SlaforgeError as error:  # a command that did not catch its own
        typer.echo(error.format(), err=True)
        sys.exit(error.exit_code)


if __name__ == "__main__":
    main()
