"""``slaforge calc downtime | deadline | credit``: SLA arithmetic, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import DocumentId, Json
from slaforge.errors import UsageError

app = typer.Typer(help="SLA arithmetic: downtime budgets, deadlines, service credits.", no_args_is_help=True)
Service = Annotated[str | None, typer.Option("--service", metavar="SERVICE", help="Service id.")]
Commitment = Annotated[
    str | None,
    typer.Option("--commitment", metavar="COMMITMENT", help="Commitment id, when the service makes several."),
]


def _loader(document: str | None) -> Any:
    """Reads the spec a command names: a spec file, or the document ``--document`` of a portfolio."""
    from slaforge.layers.documents import load_document

    return lambda path: load_document(path, document)


def _print(answer: dict[str, Any], text: Callable[[dict[str, Any]], str], as_json: bool) -> None:
    say(json.dumps(answer, indent=2) if as_json else text(answer))


@app.command("downtime", cls=Command)
def calc_downtime(
    target: Annotated[str, typer.Argument(metavar="PERCENT", help="Availability target, e.g. 99.95%")],
    window: Annotated[
        str | None,
        typer.Option(
            "--window",
            metavar="WINDOW",
            help="calendar-month, 30d, quarter, fiscal-quarter, year (default: the --period's own kind, else the "
            "commitment's window with --hours, else calendar-month)",
        ),
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", metavar="PERIOD", help="2027-02, 2027-Q1, 2027 or A..B")
    ] = None,
    hours: Annotated[
        str | None,
        typer.Option(
            "--hours", metavar="SPEC#SERVICE", help="SPEC.yaml#service[.commitment]: count only its service hours"
        ),
    ] = None,
    document: DocumentId = None,
    as_json: Json = False,
) -> None:
    """The downtime a target allows in a window (exact), optionally within service hours only."""
    from slaforge.arithmetic.answers import downtime_answer, downtime_text

    if document is not None and hours is None:
        raise UsageError("--document names the portfolio document whose hours --hours PORTFOLIO#SERVICE counts")
    _print(downtime_answer(target, window, period, hours, _loader(document)), downtime_text, as_json)


@app.command("deadline", cls=Command)
def calc_deadline(
    spec: Annotated[Path, typer.Argument(metavar="SPEC", help="Spec file, or a portfolio with --document.")],
    severity: Annotated[str, typer.Option("--severity", metavar="SEVERITY", help="Severity id, e.g. P2")],
    reported: Annotated[
        str, typer.Option("--reported", metavar="TIME", help="When it was reported, e.g. 2027-03-05T16:45")
    ],
    service: Service = None,
    document: DocumentId = None,
    site: Annotated[
        str | None, typer.Option("--site", metavar="SITE", help="Site id: count in the site's calendar")
    ] = None,
    as_json: Json = False,
) -> None:
    """When the response, first update and resolution are due, in the calendar of the site, the customer or
    the service (the first that has one)."""
    from slaforge.arithmetic.answers import deadline_answer, deadline_text

    answer = deadline_answer(spec, service, severity, reported, site=site, load=_loader(document))
    _print(answer, deadline_text, as_json)


@app.command("credit", cls=Command)
def calc_credit(
    spec: Annotated[Path, typer.Argument(metavar="SPEC", help="Spec file, or a portfolio with --document.")],
    uptime: Annotated[str, typer.Option("--uptime", metavar="PERCENT", help="Measured availability, e.g. 99.2")],
    service: Service = None,
    commitment: Commitment = None,
    fee: Annotated[
        str | None, typer.Option("--fee", metavar="AMOUNT", help="Fee for the window, e.g. '12000 EUR'")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", metavar="PERIOD", help="The measured period, e.g. 2027-03")
    ] = None,
    event: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            metavar="EVENT[:SEVERITY]=COUNT",
            help="How often a per-event credit fell due, e.g. missed-response:P1=2 (repeatable)",
        ),
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(
            "--history", metavar="PERCENTS", help="Availability of the previous windows, oldest first: 99.9,99.2"
        ),
    ] = None,
    other: Annotated[
        list[str] | None,
        typer.Option(
            "--other",
            metavar="COMMITMENT=PERCENT",
            help="What another commitment of the service achieved in the same window, for the agreement's rule "
            "on several commitments, e.g. instance-level=99.2 (repeatable)",
        ),
    ] = None,
    document: DocumentId = None,
    as_json: Json = False,
) -> None:
    """The service credit owed: band hit, caps and minimums, per-event credits, chronic failure."""
    from slaforge.arithmetic.answers import credit_answer, credit_text

    past = [h for h in (history or "").split(",") if h.strip()]
    answer = credit_answer(
        spec, service, commitment, uptime, fee, period, list(event or ()), past, _loader(document), list(other or ())
    )
    _print(answer, credit_text, as_json)
