#!/usr/bin/env python3
"""The two commands of the README's quick start, needing nothing but Python 3.11+.

    python3 dev.py samples   build every sample agreement (and the sample reports) into out/
    python3 dev.py test      lint and run the test suite

Each creates the virtual environment in .venv (and reinstalls when
pyproject.toml changes) before it runs.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".slaforge-installed"


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before any environment exists
        sys.exit(f"slaforge needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"creating the virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[test]")
        STAMP.write_text(wanted)
    check_system_libraries()


def check_system_libraries() -> None:
    """WeasyPrint needs Pango; say how to get it rather than fail with a linker error."""
    probe = "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('pango-1.0') else 1)"
    if subprocess.run([str(BIN / "python"), "-c", probe]).returncode:
        sys.exit(
            "WeasyPrint (the PDF renderer) needs the Pango library, which this machine lacks.\n"
            "On Debian or Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
        )


def samples() -> None:
    specs = sorted((ROOT / "samples").glob("*.yaml"))
    run(BIN / "slaforge", "build", *[s.relative_to(ROOT) for s in specs], "-o", "out")
    for offer in sorted((ROOT / "samples" / "offers").glob("*.yaml")):
        run(BIN / "slaforge", "offers", offer.relative_to(ROOT), "-o", Path("out") / "offers")
    measured = Path("samples") / "measurements"
    run(BIN / "slaforge", "build", measured / "agreement.yaml", "-o", Path("out") / "reports")
    for period in ("2027-02", "2027-03"):  # the month with a breach, and the latest
        report = ("report", measured / "agreement.yaml", "--data", measured, "--period", period)
        run(BIN / "slaforge", *report, "-o", Path("out") / "reports")
    versions, redlines = Path("samples") / "versions", ROOT / "out" / "diff"
    redlines.mkdir(parents=True, exist_ok=True)
    for fmt in ("md", "pdf", "docx", "html"):  # the change list and the redline of v1 -> v2
        run(BIN / "slaforge", "diff", versions / "v1.yaml", versions / "v2.yaml", "--format", fmt, "-o", redlines)
    portfolio = Path("samples") / "portfolio" / "portfolio.yaml"
    run(BIN / "slaforge", "build", portfolio, "-o", Path("out") / "portfolio", "--jobs", str(os.cpu_count() or 1))
    portal_data = Path("samples") / "portfolio" / "measured"  # a quarter for two customers, one with a breach
    portal = ("portal", portfolio, "--data", portal_data, "-o", Path("out") / "portal")
    run(BIN / "slaforge", *portal, "--work", Path("out") / ".portal", "--jobs", str(os.cpu_count() or 1))


def test() -> None:
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    # one worker per core; a test file stays on one worker, so its module fixtures are built once
    run(BIN / "python", "-m", "pytest", "-q", "-n", "auto", "--dist", "loadfile", *sys.argv[2:])


COMMANDS = {"samples": samples, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    environment()
    COMMANDS[sys.argv[1]]()
