"""``extends`` graphs: each fragment is read and visited once, and a chain is at most 32 files deep.

A diamond of 26 levels (each fragment extending two that both extend the same two below) has 2**26
paths from top to bottom; a chain of 600 files nests 600 reads. The first once took over a minute,
the second over 90 seconds; here each run is capped at 30 CPU seconds (:mod:`hostile_cli`), and the
diamond validates while the chain is refused at the file where it passes the limit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hostile_cli import SAMPLES, assert_refused, slaforge

PORTFOLIO = Path("portfolio") / "portfolio.yaml"


def portfolio_extending(tmp_path: Path, first: str, files: dict[str, str]) -> Path:
    shutil.copytree(SAMPLES / "portfolio", tmp_path / "portfolio")
    services = tmp_path / "portfolio" / "services"
    for name, text in files.items():
        (services / name).write_text(text, encoding="utf-8")
    desk = services / "desk.yaml"
    text = desk.read_text(encoding="utf-8")
    assert "extends: maintenance.yaml" in text
    desk.write_text(text.replace("extends: maintenance.yaml", f"extends: [maintenance.yaml, {first}]", 1))
    return services


def test_a_diamond_of_26_levels_is_read_once_per_file(tmp_path: Path) -> None:
    files = {
        f"{side}{level}.yaml": f"extends: [a{level + 1}.yaml, b{level + 1}.yaml]\n"
        for level in range(26)
        for side in "ab"
    }
    files |= {"a26.yaml": "{}\n", "b26.yaml": "{}\n"}
    portfolio_extending(tmp_path, "a0.yaml, b0.yaml", files)
    run = slaforge("validate", PORTFOLIO, cwd=tmp_path)
    assert run.code == 0, run.text
    assert "8 documents" in run.out


def test_a_chain_of_600_files_is_refused_where_it_passes_the_limit(tmp_path: Path) -> None:
    files = {f"c{i}.yaml": f"extends: c{i + 1}.yaml\n" if i < 599 else "{}\n" for i in range(600)}
    portfolio_extending(tmp_path, "c0.yaml", files)
    run = slaforge("validate", PORTFOLIO, cwd=tmp_path)
    # desk.yaml is the first file of the chain; c0 the second: the 32nd file is c30
    assert_refused(run, "portfolio/services/c30.yaml:1:1:")
    assert "more than 32 fragments on one chain" in run.err


def test_a_chain_of_30_files_is_read(tmp_path: Path) -> None:
    files = {f"c{i}.yaml": f"extends: c{i + 1}.yaml\n" if i < 29 else "{}\n" for i in range(30)}
    portfolio_extending(tmp_path, "c0.yaml", files)
    run = slaforge("validate", PORTFOLIO, cwd=tmp_path)
    assert run.code == 0, run.text
