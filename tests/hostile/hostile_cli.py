"""Running slaforge as a hostile user would meet it: a separate process, under limits of CPU time and memory.

Every case of ``tests/hostile/`` runs the real command line (``python -m slaforge``) in a child
process whose address space and CPU time are capped with :mod:`resource`, so a hang or an
exhaustion fails the test (killed by the limit) instead of stalling the suite; the checks say
what every refusal must look like: its exit code, no traceback, a message naming the file, a
short message, and nothing written.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
MINIMAL = ROOT / "tests" / "specs" / "minimal.yaml"
CPU_SECONDS = 30  # each run; a refused input costs about one second
MEMORY_BYTES = 2 * 1024**3  # address space of each run
MESSAGE_LIMIT = 8_000  # characters a refusal may print


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


def limits(file_bytes: int | None = None) -> Callable[[], None]:
    """What the child sets before slaforge starts: its memory and CPU time, and the largest file it may write.

    A write past ``file_bytes`` fails with EFBIG (Python ignores SIGXFSZ), as a full disk fails with
    ENOSPC: the operating system refuses the write, nothing of slaforge's is mocked.
    """

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
        if file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))

    return apply


def command(*args: str | Path) -> tuple[str, ...]:
    return (sys.executable, "-m", "slaforge", *map(str, args))


def environment(env: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **(env or {})}


def slaforge(
    *args: str | Path,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdin: bytes = b"",
    file_bytes: int | None = None,
) -> Run:
    """``slaforge ARGS`` in ``cwd``, in its own process under the limits; what it printed and how it ended."""
    started = time.monotonic()
    result = subprocess.run(
        command(*args),
        cwd=cwd,
        env=environment(env),
        input=stdin,
        capture_output=True,
        preexec_fn=limits(file_bytes),
        timeout=6 * CPU_SECONDS,  # the CPU limit ends a busy child; this ends one that waits
        check=False,
    )
    return Run(
        tuple(map(str, args)),
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
        time.monotonic() - started,
    )


def files_in(folder: Path) -> list[Path]:
    """Every file under ``folder`` (none when it does not exist)."""
    return sorted(p for p in folder.rglob("*") if not p.is_dir()) if folder.exists() else []


def assert_refused(run: Run, names: str | Path, *, out: Path | None = None, code: int = 1) -> None:
    """``run`` refused its input as it must: exit ``code``, no traceback, ``names`` in the message, nothing written."""
    assert run.code == code, f"exit {run.code} for {run.args}:\n{run.text[-3000:]}"
    assert "Traceback" not in run.text, run.text[-3000:]
    assert "internal error" not in run.text, run.text[-3000:]  # the last-resort handler is never reached
    assert str(names) in run.err, f"{names} not named in:\n{run.err[-3000:]}"
    assert len(run.text) < MESSAGE_LIMIT, f"{len(run.text)} characters printed:\n{run.text[:2000]}"
    assert "\x1b" not in run.text and "\x00" not in run.text, repr(run.text[-2000:])
    if out is not None:
        assert files_in(out) == [], f"written although refused: {files_in(out)}"
