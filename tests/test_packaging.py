"""templates/ and clauses/ ship inside the wheel and are found from it and from a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.resources import clauses_dir, templates_dir

ROOT = Path(__file__).resolve().parent.parent


def test_checkout_finds_top_level_folders() -> None:
    assert templates_dir() == ROOT / "templates"
    assert clauses_dir() == ROOT / "clauses"


def test_spec_reference_is_current() -> None:
    from slaforge.spec.reference import spec_reference

    assert (ROOT / "docs" / "spec-reference.md").read_text(encoding="utf-8") == spec_reference(), (
        "docs/spec-reference.md is stale: run 'slaforge schema --markdown -o docs/spec-reference.md'"
    )


def test_python_dash_m_and_version() -> None:
    result = subprocess.run([sys.executable, "-m", "slaforge", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("slaforge ")
    assert CliRunner().invoke(app, ["--version"]).output == result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        pytest.fail(f"building the wheel failed:\n{result.stdout}\n{result.stderr}")
    (built,) = folder.glob("slaforge-*.whl")
    return built


def test_wheel_carries_templates_and_clauses(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped_clauses = {n.split("slaforge/_data/clauses/", 1)[1] for n in names if "slaforge/_data/clauses/" in n}
    on_disk = {str(p.relative_to(ROOT / "clauses")) for p in (ROOT / "clauses").rglob("*") if p.is_file()}
    assert on_disk and shipped_clauses == on_disk
    shipped_templates = {n for n in names if n.startswith("slaforge/_data/templates/")}
    assert "slaforge/_data/templates/default/style.css" in shipped_templates


def test_installed_wheel_finds_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = "from slaforge.resources import templates_dir, clauses_dir; print(templates_dir()); print(clauses_dir())"
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found_templates, found_clauses = (Path(line) for line in result.stdout.split())
    assert found_templates == target / "slaforge" / "_data" / "templates"
    assert found_clauses == target / "slaforge" / "_data" / "clauses"
    assert (found_clauses / "categories.yaml").is_file()


def test_installed_wheel_builds_an_agreement_away_from_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """The wheel alone (no checkout on the path, another working folder) lists its clauses and builds."""
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    work = tmp_path / "work"
    work.mkdir()
    spec = work / "spec.yaml"
    spec.write_text((ROOT / "samples" / "managed-network.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run(
        [sys.executable, "-m", "slaforge", "clauses", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
    )
    assert listed.returncode == 0, listed.stderr
    assert "slaforge/_data/clauses/" in listed.stdout and str(ROOT / "clauses") not in listed.stdout
    built = subprocess.run(
        [sys.executable, "-m", "slaforge", "build", "spec.yaml", "-f", "html,docx", "-o", "out"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
    )
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (work / "out").iterdir()) == [
        "NWN-SLA-WAN-014-v2.1.docx",
        "NWN-SLA-WAN-014-v2.1.html",
    ]
