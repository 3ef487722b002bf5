#!/usr/bin/env python3
"""Time and peak memory of each format, for every sample and a large generated agreement,
and the time to compare two versions of the large agreement (``slaforge diff``).

    .venv/bin/python benchmarks/run.py [--repeat N]

Each measurement runs in a fresh process (so peak RSS is that render's own),
after one warm-up render in the same process (imports and font loading are
reported separately as "first render").  The "weasyprint alone" row renders
the very HTML slaforge produced, straight through WeasyPrint with no
url_fetcher or metadata work: the floor the PDF path cannot beat.  The "pandoc docx" row (when pandoc is
installed) converts the same content, as Markdown, to DOCX with pandoc: the
yardstick for the DOCX renderer.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from slaforge.build import BuildOptions, document_for
from slaforge.writers import theme_for
    from slaforge.renderers import RenderOptions, render
    from slaforge.spec import load_spec

    spec, fmt, clause_dir, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    options = BuildOptions(clause_dirs=(Path(clause_dir),) if clause_dir else ())
    started = time.perf_counter()
    _, document = document_for(load_spec(spec), options)
    compose_time = time.perf_counter() - started
    render_options = RenderOptions(theme=theme_for(document, options.theme_dir))
    clauses = sum(1 for _ in document.clauses())

    def markdown():
        from slaforge.document import BulletList, DefinitionList, NumberedList, Paragraph, Table, plain
        out = [f"# {document.meta.title}"]
        for section in document.sections:
            out.append(f"\\n# {section.number} {section.title}\\n")
            for clause in section.clauses:
                out.append(f"\\n## {clause.number} {clause.title}\\n")
                for block in clause.blocks:
                    if isinstance(block, Paragraph):
                        out.append(f"\\n{block.number or ''} {plain(block.runs)}\\n")
                    elif isinstance(block, NumberedList | BulletList):
                        out.append("")
                        out += [f"- {plain(i.runs)}" for i in block.items]
                    elif isinstance(block, Table):
                        out.append("\\n| " + " | ".join(plain(c) for c in block.header) + " |")
                        out.append("|" + "---|" * len(block.header))
                        out += ["| " + " | ".join(plain(c) for c in row) + " |" for row in block.rows]
                    elif isinstance(block, DefinitionList):
                        out += [f"\\n**{d.term}** {plain(d.runs)}" for d in block.items]
        return "\\n".join(out)

    def once():
        if fmt == "pandoc":
            import subprocess
            text = markdown().encode()
            begin = time.perf_counter()
            data = subprocess.run(["pandoc", "-f", "markdown", "-t", "docx", "-o", "-"], input=text,
                                  capture_output=True, check=True).stdout
            return time.perf_counter() - begin, len(data)
        if fmt == "weasyprint":
            from slaforge.renderers.html import render_html_for_print
            import weasyprint
            html = render_html_for_print(document, render_options)
            begin = time.perf_counter()
            data = weasyprint.HTML(string=html, base_url=str(render_options.theme.builtin) + "/").write_pdf()
            return time.perf_counter() - begin, len(data)
        begin = time.perf_counter()
        data = render(document, fmt, render_options)
        return time.perf_counter() - begin, len(data)

    first, _ = once()
    times = []
    for _ in range(repeat):
        elapsed, size = once()
        times.append(elapsed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"compose": compose_time, "first": first, "best": min(times), "size": size,
                      "peak_mb": peak, "clauses": clauses}))
    """
)


def generated_clauses(folder: Path, count: int) -> Path:
    """A clause folder that adds ``count`` substantial clauses to the built-in library."""
    for index in range(count):
        category = ["responsibilities", "restrictions", "change", "monitoring", "reporting"][index % 5]
        path = folder / category / f"generated-{index:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            textwrap.dedent(
                f"""\
                ---
                id: {category}.generated-{index:03d}
                title: Additional provision {index + 1}
                category: {category}
                order: {500 + index}
                levels: [corporate, customer, service]
                params: [provider, customer, services]
                ---
                The Provider ({{{{ provider.name }}}}) shall keep records of every activity under this clause
                for the Customer ({{{{ customer.name }}}}) and make them available on reasonable request, within
                ten Business Days, in a commonly used electronic format.

                For each service the following applies:

                1. the records cover {{{{ services[0].name }}}} and every component it depends on;
                2. records are retained for the term of this Agreement and twelve months after it; and
                3. either party may request a review of the records once in each quarter.

                | Item | Owner | Frequency |
                |---|---|---|
                | Record review {index} | Provider | Quarterly |
                | Record audit {index} | Customer | Annually |
                """
            ),
            encoding="utf-8",
        )
    return folder


