"""``slaforge init`` for a portfolio, a fragment and an offer: each starter names its JSON Schema on a
modeline, the schema is written where the modeline points, the starter passes that schema (as an editor
checks it) and ``slaforge validate`` (the portfolio that includes a fragment; the offer itself)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from ruamel.yaml import YAML
from typer.testing import CliRunner

from slaforge.cli import app

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


def run(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def as_an_editor_sees(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): as_an_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_an_editor_sees(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def schema_problems(file: Path) -> list[str]:
    """What an editor flags in ``file``, by the schema its modeline names (which must be there)."""
    text = file.read_text(encoding="utf-8")
    (named,) = MODELINE.findall(text)
    schema_file = (file.parent / named).resolve()
    assert schema_file.is_file(), f"{file} names {named}, which init did not write"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = as_an_editor_sees(YAML(typ="safe", pure=True).load(text))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def schema_kind(file: Path) -> str:
    (named,) = MODELINE.findall(file.read_text(encoding="utf-8"))
    return Path(named).name.removesuffix(".schema.json")


def test_a_portfolio_starter_names_its_fragments_and_every_file_passes_its_schema_and_validate(tmp_path: Path) -> None:
    portfolio = tmp_path / "sla" / "portfolio.yaml"
    result = run("init", "--kind", "portfolio", portfolio)
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(portfolio.parent).as_posix() for p in portfolio.parent.rglob("*") if p.is_file())
    assert written == [
        "corporate.yaml",
        "customers/customer.yaml",
        "portfolio.yaml",
        "schemas/fragment.schema.json",
        "schemas/portfolio.schema.json",
        "schemas/service-fragment.schema.json",
        "services/app.yaml",
    ]
    assert all(f"wrote {portfolio.parent / name}" in result.stdout for name in written)
    kinds = {p.relative_to(portfolio.parent).as_posix(): schema_kind(p) for p in portfolio.parent.rglob("*.yaml")}
    assert kinds == {
        "portfolio.yaml": "portfolio",
        "corporate.yaml": "fragment",
        "customers/customer.yaml": "fragment",
        "services/app.yaml": "service-fragment",
    }
    for file in portfolio.parent.rglob("*.yaml"):
        assert schema_problems(file) == [], file
    for kind in ("portfolio", "fragment", "service-fragment"):  # the schemas are those slaforge prints
        printed = run("schema", "--kind", kind).stdout
        assert (portfolio.parent / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == printed
    check = run("validate", "--strict", portfolio)
    assert check.exit_code == 0, check.output
    assert "2 documents (1 corporate, 1 customer; 0 warnings)" in check.stdout
    # every file the portfolio names is one init wrote
    text = portfolio.read_text(encoding="utf-8")
    assert set(re.findall(r"spec: (\S+?)[,}]", text)) == {
        "corporate.yaml",
        "customers/customer.yaml",
        "services/app.yaml",
    }


def test_a_fragment_starter_passes_the_fragment_schema_and_validates_in_the_portfolio_that_names_it(
    tmp_path: Path,
) -> None:
    portfolio = tmp_path / "portfolio.yaml"
    assert run("init", "--kind", "portfolio", portfolio).exit_code == 0
    fragment = tmp_path / "customers" / "customer.yaml"
    fragment.write_text("# an empty document\n", encoding="utf-8")
    result = run("init", "--kind", "fragment", "--force", fragment)
    assert result.exit_code == 0, result.output
    assert schema_kind(fragment) == "fragment" and schema_problems(fragment) == []
    check = run("validate", "--strict", portfolio)
    assert check.exit_code == 0, check.output
    alone = tmp_path / "alone" / "fragment.yaml"  # on its own: the fragment and its schema beside it
    assert run("init", "--kind", "fragment", alone).exit_code == 0
    assert schema_problems(alone) == []
    assert (alone.parent / "schemas" / "fragment.schema.json").read_text(encoding="utf-8") == run(
        "schema", "--kind", "fragment"
    ).stdout


def test_an_offer_starter_passes_the_offer_schema_validate_and_offers(tmp_path: Path) -> None:
    offer = tmp_path / "offer.yaml"
    result = run("init", "--kind", "offer", offer)
    assert result.exit_code == 0, result.output
    assert schema_kind(offer) == "offer" and schema_problems(offer) == []
    check = run("validate", "--strict", offer)
    assert check.exit_code == 0, check.output
    assert f"{offer}: ok - offer ACME-SLA-001: 2 tiers (standard, premium); 1 negotiation envelope; 0 warnings" in (
        check.stdout
    )
    built = run("offers", offer, "-f", "html", "-o", tmp_path / "out", "--strict")
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "ACME-SLA-001-comparison-v0.1.html",
        "ACME-SLA-001-negotiation-INTERNAL-v0.1.html",
        "ACME-SLA-001-premium-v0.1.html",
        "ACME-SLA-001-standard-v0.1.html",
    ]


@pytest.mark.parametrize("kind", ["service", "customer", "corporate"])
def test_a_spec_starter_names_the_spec_schema_and_passes_it(tmp_path: Path, kind: str) -> None:
    spec = tmp_path / f"{kind}.yaml"
    assert run("init", "--kind", kind, spec).exit_code == 0
    assert schema_kind(spec) == "spec" and schema_problems(spec) == []


def test_validate_checks_an_offer_and_reports_its_problems_located(tmp_path: Path) -> None:
    offer = tmp_path / "offer.yaml"
    assert run("init", "--kind", "offer", offer).exit_code == 0
    text = offer.read_text(encoding="utf-8")
    assert text.count("availability: {target: 99.95%}") == 1
    offer.write_text(text.replace("availability: {target: 99.95%}", "availability: {target: lots}"), "utf-8")
    line = next(i for i, row in enumerate(offer.read_text(encoding="utf-8").splitlines(), 1) if "lots" in row)
    result = run("validate", offer)
    assert result.exit_code == 1
    assert f"{offer}:{line}:" in result.stderr and "tier premium: 'lots' is not a number" in result.stderr
    assert "Traceback" not in result.output


def test_init_writes_nothing_when_one_of_its_files_is_already_there(tmp_path: Path) -> None:
    corporate = tmp_path / "corporate.yaml"
    corporate.write_text("# my own corporate terms\n", encoding="utf-8")
    result = run("init", "--kind", "portfolio", tmp_path / "portfolio.yaml")
    assert result.exit_code == 1
    assert f"{corporate} already exists (use --force to overwrite)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corporate.yaml"]
    assert corporate.read_text(encoding="utf-8") == "# my own corporate terms\n"


def test_a_schema_init_wrote_before_is_shared_by_the_next_starter(tmp_path: Path) -> None:
    assert run("init", "--kind", "portfolio", tmp_path / "portfolio.yaml").exit_code == 0
    again = run("init", "--kind", "fragment", tmp_path / "second.yaml")  # schemas/fragment.schema.json is there
    assert again.exit_code == 0, again.output
