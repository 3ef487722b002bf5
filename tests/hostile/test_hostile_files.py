"""Every kind of file a user gives, broken in every way the reading boundary knows, through every command
that reads it: exit 1, no traceback, the file named (at its line and column where there is one), a short
message, nothing written; each run in its own process under limits of CPU time and memory, so that an
alias bomb or a read of /dev/zero that did not fail fast would fail the test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_cli import MINIMAL, SAMPLES, assert_refused, slaforge
from payloads import PAYLOADS, Payload

# ------------------------------------------------------------------ where each kind of file is planted


def plant_spec(folder: Path, data: bytes) -> Path:
    target = folder / "spec.yaml"
    target.write_bytes(data)
    return target


def plant_fragment(folder: Path, data: bytes) -> Path:
    shutil.copytree(SAMPLES / "portfolio", folder / "portfolio")
    target = folder / "portfolio" / "services" / "desk.yaml"
    target.unlink()
    target.write_bytes(data)
    return target


def plant_portfolio(folder: Path, data: bytes) -> Path:
    shutil.copytree(SAMPLES / "portfolio", folder / "portfolio")
    target = folder / "portfolio" / "portfolio.yaml"
    target.write_bytes(b"portfolio:\n  id: x\n" + data)  # read as a portfolio, then refused
    return target


def plant_offer(folder: Path, data: bytes) -> Path:
    target = folder / "offer.yaml"
    target.write_bytes(data)
    return target


def plant_clause(folder: Path, data: bytes) -> Path:
    (folder / "clauses").mkdir()
    target = folder / "clauses" / "own.md"
    target.write_bytes(b"---\n" + data + b"---\nThe body.\n")
    return target


def plant_categories(folder: Path, data: bytes) -> Path:
    (folder / "clauses").mkdir()
    target = folder / "clauses" / "categories.yaml"
    target.write_bytes(data)
    return target


def plant_labels(folder: Path, data: bytes) -> Path:
    (folder / "theme").mkdir()
    target = folder / "theme" / "labels.yaml"
    target.write_bytes(data)
    return target


PORTFOLIO = Path("portfolio") / "portfolio.yaml"
SPEC_COMMANDS: dict[str, Callable[[Path], list[str | Path]]] = {
    "validate": lambda spec: ["validate", spec],
    "build": lambda spec: ["build", spec, "-f", "html", "-o", "out"],
    "explain": lambda spec: ["explain", spec, "agreement.id"],
    "diff": lambda spec: ["diff", MINIMAL, spec, "--format", "md", "-o", "out"],
    "calc credit": lambda spec: ["calc", "credit", spec, "--uptime", "99"],
    "export openslo": lambda spec: ["export", "openslo", spec, "-o", "out/x.yaml"],
    "report": lambda spec: ["report", spec, "--data", SAMPLES / "measurements", "-o", "out"],
    "resolve": lambda spec: ["resolve", spec, "-o", "out/resolved.yaml"],
}
PORTFOLIO_DATA = SAMPLES / "portfolio" / "measured"
# every command that reads a portfolio and its fragments (review and bump compare with a git revision:
# tests/hostile/test_hostile_git.py)
PORTFOLIO_COMMANDS: dict[str, Callable[[Path], list[str | Path]]] = {
    "build": lambda _: ["build", PORTFOLIO, "-f", "html", "-o", "out"],
    "validate": lambda _: ["validate", PORTFOLIO],
    "explain": lambda _: ["explain", PORTFOLIO, "agreement.id", "--document", "desk"],
    "resolve": lambda _: ["resolve", PORTFOLIO, "--document", "desk", "-o", "out/resolved.yaml"],
    "portal": lambda _: ["portal", PORTFOLIO, "--data", PORTFOLIO_DATA, "-f", "html", "-o", "out", "--work", "work"],
    "diff": lambda _: ["diff", PORTFOLIO, PORTFOLIO, "--format", "md", "-o", "out/changes.md"],
}
KINDS: dict[str, tuple[Callable[[Path, bytes], Path], dict[str, Callable[[Path], list[str | Path]]]]] = {
    "spec": (plant_spec, SPEC_COMMANDS),
    "fragment": (plant_fragment, PORTFOLIO_COMMANDS),
    "portfolio": (plant_portfolio, PORTFOLIO_COMMANDS),
    "offer": (plant_offer, {"offers": lambda offer: ["offers", offer, "-o", "out"]}),
    "clause": (
        plant_clause,
        {
            "build": lambda _: ["build", MINIMAL, "--clauses", "clauses", "-f", "html", "-o", "out"],
            "clauses check": lambda _: ["clauses", "check", "clauses"],
        },
    ),
    "categories": (
        plant_categories,
        {
            "build": lambda _: ["build", MINIMAL, "--clauses", "clauses", "-f", "html", "-o", "out"],
            "clauses check": lambda _: ["clauses", "check", "clauses"],
        },
    ),
    "theme labels": (
        plant_labels,
        {
            "build": lambda _: ["build", MINIMAL, "--theme-dir", "theme", "-f", "html", "-o", "out"],
            "report": lambda _: [
                *("report", SAMPLES / "measurements" / "agreement.yaml", "--data", SAMPLES / "measurements"),
                *("--theme-dir", "theme", "-f", "html", "-o", "out"),
            ],
        },
    ),
}


def cases() -> list:
    """Every payload through ``validate`` of a spec and the build of a clause; two through every other command."""
    out = []
    for kind, (_, commands) in KINDS.items():
        for index, command in enumerate(commands):
            every = index == 0 and kind in ("spec", "clause")
            for name in PAYLOADS if every else ("alias bomb", "a NUL byte"):
                out.append(pytest.param(kind, command, name, id=f"{kind}-{command}-{name}"))
    return out


@pytest.mark.parametrize(("kind", "command", "payload"), cases())
def test_a_broken_file_is_refused_where_it_is_broken(kind: str, command: str, payload: str, tmp_path: Path) -> None:
    plant, commands = KINDS[kind]
    given: Payload = PAYLOADS[payload]()
    target = plant(tmp_path, given.data)
    run = slaforge(*commands[command](target.relative_to(tmp_path)), cwd=tmp_path)
    name = target.relative_to(tmp_path)
    assert_refused(run, name, out=tmp_path / "out")
    assert given.says in run.err, run.err
    if given.line is not None and kind in ("spec", "offer", "fragment", "categories", "theme labels"):
        where = f"{name}:{given.line}:" if given.column is None else f"{name}:{given.line}:{given.column}:"
        assert where in run.err, run.err
    if given.line is not None and kind == "clause":  # the front matter starts on the file's second line
        assert f"{name}:{given.line + 1}:" in run.err, run.err


# ------------------------------------------------------------------ not a regular file


def special(kind: str, folder: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    if kind == "a FIFO":
        os.mkfifo(target)
    elif kind == "a folder":
        target.mkdir()
    elif kind == "a link to /dev/zero":
        target.symlink_to("/dev/zero")


SPECIAL = {"a FIFO": "FIFO", "a folder": "folder", "a link to /dev/zero": "device"}


@pytest.mark.parametrize(
    ("kind", "what"), [(kind, "a FIFO") for kind in KINDS] + [("spec", "a folder"), ("spec", "a link to /dev/zero")]
)
def test_only_regular_files_are_read(kind: str, what: str, tmp_path: Path) -> None:
    """A FIFO would block for ever, /dev/zero never ends, a folder named x.yaml is not a file: each refused."""
    plant, commands = KINDS[kind]
    target = plant(tmp_path, b"slaforge: 1\n")
    special(what, tmp_path, target)
    first = next(iter(commands))
    run = slaforge(*commands[first](target.relative_to(tmp_path)), cwd=tmp_path)
    assert_refused(run, target.relative_to(tmp_path), out=tmp_path / "out")
    assert SPECIAL[what] in run.err, run.err


def test_validate_dev_zero_ends_at_once(tmp_path: Path) -> None:
    run = slaforge("validate", "/dev/zero", cwd=tmp_path)
    assert_refused(run, "/dev/zero")
    assert "device" in run.err and run.seconds < 20


def test_escape_sequences_in_a_file_name_are_shown_not_obeyed(tmp_path: Path) -> None:
    """A name that would clear the screen and retitle the terminal is printed as the characters it is made of."""
    name = "spec\x1b[2J\x1b]0;owned\x07.yaml"
    (tmp_path / name).write_bytes(b"slaforge: !!int abc\n")
    run = slaforge("validate", name, cwd=tmp_path)
    assert_refused(run, "spec\\x1b[2J\\x1b]0;owned\\x07.yaml:1:11:")  # and no ESC or BEL printed
    assert "\x07" not in run.text
