#!/usr/bin/env python3
"""Where the CPU time of ``slaforge validate`` and ``build -f docx|html`` goes, stage by stage (issue 21 §1).

    .venv/bin/python benchmarks/stages.py [SPEC] [--repeat N]

For SPEC (default samples/managed-network.yaml), each run is a fresh process that times, in CPU seconds
(``time.process_time``), the stages one build goes through, in the order it goes through them:

    imports        importing the command line and what a build uses (slaforge.cli, the spec, compose, renderers)
    YAML load      reading the spec with the position of every value (slaforge.inputs.yaml)
    checks         checking it against the models and the domain rules (slaforge.spec.validate)
    clause front   reading the clause library: each file's front matter and wordings (slaforge.library)
    compose        resolving the agreement and composing its document (compiling each wording it renders)
    compile share  how much of compose a second, warm composition of the same spec saves (the templates'
                   compilation, which a second compose finds compiled)
    render docx    the DOCX renderer on the composed document, in memory
    render html    the HTML renderer likewise

``validate`` goes through every stage up to compose (it composes the document, so that a clause that cannot
render is a problem of validate too); a build adds one render. Then the whole commands as processes (user +
system CPU as the operating system counts it, so start-up and exit are in). Medians of N runs (default 5).
Nothing is written but temporary files.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "samples" / "managed-network.yaml"

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    clock = time.process_time
    stages = {}
    start = clock()
    import slaforge.cli  # noqa: F401 - what the command line imports before it runs anything
    from slaforge.build import library_for
    from slaforge.compose import compose
    from slaforge.compose.resolve import resolve
    from slaforge.library.texts import texts_for
    from slaforge.spec.loader import LoadedSpec, read_yaml
    from slaforge.spec.validate import check_data
    from slaforge.writers import render_all
    stages["imports"] = clock() - start

    path = Path(sys.argv[1])
    start = clock()
    data, source = read_yaml(path)
    stages["YAML load"] = clock() - start

    start = clock()
    checked = check_data(data, source, path.parent, False)
    loaded = LoadedSpec(spec=checked.spec, path=path, source=source, warnings=checked.warnings)
    stages["checks"] = clock() - start

    start = clock()
    library = library_for(loaded)
    stages["clause front matter"] = clock() - start

    start = clock()
    document = compose(resolve(loaded), library, texts=texts_for(None))
    stages["compose"] = clock() - start

    start = clock()
    compose(resolve(loaded), library, texts=texts_for(None))
    stages["compile share of compose"] = stages["compose"] - (clock() - start)

    for fmt in ("docx", "html"):
        start = clock()
        render_all({Path("out") / "x": document}, (fmt,))
        stages[f"render {fmt}"] = clock() - start
    print(json.dumps(stages))
    """
)


def stage_times(spec: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(spec)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout)


def process_cpu(args: list[str]) -> float:
    """User + system CPU seconds of ``slaforge ARGS`` as a whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "slaforge", *args], capture_output=True, check=True, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", nargs="?", type=Path, default=SPEC)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = args.spec.resolve()
    runs = [stage_times(spec) for _ in range(args.repeat)]
    print(f"stages of one build of {spec.name} (CPU seconds, median of {args.repeat} fresh processes)")
    print("| stage | CPU |")
    print("|---|---|")
    for name in runs[0]:
        print(f"| {name} | {statistics.median(r[name] for r in runs):.3f} s |")
    with tempfile.TemporaryDirectory() as out:
        commands = {
            "validate": ["validate", str(spec)],
            "build -f docx": ["build", str(spec), "-f", "docx", "-o", out],
            "build -f html": ["build", str(spec), "-f", "html", "-o", out],
        }
        print("\n| command (whole process) | CPU |")
        print("|---|---|")
        for name, command in commands.items():
            cpu = statistics.median(process_cpu(command) for _ in range(args.repeat))
            print(f"| {name} | {cpu:.2f} s |")


if __name__ == "__main__":
    main()
