"""A copy of the sample portfolio in a temporary folder, to change and build."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "portfolio"


def copy_sample(tmp_path: Path) -> Path:
    target = tmp_path / "portfolio"
    shutil.copytree(SAMPLE, target)
    return target / "portfolio.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def read(path: Path) -> object:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def invoke(*args: object) -> object:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def covering(portfolio: Path, service: str) -> list[str]:
    """The documents that cover ``service``, in portfolio order: the corporate SLA, the customer SLAs of
    the customers that take it, and its service SLAs (read from the portfolio file)."""
    data = read(portfolio)
    subscribed = {str(s["customer"]) for s in data["subscriptions"] if s["service"] == service}  # type: ignore[index]
    return [
        str(d["id"])
        for d in data["documents"]  # type: ignore[index]
        if d["kind"] == "corporate"
        or (d["kind"] == "customer" and d["customer"] in subscribed)
        or d.get("service") == service
    ]
