#!/usr/bin/env python3
"""A report over a million rows of measured data, as a whole process: its CPU time and peak memory.

    .venv/bin/python benchmarks/report_rows.py [--rows N] [--formats json|html,docx,pdf] [--keep FOLDER]

Writes N outages (default 1,000,000: the most one CSV file may hold, see docs/limits.md) for the
measurements sample's two services, one every 31 seconds from 2027-01-01, each 10 seconds long,
then runs ``slaforge report`` over them for its first month (``--json`` by default: every figure, every
outage of the month listed) and prints the command's CPU time (user + system) and peak memory (its
largest resident set), as the operating system counts them.
Reading is meant to be linear and streaming: the memory is that of the rows kept, not of the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "samples" / "measurements" / "agreement.yaml"
START = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def write_rows(folder: Path, rows: int) -> Path:
    """``rows`` outages and no tickets in ``folder``, written a line at a time."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "outages.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("service,start,end,cause,exclusion,reference\n")
        for i in range(rows):
            at = START + dt.timedelta(seconds=31 * i)
            end = at + dt.timedelta(seconds=10)
            service = "einvoicing" if i % 2 else "archive"
            flag = "scheduled-maintenance" if i % 10 == 0 else ""
            out.write(f"{service},{at:%Y-%m-%dT%H:%M:%SZ},{end:%Y-%m-%dT%H:%M:%SZ},Fault {i},{flag},R{i}\n")
    (folder / "tickets.csv").write_text("id,service,severity,reported,responded,resolved\n", encoding="utf-8")
    return folder


def run_report(data: Path, out: Path, formats: str) -> tuple[int, float, float, int]:
    """(exit code, wall seconds, CPU seconds, peak resident KiB) of one ``slaforge report``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "slaforge", "report", str(SPEC), "--data", str(data)]
    command += ["--period", "2027-01", *(["--json"] if formats == "json" else ["-f", formats, "-o", str(out)])]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode:
        print(result.stdout + result.stderr, file=sys.stderr)
    return result.returncode, wall, cpu, after.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="json", help="json (the figures, on stdout), or formats to write")
    parser.add_argument("--keep", type=Path, help="write the data here (and keep it) instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = write_rows(args.keep or Path(tmp) / "data", args.rows)
        size = (data / "outages.csv").stat().st_size
        code, wall, cpu, peak = run_report(data, Path(tmp) / "out", args.formats)
    print("| rows | file | exit | wall | CPU (user + system) | peak memory |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.rows:,} | {size / 2**20:.0f} MiB | {code} | {wall:.1f} s | {cpu:.1f} s | {peak / 1024:.0f} MiB |")


if __name__ == "__main__":
    main()