DIFF_CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from slaforge.build import BuildOptions
    from slaforge.diff.comparison import compare
    from slaforge.diff.versions import read_version
    from slaforge.diff.redline import redline
    from slaforge.renderers import RenderOptions, render
    from slaforge.renderers.theme import Theme

    old, new, clause_dir, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    options = BuildOptions(clause_dirs=(Path(clause_dir),))
    started = time.perf_counter()
    before, after = read_version(old, options), read_version(new, options)
    compose_time = time.perf_counter() - started
    from slaforge.diff.words import inline_key

    compare(before, after)  # warm-up (imports)
    times = []
    for _ in range(repeat):
        inline_key.cache_clear()  # cold: every clause's words are read again
        begin = time.perf_counter()
        comparison = compare(before, after)
        times.append(time.perf_counter() - begin)
    begin = time.perf_counter()
    document = redline(comparison)
    tree_time = time.perf_counter() - begin
    rendered = {}
    for fmt in ("docx", "pdf"):
        begin = time.perf_counter()
        render(document, fmt, RenderOptions(theme=Theme.load(None)))
        rendered[fmt] = time.perf_counter() - begin
    print(json.dumps({"compose": compose_time, "compare": min(times), "redline": tree_time, **rendered,
                      "clauses": sum(1 for _ in after.document.clauses()),
                      "changes": len(comparison.changes)}))
    """
)


def negotiated(spec: Path, folder: Path) -> Path:
    """The spec with a round of typical negotiated changes, for the comparison benchmark."""
    text = spec.read_text(encoding="utf-8")
    for old, new in (
        ("target: 99.95%", "target: 99.97%"),
        ("{at_least: 99.9%, below: 99.95%, credit: 5%}", "{at_least: 99.9%, below: 99.97%, credit: 5%}"),
        ("      resolution: 4h\n", "      resolution: 2h\n"),
        ("per_window: 35%", "per_window: 40%"),
        ('  version: "2.1"', '  version: "2.2"'),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    target = folder / "negotiated.yaml"
    target.write_text(text + "\npositions: {penalties.claims: customer-favourable}\n", encoding="utf-8")
    return target


def measure_diff(old: Path, new: Path, clause_dir: str, repeat: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", DIFF_CHILD, str(old), str(new), clause_dir, str(repeat)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode:
        raise SystemExit(f"benchmark of diff failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(spec: Path, fmt: str, clause_dir: str, repeat: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(spec), fmt, clause_dir, str(repeat)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode:
        raise SystemExit(f"benchmark of {spec} {fmt} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timed renders per measurement (best is shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        extra = generated_clauses(Path(tmp) / "clauses", 150)
        cases = [(spec.stem, spec, "") for spec in sorted((ROOT / "samples").glob("*.yaml"))]
        cases.append(("large (generated)", ROOT / "samples" / "managed-network.yaml", str(extra)))
        header = (
            f"{'agreement':<26} {'clauses':>7} {'format':<11} {'first s':>8} {'best s':>8} {'peak MB':>8} "
            f"{'size KB':>8}"
        )
        print(header)
        print("-" * len(header))
        for name, spec, clause_dir in cases:
            formats = ["html", "docx", "pdf", "weasyprint"] + (["pandoc"] if shutil.which("pandoc") else [])
            for fmt in formats:
                row = measure(spec, fmt, clause_dir, args.repeat)
                label = {"weasyprint": "pdf floor", "pandoc": "pandoc docx"}.get(fmt, fmt)
                print(
                    f"{name:<26} {int(row['clauses']):>7} {label:<11} {row['first']:>8.3f} {row['best']:>8.3f} "
                    f"{row['peak_mb']:>8.0f} {row['size'] / 1024:>8.0f}"
                )
            print(f"{name:<26} {'':>7} {'compose':<11} {row['compose']:>8.3f}")
        base = ROOT / "samples" / "managed-network.yaml"
        pair = measure_diff(base, negotiated(base, Path(tmp)), str(extra), args.repeat)
        name = f"diff, large pair ({int(pair['changes'])} ch.)"
        clauses = int(pair["clauses"])
        print(f"{name:<26} {clauses:>7} {'compose x2':<11} {pair['compose']:>8.3f}")
        print(f"{name:<26} {clauses:>7} {'compare':<11} {'':>8} {pair['compare']:>8.3f}")
        print(f"{name:<26} {clauses:>7} {'redline':<11} {'':>8} {pair['redline']:>8.3f}")
        for fmt in ("docx", "pdf"):
            print(f"{name:<26} {clauses:>7} {'redline ' + fmt:<11} {'':>8} {pair[fmt]:>8.3f}")


if __name__ == "__main__":
    main()
