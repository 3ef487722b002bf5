"""Portfolio builds on a Dask cluster: ``build --executor dask --scheduler ADDRESS``.

A real two-worker ``distributed.LocalCluster`` (worker processes of their own, as on a cluster) renders
the sample portfolio; the files must be the very bytes of the suite's one-job build, the cache must
work as for local builds, and what goes wrong (an unreachable scheduler, a clause that fails on a
worker, options that do not go together) is one located message with nothing written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from portfolio_helpers import SAMPLE, copy_sample, edit, invoke
from shared import PORTFOLIO, Printed

distributed = pytest.importorskip("distributed")

FRONT = (
    '---\nid: own.hostile\ntitle: Hostile\ncategory: change\norder: 99\nversion: "1.0"\n'
    "levels: [corporate, customer, service]\n---\nBefore.\n\n{{ 1/0 }}\n"
)
BODY_LINE = 11  # the front matter is lines 1-8, "Before." line 9, a blank line, then the failing line


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def digests(out: Path, suffixes: tuple[str, ...]) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in suffixes and p.name != "index.html" and ".slaforge-cache" not in p.parts
    }


def files_in(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []


def test_a_cluster_writes_the_bytes_of_one_local_job(
    scheduler: str, portfolio_build: tuple[Path, Printed], tmp_path: Path
) -> None:
    built, _ = portfolio_build
    out = tmp_path / "cluster"
    args = ("build", PORTFOLIO, "-f", "docx,html", "-o", out, "--executor", "dask", "--scheduler", scheduler)
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    documents = len(list((built / ".slaforge-cache").glob("*.json")))
    assert f"{documents} document(s) rendered" in result.stdout
    ours, one_job = digests(out, (".docx", ".html")), digests(built, (".docx", ".html"))
    assert len(ours) == 2 * documents and ours == one_job
    # built again with nothing changed: every document is up to date, as after a local build
    again = invoke(*args)
    assert again.exit_code == 0 and f"0 document(s) rendered, {documents} up to date" in again.stdout


def test_a_change_renders_again_on_the_cluster_only_what_it_feeds(scheduler: str, tmp_path: Path) -> None:
    portfolio = copy_sample(tmp_path)
    out = tmp_path / "out"
    args = ("build", portfolio, "-f", "html", "-o", out, "--executor", "dask", "--scheduler", scheduler)
    assert invoke(*args).exit_code == 0
    uc = portfolio.parent / "operations" / "uc-metrolink.yaml"
    text = uc.read_text(encoding="utf-8")
    version = next(line for line in text.splitlines() if line.strip().startswith("version:"))
    edit(uc, version, version.replace(version.split(":", 1)[1].strip(), '"9.9"'))
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "1 document(s) rendered (uc-metrolink)" in result.stdout
    assert (out / "underpinning" / "NW-UC-METROLINK-v9.9.html").is_file()


def test_a_clause_that_fails_on_a_worker_is_one_located_problem(scheduler: str, tmp_path: Path) -> None:
    portfolio = copy_sample(tmp_path)
    clauses = tmp_path / "clauses"
    clauses.mkdir()
    (clauses / "hostile.md").write_text(FRONT, encoding="utf-8")
    out = tmp_path / "out"
    args = ("build", portfolio, "--clauses", clauses, "-f", "html", "-o", out)
    result = invoke(*args, "--executor", "dask", "--scheduler", scheduler)
    assert result.exit_code == 1
    assert f"hostile.md:{BODY_LINE}" in result.output and "ZeroDivisionError" in result.output
    assert "Traceback" not in result.output and files_in(out) == []


def test_an_unreachable_scheduler_is_said_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("build", PORTFOLIO, "-f", "html", "-o", out, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9")
    result = invoke(*args)
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in result.output
    assert files_in(out) == []


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (("--executor", "dask"), "--executor dask needs --scheduler ADDRESS"),
        (("--scheduler", "tcp://127.0.0.1:8786"), "use it with --executor dask"),
        (("--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2"), "its own workers"),
        (("--executor", "threads"), "expected local or dask"),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(options: tuple[str, ...], says: str, tmp_path: Path) -> None:
    result = invoke("build", PORTFOLIO, "-f", "html", "-o", tmp_path / "out", *options)
    assert result.exit_code == 2 and says in result.output
    assert files_in(tmp_path / "out") == []


def test_a_plain_build_never_imports_dask(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "portfolio")
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from slaforge.cli import app\n"
        "args = ['build', 'portfolio/portfolio.yaml', '-f', 'html', '-o', 'out', '--jobs', '2']\n"
        "result = CliRunner().invoke(app, args)\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert (tmp_path / "out" / "index.html").is_file()


@pytest.mark.parametrize("differs", ["version", "built-in files"])
def test_a_worker_that_differs_is_named_and_nothing_is_rendered(differs: str, tmp_path: Path) -> None:
    """A worker running another install of slaforge: another version, or the same version with a
    built-in theme file that is not the same."""
    import slaforge

    source = Path(slaforge.__file__).parent
    other = tmp_path / "install"
    shutil.copytree(source, other / "slaforge", ignore=shutil.ignore_patterns("__pycache__"))
    (other / "clauses").symlink_to(source.parent / "clauses")
    if differs == "version":
        (other / "templates").symlink_to(source.parent / "templates")
        init = other / "slaforge" / "__init__.py"
        init.write_text(init.read_text(encoding="utf-8").replace(slaforge.__version__, "0.0.1"), encoding="utf-8")
        says = "runs slaforge 0.0.1; this build is slaforge"
    else:
        shutil.copytree(source.parent / "templates", other / "templates")
        css = sorted((other / "templates" / "default").rglob("*.css"))[0]
        css.write_text(css.read_text(encoding="utf-8") + "\n/* another install */\n", encoding="utf-8")
        says = "has other built-in clauses or theme files than this build"
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=None) as cluster:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_worker",
                cluster.scheduler_address,
                "--nthreads",
                "1",
                "--no-dashboard",
            ],
            env={**os.environ, "PYTHONPATH": str(other)},
            cwd=other,  # python -m puts its folder first on the path: this install, not the checkout
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with distributed.Client(cluster.scheduler_address) as client:
                client.wait_for_workers(1, timeout=120)
            out = tmp_path / "out"
            args = ("build", PORTFOLIO, "-f", "html", "-o", out, "--executor", "dask")
            result = invoke(*args, "--scheduler", cluster.scheduler_address)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    assert result.exit_code == 1, result.output
    assert says in result.output and "nothing was rendered" in result.output
    assert files_in(out) == []
