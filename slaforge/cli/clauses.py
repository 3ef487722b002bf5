"""``slaforge clauses list | show | check``: browse and lint the clause library."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import ClauseDirs, DocumentId, Json, ThemeDir, is_portfolio
from slaforge.errors import InvalidArgument, UsageError

if TYPE_CHECKING:
    from slaforge.compose.lint import Sample
    from slaforge.library import Library

app = typer.Typer(help="Browse and check the clause library.", no_args_is_help=True)


@app.command("list", cls=Command)
def clauses_list(
    category: Annotated[str | None, typer.Option("--category", metavar="CATEGORY", help="Only this category.")] = None,
    as_json: Json = False,
    clause_dirs: ClauseDirs = None,
) -> None:
    """List the clauses: id, category, levels, positions, title."""
    from slaforge.library import load_library

    library = load_library(list(clause_dirs or ()))
    if category is not None and category not in library.category_ids:
        raise InvalidArgument(
            f"unknown category {category!r}: expected one of {', '.join(sorted(library.category_ids))}"
        )
    rows = [c for c in library.ordered() if category is None or c.meta.category == category]
    if as_json:
        listed = [
            {
                "id": c.id,
                "title": c.meta.title,
                "category": c.meta.category,
                "version": c.meta.version,
                "levels": c.meta.levels,
                "forms": c.meta.forms,
                "persons": c.meta.persons,
                "topic": c.meta.topic,
                "part": c.meta.part,
                "positions": list(c.wordings),
                "when": c.meta.when,
                "builtin": c.builtin,
                "path": str(c.path),
            }
            for c in rows
        ]
        say(json.dumps(listed, indent=2))
        return
    width = max((len(c.id) for c in rows), default=10)
    for c in rows:
        extra = "" if list(c.wordings) == ["standard"] else f"  [{', '.join(c.wordings)}]"
        own = "" if c.builtin else "  (own)"
        say(f"{c.id:<{width}}  {c.meta.title}{extra}{own}")


@app.command("show", cls=Command)
def clauses_show(
    clause_id: Annotated[str, typer.Argument(metavar="CLAUSE", help="Clause id, e.g. penalties.service-credits")],
    position: Annotated[str, typer.Option("--position", metavar="POSITION", help="Which wording.")] = "standard",
    clause_dirs: ClauseDirs = None,
) -> None:
    """Show one clause: its front matter and the wording of a position."""
    import difflib

    from slaforge.library import load_library

    library = load_library(list(clause_dirs or ()))
    clause = library.clauses.get(clause_id)
    if clause is None:
        close = difflib.get_close_matches(clause_id, list(library.clauses), n=3)
        raise InvalidArgument(f"no clause {clause_id!r}" + (f"; did you mean {', '.join(close)}?" if close else ""))
    wording = clause.wording(position)
    meta = clause.meta
    say(f"{meta.id}  {meta.title}  (version {meta.version}, {clause.path})")
    say(f"category: {meta.category}; levels: {', '.join(meta.levels)}; positions: {', '.join(clause.wordings)}")
    say(f"forms: {', '.join(meta.forms)}; persons: {meta.persons}")
    if meta.topic or meta.part:
        say("; ".join(f"{key}: {value}" for key, value in (("topic", meta.topic), ("part", meta.part)) if value))
    if meta.when:
        say(f"when: {meta.when}")
    if meta.params:
        say(f"params: {', '.join(meta.params)}")
    for term, text in meta.defines.items():
        say(f"defines {term}: {text}")
    say(f"--- position {position} ---")
    say(wording.text.strip("\n"))


@app.command("check", cls=Command)
def clauses_check(
    folder: Annotated[
        Path | None, typer.Argument(metavar="FOLDER", help="A clause folder to lint (default: the built-in library).")
    ] = None,
    samples: Annotated[
        list[Path] | None,
        typer.Option(
            "--sample",
            metavar="SPEC",
            help="Spec to render every clause against (repeatable; default: the built-in samples).",
        ),
    ] = None,
    document: DocumentId = None,
    theme_dir: ThemeDir = None,
) -> None:
    """Lint a clause library (front matter, params, cross-references, terms, rendering against samples)
    and the document texts of the theme (front matter, params, outlines)."""
    from functools import partial

    from slaforge.compose.lint import check_library
    from slaforge.library.texts import texts_for

    if document is not None and len(samples or ()) != 1:
        raise UsageError("--document chooses a document of one portfolio: give it as the only --sample")
    reader = partial(read_sample, document=document)
    report = check_library(folder, list(samples or ()), reader, texts_for(theme_dir))
    for problem in report.problems:
        say(problem.format(), err=True)
    errors = [p for p in report.problems if p.severity == "error"]
    say(
        f"{report.clauses} clauses checked against {report.samples} sample spec(s), and {report.texts} "
        f"document texts of the theme: {len(errors)} error(s), {len(report.problems) - len(errors)} warning(s)"
    )
    if errors:
        raise typer.Exit(1)


def read_sample(path: Path, library: Library, document: str | None = None) -> list[Sample]:
    """A sample spec gives its agreement; a sample portfolio every document (or the one named), as its
    build composes them."""
    from slaforge.compose.lint import spec_samples
    from slaforge.layers.inherit import not_a_portfolio

    if is_portfolio(path):
        from slaforge.layers.subordination import clause_samples

        return clause_samples(path, library, document)
    if document is not None:
        raise not_a_portfolio(path)
    return spec_samples(path, library)
