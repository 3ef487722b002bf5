#!/usr/bin/env python3
"""Time of a service level report: the sample quarter, and a generated year of busy data.

    .venv/bin/python benchmarks/report.py [--repeat N]

Reports the best of N runs for reading the CSV files, computing the figures and composing the tree,
and for rendering each format.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from slaforge.arithmetic.measurements import load_measurements
from slaforge.renderers import RenderOptions, render
from slaforge.renderers.theme import Theme
from slaforge.reports.report import report_document
from slaforge.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "measurements"


def generated(folder: Path, outages: int, tickets: int) -> Path:
    """A year of random outages and tickets for the sample's two services (seeded: the same every run)."""
    rng = random.Random(8)
    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    rows = ["service,start,end,cause,exclusion,reference"]
    for i in range(outages):
        at = start + dt.timedelta(minutes=rng.randrange(364 * 24 * 60))
        end = at + dt.timedelta(minutes=rng.randrange(1, 30))
        flag = "scheduled-maintenance" if i % 10 == 0 else ""
        rows.append(f"{rng.choice(['einvoicing', 'archive'])},{at.isoformat()},{end.isoformat()},Fault {i},{flag},")
    (folder / "outages.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["id,service,severity,reported,responded,resolved"]
    for i in range(tickets):
        at = start + dt.timedelta(minutes=rng.randrange(364 * 24 * 60))
        responded = at + dt.timedelta(minutes=rng.randrange(5, 600))
        resolved = responded + dt.timedelta(minutes=rng.randrange(5, 6000))
        service, severity = rng.choice(["einvoicing", "archive"]), rng.choice(["P1", "P2", "P3", "P4"])
        rows.append(f"T-{i},{service},{severity},{at.isoformat()},{responded.isoformat()},{resolved.isoformat()}")
    (folder / "tickets.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def best(repeat: int, work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def measure(name: str, data: Path, repeat: int) -> None:
    spec = load_spec(SAMPLE / "agreement.yaml").spec
    options = RenderOptions(theme=Theme.load())
    seconds, (_, document) = best(repeat, lambda: report_document(spec, load_measurements(data, spec)))
    row = [name, f"{seconds * 1000:.0f} ms"]
    for fmt in ("html", "pdf", "docx"):
        seconds, _ = best(repeat, lambda fmt=fmt: render(document, fmt, options))
        row.append(f"{seconds * 1000:.0f} ms")
    print("| " + " | ".join(row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| data | read + compute + compose | html | pdf | docx |")
    print("|---|---|---|---|---|")
    measure("sample quarter (8 outages, 18 tickets)", SAMPLE, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        measure("a year: 2,000 outages, 10,000 tickets", generated(Path(tmp), 2000, 10000), args.repeat)


if __name__ == "__main__":
    main()
