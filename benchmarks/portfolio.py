#!/usr/bin/env python3
"""Time a generated multi-level portfolio: full builds, a no-change rebuild, a one-service rebuild.

    .venv/bin/python benchmarks/portfolio.py [--customers 20] [--services 10] [-f docx] [--jobs 1,2]

The portfolio has one corporate SLA, a customer SLA per customer, a service SLA
for every customer and service (customers x services), one OLA and one
underpinning contract, built from the terms of samples/portfolio/.  Each build
runs ``slaforge build`` in a fresh process, as a user would.  Rows:

- full build with --jobs N (empty output folder), for each N;
- no-change rebuild (every document up to date);
- one-service change (one catalogue file edited: the corporate SLA, every
  customer SLA and the service SLAs of that service are rendered again).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "portfolio"
SLAFORGE = Path(sys.executable).parent / "slaforge"
TEMPLATES = ("wan", "email", "desk")


def generate(folder: Path, customers: int, services: int) -> Path:
    """Write the portfolio and its fragments into ``folder``; return the portfolio file."""
    shutil.copy(SAMPLE / "corporate.yaml", folder / "corporate.yaml")
    for name in ("services", "customers", "operations"):
        (folder / name).mkdir()
    shutil.copy(SAMPLE / "services" / "maintenance.yaml", folder / "services" / "maintenance.yaml")
    for name in ("base.yaml", "ola-network.yaml", "uc-metrolink.yaml"):
        shutil.copy(SAMPLE / "operations" / name, folder / "operations" / name)
    sample = (SAMPLE / "portfolio.yaml").read_text(encoding="utf-8")
    head = sample[: sample.index("customers:\n")]
    teams = sample[sample.index("teams:\n") : sample.index("services:\n")]
    lines = [head, "customers:"]
    for c in range(1, customers + 1):
        lines += [
            f"  - id: c{c:02d}",
            f"    name: Customer {c:02d} Ltd",
            f"    address: {c} High Street, Bristol BS1 1AA",
        ]
    lines.append(teams.rstrip())
    lines.append("services:")
    for s in range(1, services + 1):
        template = TEMPLATES[(s - 1) % len(TEMPLATES)]
        text = (SAMPLE / "services" / f"{template}.yaml").read_text(encoding="utf-8")
        text = re.sub(r"^name: (.*)$", rf"name: \1 {s:02d}", text, count=1, flags=re.M)
        (folder / "services" / f"s{s:02d}.yaml").write_text(text, encoding="utf-8")
        lines.append(f"  - {{id: s{s:02d}, spec: services/s{s:02d}.yaml}}")
    lines.append("subscriptions:")
    lines += [
        f"  - {{customer: c{c:02d}, service: s{s:02d}}}"
        for c in range(1, customers + 1)
        for s in range(1, services + 1)
    ]
    lines += ["documents:", "  - {id: corporate, kind: corporate, spec: corporate.yaml}"]
    for c in range(1, customers + 1):
        (folder / "customers" / f"c{c:02d}.yaml").write_text(
            f'agreement: {{id: NW-CUS-C{c:02d}, title: Customer SLA for Customer {c:02d}, version: "1.0"}}\n',
            encoding="utf-8",
        )
        lines.append(f"  - {{id: c{c:02d}, kind: customer, customer: c{c:02d}, spec: customers/c{c:02d}.yaml}}")
        for s in range(1, services + 1):
            name = f"c{c:02d}-s{s:02d}"
            (folder / "customers" / f"{name}.yaml").write_text(
                f"agreement: {{id: NW-SVC-{name.upper()}, title: Service SLA {s:02d} for Customer {c:02d}, "
                'version: "1.0"}\n',
                encoding="utf-8",
            )
            lines.append(
                f"  - {{id: {name}, kind: service, customer: c{c:02d}, service: s{s:02d}, spec: customers/{name}.yaml}}"
            )
    lines += [
        "  - {id: ola-network, kind: ola, provider: noc, customer: service-management, supports: [s01],"
        " spec: operations/ola-network.yaml}",
        "  - {id: uc-metrolink, kind: underpinning, supplier: metrolink, supports: [s01],"
        " spec: operations/uc-metrolink.yaml}",
    ]
    if "metrolink" not in teams:
        suppliers = sample[sample.index("suppliers:\n") : sample.index("services:\n")]
        lines.insert(lines.index("services:"), suppliers.rstrip())
    path = folder / "portfolio.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(portfolio: Path, out: Path, formats: str, jobs: int) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [str(SLAFORGE), "build", str(portfolio), "-o", str(out), "-f", formats, "--jobs", str(jobs)],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode:
        sys.exit(result.stderr[-4000:])
    summary = result.stdout.strip().splitlines()[-1]
    counts = re.search(r"(\d+) document\(s\) rendered.*?(\d+) up to date", summary)
    return elapsed, f"{counts[1]} rendered, {counts[2]} up to date" if counts else summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("-f", "--formats", default="docx", help="e.g. html, docx, pdf,docx")
    parser.add_argument("--jobs", default="1,2", help="comma-separated job counts for the full builds")
    args = parser.parse_args()
    jobs = [int(j) for j in args.jobs.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        portfolio = generate(folder, args.customers, args.services)
        total = 1 + args.customers + args.customers * args.services + 2
        print(
            f"portfolio: 1 corporate, {args.customers} customers, {args.services} services, "
            f"{args.customers * args.services} service SLAs, 1 OLA, 1 contract = {total} documents; "
            f"formats {args.formats}"
        )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} before the first build")
        rows = []
        for n in jobs:
            seconds, what = build(portfolio, folder / f"out{n}", args.formats, n)
            rows.append((f"full build, --jobs {n}", seconds, what))
        out = folder / f"out{jobs[-1]}"
        seconds, what = build(portfolio, out, args.formats, jobs[-1])
        rows.append((f"no-change rebuild, --jobs {jobs[-1]}", seconds, what))
        service = folder / "services" / "s02.yaml"
        service.write_text(
            service.read_text(encoding="utf-8").replace("description: >-", "description: >-\n  Revised."),
            encoding="utf-8",
        )
        seconds, what = build(portfolio, out, args.formats, jobs[-1])
        rows.append((f"one-service change, --jobs {jobs[-1]}", seconds, what))
        width = max(len(r[0]) for r in rows)
        print(f"{'run':<{width}}  {'seconds':>8}  documents")
        for label, seconds, what in rows:
            print(f"{label:<{width}}  {seconds:8.1f}  {what}")


if __name__ == "__main__":
    main()
