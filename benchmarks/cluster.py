#!/usr/bin/env python3
"""Time a generated portfolio built on a Dask cluster against local processes, and check the bytes.

    .venv/bin/python benchmarks/cluster.py [--customers 100] [--services 19] [-f docx] [--workers 2]
    .venv/bin/python benchmarks/cluster.py --scheduler tcp://HOST:8786   # a real cluster instead

The portfolio is benchmarks/portfolio.py's (one corporate SLA, a customer SLA per customer, a
service SLA per customer and service, an OLA and a contract: ``--customers 100 --services 19`` gives
2,003 documents).  Without ``--scheduler`` a ``distributed.LocalCluster`` of ``--workers`` worker
processes (one thread each) stands in for the cluster.  Each build runs ``slaforge build`` in a fresh
process, as a user would.  Rows: ``--jobs 1``, ``--jobs W``, ``--executor dask``; then whether every
file of the cluster's build has the bytes of the one-job build.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portfolio import generate  # the generated portfolio of the portfolio benchmark

SLAFORGE = Path(sys.executable).parent / "slaforge"


def build(portfolio: Path, out: Path, formats: str, *options: str) -> float:
    started = time.perf_counter()
    args = [str(SLAFORGE), "build", str(portfolio), "-o", str(out), "-f", formats, *options]
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode:
        sys.exit(result.stderr[-4000:])
    return time.perf_counter() - started


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".slaforge-cache" not in p.parts
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100)
    parser.add_argument("--services", type=int, default=19)
    parser.add_argument("-f", "--formats", default="docx", help="e.g. html, docx, pdf")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local stand-in cluster")
    parser.add_argument("--scheduler", help="a running cluster's scheduler address (no local cluster is started)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        portfolio = generate(folder, args.customers, args.services)
        total = 1 + args.customers + args.customers * args.services + 2
        print(f"portfolio: {total} documents; formats {args.formats}")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} before the first build")
        cluster = None
        if args.scheduler is None:
            from distributed import LocalCluster

            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            scheduler = cluster.scheduler_address
            print(f"cluster: a LocalCluster of {args.workers} worker processes at {scheduler}")
        else:
            scheduler = args.scheduler
            print(f"cluster: {scheduler}")
        try:
            rows = [
                ("--jobs 1", build(portfolio, folder / "one", args.formats, "--jobs", "1")),
                (
                    f"--jobs {args.workers}",
                    build(portfolio, folder / "local", args.formats, "--jobs", str(args.workers)),
                ),
                (
                    "--executor dask",
                    build(portfolio, folder / "dask", args.formats, "--executor", "dask", "--scheduler", scheduler),
                ),
            ]
        finally:
            if cluster is not None:
                cluster.close()
        base = rows[0][1]
        for name, seconds in rows:
            print(f"{name:<18} {seconds:8.1f} s   {base / seconds:5.2f}x of --jobs 1")
        same = digests(folder / "dask") == digests(folder / "one")
        print(f"cluster's files identical to --jobs 1: {'yes' if same else 'NO'}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
