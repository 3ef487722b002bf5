"""The one place that turns a failure into a message and an exit code.

Every command raises what goes wrong as a :class:`~slaforge.errors.SlaforgeError`; the root command
group catches it, prints its message (every problem with file, line and field path) on standard
error and exits with the error's code, never with a traceback:

- 0: success;
- 1: the command line parses but names something invalid or missing: a spec or its content, a
  clause id, a category, a data folder, a service, a value out of range, a failed build;
- 2: the command line itself cannot be parsed or is inconsistent: an unknown option, a missing
  argument, a value outside a fixed set of choices (:class:`~slaforge.errors.UsageError`);
- 70: anything else that goes wrong is a fault of slaforge, not of the input: one line
  ("internal error while running 'slaforge build': ...; please report it"), the traceback only
  with ``slaforge --debug`` (or ``SLAFORGE_DEBUG=1``);
- 130: interrupted (Ctrl-C, SIGINT): one line, and the temporary files of a write removed.

Everything a command prints goes through :func:`say`, which shows control characters and terminal
escape sequences as the characters they are made of (:func:`slaforge.text.printable`): no value
of a spec, a file name or a clause can recolour, clear or retitle the terminal.
"""

from __future__ import annotations

import os
import traceback
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NoReturn

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from slaforge.errors import Problem, SlaforgeError
from slaforge.text import cut, printable

INTERNAL_ERROR = 70  # EX_SOFTWARE: a fault of slaforge, not of its input
INTERRUPTED = 130  # 128 + SIGINT
DEBUG = "slaforge.debug"  # the root context's meta key set by --debug


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print ``text`` (standard error with ``err``), control characters and escape sequences made visible."""
    typer.echo(printable(text), err=err, nl=nl)


def fail(error: SlaforgeError) -> NoReturn:
    """Print ``error`` and leave with its exit code."""
    say(error.format(), err=True)
    raise typer.Exit(error.exit_code)


class Commands(TyperGroup):
    """The root command group: runs a command and maps what it raises to a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SlaforgeError as error:
            fail(error)
        except (typer.Exit, typer.Abort, ClickException):
            raise  # the command line's own endings: help, usage errors, exit codes
        except KeyboardInterrupt:
            say(f"slaforge {command_of(ctx)}: interrupted; no output file was left half written", err=True)
            raise typer.Exit(INTERRUPTED) from None
        except BrokenProcessPool:
            say(
                f"error: slaforge {command_of(ctx)}: a worker process ended unexpectedly (killed, or out of "
                "memory); nothing was written",
                err=True,
            )
            raise typer.Exit(1) from None
        except Exception as error:
            if ctx.meta.get(DEBUG) or os.environ.get("SLAFORGE_DEBUG"):
                traceback.print_exc()
            detail = cut(f"{type(error).__name__}: {error}", 300)
            say(
                f"internal error while running 'slaforge {command_of(ctx)}': {detail}; please report it "
                "(slaforge --debug ... shows the traceback)",
                err=True,
            )
            raise typer.Exit(INTERNAL_ERROR) from None


def command_of(ctx: Any) -> str:
    """The command being run, e.g. ``build`` (the group, for ``calc credit``)."""
    return ctx.invoked_subcommand or "(no command)"


def warn(problems: list[Problem]) -> None:
    """Warnings (printed, not fatal) on standard error."""
    for problem in problems:
        say(problem.format(), err=True)


def emit_json(data: Any) -> None:
    """A command's ``--json`` report on standard output: one JSON document, keys in the order given."""
    import json

    say(json.dumps(data, indent=2, ensure_ascii=False))


def failed_entry(source: Any, error: SlaforgeError) -> dict[str, Any]:
    """The ``--json`` entry of an input that failed: its problems, located."""
    return {"source": str(source), "ok": False, "message": error.message,
            "problems": [p.as_dict() for p in error.problems]}  # fmt: skip


def wrote(paths: list[Any]) -> None:
    for path in paths:
        say(f"wrote {path}")
