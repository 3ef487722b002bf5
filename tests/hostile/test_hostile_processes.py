"""Interrupted, killed, or at fault: one line, the right exit code, no traceback, no process left behind.

- Ctrl-C (SIGINT) prints one line and exits 130;
- killing the parent of a ``--jobs 2`` build ends its workers within seconds (they watch their parent);
- killing one worker is a one-line error (exit 1), not a ``BrokenProcessPool`` traceback;
- any other exception is a fault of slaforge: one line naming the command, exit 70, the traceback only
  with ``--debug`` (every other hostile case asserts that it never reaches this handler).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import typer
from hostile_cli import SAMPLES, command, environment, files_in, limits
from typer.testing import CliRunner

from slaforge.cli.exits import Commands

BUILD = ("build", "portfolio/portfolio.yaml", "-f", "pdf", "-o", "out", "--jobs", "2")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(x) for x in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status and "\nState:\tX" not in status


def _as_in_a_terminal() -> None:
    """The child's limits, and Ctrl-C as a terminal delivers it: a test run started in the background
    (``cmd &``) ignores SIGINT, and a child inherits that, so Python would never raise KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    limits()()


def start_build(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A --jobs 2 portfolio build of PDFs, once both of its workers run."""
    shutil.copytree(SAMPLES / "portfolio", tmp_path / "portfolio")
    process = subprocess.Popen(
        command(*BUILD),
        cwd=tmp_path,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_as_in_a_terminal,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = [pid for pid in children(process.pid) if alive(pid)]
        if len(workers) >= 2:
            return process, workers
        if process.poll() is not None:
            pytest.fail(f"the build ended before its workers started: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)
    process.kill()
    pytest.fail("the build's workers did not start")


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_ctrl_c_prints_one_line_and_exits_130(tmp_path: Path) -> None:
    process, workers = start_build(tmp_path)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=120)
    text = err.decode()
    assert process.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert [line for line in text.splitlines() if "interrupted" in line] == [
        "slaforge build: interrupted; no output file was left half written"
    ]
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 20)
    assert not [p for p in files_in(tmp_path / "out") if p.suffix == ".pdf"]


def test_killing_the_parent_ends_its_workers(tmp_path: Path) -> None:
    process, workers = start_build(tmp_path)
    process.kill()
    process.wait(timeout=30)
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 20), "orphaned workers still run"


def test_killing_a_worker_is_a_one_line_error(tmp_path: Path) -> None:
    process, workers = start_build(tmp_path)
    os.kill(workers[0], signal.SIGKILL)
    _out, err = process.communicate(timeout=180)
    text = err.decode()
    assert process.returncode == 1, text
    assert "Traceback" not in text and "BrokenProcessPool" not in text
    assert "a worker process ended unexpectedly" in text
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 20)
    assert not [p for p in files_in(tmp_path / "out") if p.suffix == ".pdf"]


def faulty_app() -> typer.Typer:
    """An app under slaforge's root command group whose one command has a fault (a real ZeroDivisionError)."""
    app = typer.Typer(cls=Commands, add_completion=False, pretty_exceptions_enable=False)

    @app.command()
    def divide(by: int = 0) -> None:
        typer.echo(str(1 / by))

    @app.command()
    def other() -> None:  # a second command, so that "divide" is a subcommand as slaforge's are
        pass

    return app


def test_an_internal_error_is_one_line_and_exit_70() -> None:
    result = CliRunner().invoke(faulty_app(), ["divide"], env={"SLAFORGE_DEBUG": ""})
    assert result.exit_code == 70
    lines = result.output.strip().splitlines()
    assert lines == [
        "internal error while running 'slaforge divide': ZeroDivisionError: division by zero; please report it "
        "(slaforge --debug ... shows the traceback)"
    ]


def test_debug_shows_the_traceback_of_an_internal_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(faulty_app(), ["divide"], env={"SLAFORGE_DEBUG": "1"})
    assert result.exit_code == 70
    assert "Traceback" in result.output and "ZeroDivisionError" in result.output


def test_debug_is_an_option_of_slaforge(tmp_path: Path) -> None:
    run = subprocess.run(
        command("--debug", "validate", "no-such.yaml"), cwd=tmp_path, env=environment(), capture_output=True
    )
    assert run.returncode == 1 and b"no such file" in run.stderr and b"Traceback" not in run.stderr
