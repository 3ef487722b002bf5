#!/usr/bin/env python3
"""The two PDF engines side by side: WeasyPrint (the default) and Typst, as whole processes.

    .venv/bin/python benchmarks/pdf_engines.py [--repeat 3] [--portfolio] [--customers 5] [--services 4]

Each sample agreement and the generated large agreement (the managed WAN
sample plus 150 generated clauses, as benchmarks/run.py builds it) is built to
PDF with each engine in a fresh process, ``--repeat`` times: load, check,
compose, render, as ``slaforge build -f pdf`` does.  The table gives, per
engine, the median CPU time (user + system) of the whole process and of the
render step alone (measured inside the process), the ratios WeasyPrint / Typst,
and the page count of each file (``--json`` adds the wall times).

``--portfolio`` also builds the generated portfolio of benchmarks/portfolio.py
(at ``--customers`` x ``--services``) in PDF with each engine, once each, with
one job, through the command line.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import generated_clauses  # noqa: E402 - the generator of the large agreement

ENGINES = ("weasyprint", "typst")
CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from slaforge.build import BuildOptions, document_for
    from slaforge.writers import theme_for
    from slaforge.renderers import RenderOptions, render
    from slaforge.spec import load_spec

    import time
    spec, engine, clause_dir, out = sys.argv[1:5]
    options = BuildOptions(clause_dirs=(Path(clause_dir),) if clause_dir else ())
    _, document = document_for(load_spec(Path(spec)), options)
    render_options = RenderOptions(theme=theme_for(document, options.theme_dir), pdf_engine=engine)
    started = time.process_time()
    Path(out).write_bytes(render(document, "pdf", render_options))
    print(time.process_time() - started)
    """
)


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float, str]:
    """(wall, cpu) seconds of one child process, and what it printed."""
    cpu, wall = cpu_of_children(), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - wall, cpu_of_children() - cpu
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return wall, cpu, result.stdout


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf.read_bytes())).pages)


def measure(spec: Path, engine: str, clause_dir: str, repeat: int, out: Path) -> dict[str, float]:
    target = out / f"{spec.stem}-{engine}.pdf"
    runs = [timed([sys.executable, "-c", CHILD, str(spec), engine, clause_dir, str(target)]) for _ in range(repeat)]
    return {
        "wall": statistics.median(w for w, _, _ in runs),
        "cpu": statistics.median(c for _, c, _ in runs),
        "render": statistics.median(float(out) for _, _, out in runs),
        "pages": pages(target),
    }


def portfolio(customers: int, services: int, out: Path) -> dict[str, float]:
    from portfolio import generate

    folder = out / "portfolio"
    folder.mkdir()
    spec = generate(folder, customers, services)
    slaforge = Path(sys.executable).parent / "slaforge"
    found = {}
    for engine in ENGINES:
        target = out / f"portfolio-{engine}"
        shutil.rmtree(target, ignore_errors=True)
        command = [str(slaforge), "build", str(spec), "-f", "pdf", "-o", str(target), "--pdf-engine", engine]
        found[engine] = timed(command)[1]
        found[f"{engine}-documents"] = len(list(target.rglob("*.pdf")))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--portfolio", action="store_true", help="also build the generated portfolio in PDF")
    parser.add_argument("--customers", type=int, default=5)
    parser.add_argument("--services", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="slaforge-pdf-engines-") as tmp:
        out = Path(tmp)
        extra = generated_clauses(out / "clauses", 150)
        cases = [(spec.stem, spec, "") for spec in sorted((ROOT / "samples").glob("*.yaml"))]
        cases.append(("large (generated)", ROOT / "samples" / "managed-network.yaml", str(extra)))
        print(f"PDF engines, median of {args.repeat} whole processes (load, check, compose, render)\n")
        head = (
            f"{'agreement':<24} {'pages':>9}  {'process CPU: WeasyPrint':>23} {'Typst':>7} {'ratio':>6}"
            f"  {'render CPU: WeasyPrint':>22} {'Typst':>7} {'ratio':>6}"
        )
        print(head, flush=True)
        print("-" * len(head))
        for name, spec, clause_dir in cases:
            row = {engine: measure(spec, engine, clause_dir, args.repeat, out) for engine in ENGINES}
            weasy, typst = row["weasyprint"], row["typst"]
            figures[name] = {f"{e}-{k}": v for e, r in row.items() for k, v in r.items()}
            print(
                f"{name:<24} {int(weasy['pages']):>4}/{int(typst['pages']):<4}  "
                f"{weasy['cpu']:>21.2f} s {typst['cpu']:>5.2f} s {weasy['cpu'] / typst['cpu']:>5.1f}x  "
                f"{weasy['render']:>20.2f} s {typst['render']:>5.2f} s {weasy['render'] / typst['render']:>5.1f}x",
                flush=True,
            )
        if args.portfolio:
            found = portfolio(args.customers, args.services, out)
            figures["portfolio"] = found
            print(
                f"\nportfolio {args.customers} customers x {args.services} services, PDF, --jobs 1 (CPU): "
                f"WeasyPrint {found['weasyprint']:.1f} s ({int(found['weasyprint-documents'])} files), "
                f"Typst {found['typst']:.1f} s ({int(found['typst-documents'])} files), "
                f"{found['weasyprint'] / found['typst']:.1f}x"
            )
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
