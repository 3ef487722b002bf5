"""``slaforge review`` and ``slaforge bump``: which documents a change affects, and their new versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import ClauseDirs, Json, ThemeDir
from slaforge.errors import InvalidArgument

commands = typer.Typer()
Since = Annotated[
    str,
    typer.Option(
        "--since", metavar="REVISION", help="The git revision to compare with (default: the last commit, HEAD)."
    ),
]
Portfolio = Annotated[Path, typer.Argument(metavar="PORTFOLIO", help="The portfolio file.", show_default=False)]


@commands.command(cls=Command)
def review(
    portfolio: Portfolio,
    since: Since = "HEAD",
    as_json: Json = False,
    theme_dir: ThemeDir = None,
    clause_dirs: ClauseDirs = None,
) -> None:
    """A checklist of the documents a change affects since a revision, and why: values, clauses, versions."""
    from slaforge.build import BuildOptions
    from slaforge.diff.review import review as review_portfolio
    from slaforge.diff.review import review_json, review_text

    result = review_portfolio(portfolio, since, BuildOptions(theme_dir=theme_dir, clause_dirs=tuple(clause_dirs or ())))
    say(review_json(result) if as_json else review_text(result), nl=False)


@commands.command(cls=Command)
def bump(
    portfolio: Portfolio,
    document: Annotated[list[str], typer.Option("--document", metavar="ID", help="A document to raise (repeatable).")],
    since: Since = "HEAD",
    author: Annotated[
        str | None,
        typer.Option(
            "--author", metavar="NAME", help="Who made the change (default: the last history entry's author)."
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="The history entry's date (default: today).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="VERSION", help="The new version (default: the next, 1.3 -> 1.4).")
    ] = None,
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary", metavar="SUMMARY", help="The history entry's summary (default: what changed, from diff)."
        ),
    ] = None,
) -> None:
    """Raise documents' versions and add history entries summarising what changed since a revision."""
    from slaforge.diff.review import bump as bump_documents
    from slaforge.diff.review import bumped_text

    day = None
    if date is not None:
        from slaforge.arithmetic.periods import year_problem

        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise InvalidArgument(f"--date {date!r} is not a date such as 2027-05-02") from None
        if (outside := year_problem(day)) is not None:
            raise InvalidArgument(f"--date {date!r}: {outside}; expected a date within them")
    if to is not None and not all(part.isdigit() for part in to.split(".")):
        raise InvalidArgument(f"--to {to!r} is not a version such as 1.4")
    done = bump_documents(portfolio, list(document), since=since, author=author, date=day, to=to, summary=summary)
    say(bumped_text(done), nl=False)
