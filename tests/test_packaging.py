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
    probe = (
        "from slaforge.resources import templates_dir, clauses_dir, samples_dir;"
        "print(templates_dir()); print(clauses_dir()); print(samples_dir())"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found_templates, found_clauses, found_samples = (Path(line) for line in result.stdout.split())
    assert found_templates == target / "slaforge" / "_data" / "templates"
    assert found_clauses == target / "slaforge" / "_data" / "clauses"
    assert (found_clauses / "categories.yaml").is_file()
    # the samples `clauses check` renders every clause against ship too, every file of them
    assert found_samples == target / "slaforge" / "_data" / "samples"
    shipped = {str(p.relative_to(found_samples)) for p in found_samples.rglob("*") if p.is_file()}
    assert shipped == {str(p.relative_to(ROOT / "samples")) for p in (ROOT / "samples").rglob("*") if p.is_file()}


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


# ------------------------------------------------------------------ licence, typing, declared dependencies


def test_the_licence_is_the_apache_2_text_and_ships_in_the_wheel(wheel: Path) -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    words = " ".join(text.split())
    assert words.startswith("Apache License Version 2.0, January 2004 http://www.apache.org/licenses/")
    for heading in ("1. Definitions.", "2. Grant of Copyright License.", "9. Accepting Warranty or Additional"):
        assert heading in words
    assert "END OF TERMS AND CONDITIONS" in words
    archive = zipfile.ZipFile(wheel)
    (licence,) = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    assert archive.read(licence).decode("utf-8") == text
    metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: Apache-2.0" in archive.read(metadata).decode("utf-8")
    assert "slaforge/py.typed" in archive.namelist(), "type hints are part of the package (PEP 561)"


def _imported_modules() -> set[str]:
    """The top-level names every module of the package imports, read from the source."""
    import ast

    names: set[str] = set()
    for path in (ROOT / "slaforge").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"slaforge"}


def _declared() -> dict[str, list[str]]:
    """The requirements of pyproject.toml: the dependencies (key "") and each optional group."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"": project["dependencies"], **project["optional-dependencies"]}


def _name(requirement: str) -> str:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    return canonicalize_name(Requirement(requirement).name)


def test_every_imported_third_party_package_is_declared() -> None:
    from importlib.metadata import packages_distributions

    from packaging.utils import canonicalize_name

    declared = _declared()
    runtime = {_name(r) for group, requirements in declared.items() if group != "test" for r in requirements}
    distributions = packages_distributions()
    imported = _imported_modules()
    assert {"lxml", "markupsafe", "pydantic_core", "weasyprint", "docx"} <= imported, "the source reading works"
    missing = {
        module: [canonicalize_name(d) for d in distributions.get(module, [module])]
        for module in imported
        if not any(canonicalize_name(d) in runtime for d in distributions.get(module, [module]))
    }
    assert missing == {}, "imported but not declared in pyproject.toml"


@pytest.mark.parametrize(
    "package",
    [
        "weasyprint",  # its internals are used
        "pycountry",  # its ISO 4217 table decides which currencies a spec may be in, and the schemas' patterns
        "holidays",  # its data decides the dates of a named holiday calendar
    ],
)
def test_a_package_whose_data_or_internals_matter_has_a_tested_range_holding_the_installed_version(
    package: str,
) -> None:
    from importlib.metadata import version

    from packaging.requirements import Requirement

    (declared,) = [Requirement(r) for r in _declared()[""] if _name(r) == package]
    bounds = {spec.operator for spec in declared.specifier}
    assert "<" in bounds and ">=" in bounds, f"{package}: a tested range, not an open bound"
    assert declared.specifier.contains(version(package))


# ------------------------------------------------------------------ clauses check from an installed wheel


def test_clauses_check_never_passes_having_checked_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(app, ["clauses", "check", str(empty)])
    assert result.exit_code == 1, result.output
    assert f"no clause files in {empty}" in result.output
    assert "0 clauses checked" in result.output


def test_clauses_check_without_samples_fails_and_says_what_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installation without the samples folder: the check names --sample instead of passing on nothing."""
    import slaforge.compose.lint

    monkeypatch.setattr(slaforge.compose.lint, "samples_dir", lambda: None)
    result = CliRunner().invoke(app, ["clauses", "check"])
    assert result.exit_code == 1, result.output
    assert "no sample spec to render the clauses against" in result.output
    assert "expected: --sample SPEC" in result.output
    assert "against 0 sample spec(s)" in result.output
