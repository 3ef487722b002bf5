"""The JSON Schemas against ``slaforge validate``: a corpus of mutations that both must judge alike.

Each mutation changes one value of a sample (or removes one key) and says whether the result is an
agreement slaforge accepts.  The mutated file goes through ``slaforge validate`` (the exit code) and
through jsonschema with the schema ``slaforge schema`` prints (dates read as the strings an editor
sees, formats checked): an editor that uses the schema flags exactly what validate refuses.  Checks
across values (credit bands without gaps, a P1 no slower than a P2, references to ids) are beyond a
schema and are not in the corpus; the README says so.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from ruamel.yaml import YAML
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DELETE = object()
REFUSED, ACCEPTED = "refused", "accepted"

SPEC = SAMPLES / "saas-platform.yaml"
FRAGMENT = SAMPLES / "portfolio" / "customers" / "contoso-wan.yaml"
SERVICE = SAMPLES / "portfolio" / "services" / "email.yaml"
PORTFOLIO = SAMPLES / "portfolio" / "portfolio.yaml"
OFFER = SAMPLES / "offers" / "tiered-offer.yaml"

# (id, file, path, new value or DELETE, the verdict)
SPEC_MUTATIONS: list[tuple[str, tuple[Any, ...], Any, str]] = [
    ("as written", (), None, ACCEPTED),
    ("an impossible date", ("agreement", "effective"), "2027-02-30", REFUSED),
    ("a date that is not one", ("agreement", "effective"), "next spring", REFUSED),
    ("a version that is not a number", ("agreement", "version"), "one", REFUSED),
    ("a version with three parts", ("agreement", "version"), "2.1.3", ACCEPTED),
    ("a status outside the choices", ("agreement", "status"), "drafty", REFUSED),
    ("a brand colour by name", ("agreement", "branding"), {"colour": "blue"}, REFUSED),
    ("a brand colour as #rrggbb", ("agreement", "branding"), {"colour": "#1f3a5f"}, ACCEPTED),
    ("an unknown key at the top", ("colour",), "blue", REFUSED),
    ("an unknown key in a service", ("services", 0, "uptime"), "99.9%", REFUSED),
    ("a service id with a space", ("services", 0, "id"), "e mail", REFUSED),
    ("a missing required key", ("agreement", "title"), DELETE, REFUSED),
    ("a missing service name", ("services", 0, "name"), DELETE, REFUSED),
    ("a target as a number", ("services", 0, "availability", "target"), 99.9, ACCEPTED),
    ("a target with a decimal comma", ("services", 0, "availability", "target"), "99,95%", REFUSED),
    ("a target in words", ("services", 0, "availability", "target"), "three nines", REFUSED),
    ("a window outside the choices", ("services", 0, "availability", "window"), "fortnight", REFUSED),
    ("a window from the choices", ("services", 0, "availability", "window"), "calendar-quarter", ACCEPTED),
    (
        "a response time in business days",
        ("responsiveness", "severities", 3, "response"),
        "2 business days",
        ACCEPTED,
    ),
    ("an ISO 8601 response time", ("responsiveness", "severities", 0, "response"), "PT30M", ACCEPTED),
    ("a response time without a unit", ("responsiveness", "severities", 0, "response"), 30, REFUSED),
    ("a response time with an unknown unit", ("responsiveness", "severities", 0, "response"), "30 jiffies", REFUSED),
    ("a response time of zero", ("responsiveness", "severities", 0, "response"), "0m", REFUSED),
    ("a response time in words", ("responsiveness", "severities", 0, "response"), "soon", REFUSED),
    ("a notice in ISO 8601 months", ("agreement", "term", "termination_notice"), "P6M", ACCEPTED),
    ("a term in ISO 8601 years and months", ("agreement", "term", "initial"), "P2Y6M", ACCEPTED),
    ("a notice in months and days", ("agreement", "term", "termination_notice"), "P1M15D", REFUSED),
    ("a notice in part of a month", ("agreement", "term", "termination_notice"), "1.5 months", REFUSED),
    ("a notice in business months", ("agreement", "term", "termination_notice"), "2 business months", REFUSED),
    ("an escalation level of 0", ("escalation", 0, "level"), 0, REFUSED),
    ("a minimum payable without a currency", ("service_credits", "minimum_payable"), "100", REFUSED),
    ("a negative minimum payable", ("service_credits", "minimum_payable"), "-100 EUR", REFUSED),
    ("a minimum payable with a decimal comma", ("service_credits", "minimum_payable"), "1,50 EUR", REFUSED),
    ("a minimum payable with thousands", ("service_credits", "minimum_payable"), "EUR 1,500.00", ACCEPTED),
    ("a fee in no ISO 4217 currency", ("service_credits", "fee"), "38500 XYZ", REFUSED),
    ("a fee with its currency before it", ("service_credits", "fee"), "EUR 38500", ACCEPTED),
    ("a fee with a lower-case currency", ("service_credits", "fee"), "38500 eur", REFUSED),
    ("a fee as a mapping", ("service_credits", "fee"), {"amount": 38500, "currency": "EUR"}, ACCEPTED),
    ("a fee as a mapping in no currency", ("service_credits", "fee"), {"amount": 38500, "currency": "XYZ"}, REFUSED),
    ("a reporting frequency outside the choices", ("reporting", "frequency"), "fortnightly", REFUSED),
    ("a list where a mapping belongs", ("agreement", "term"), ["24 months"], REFUSED),
    ("a mapping where a list belongs", ("services",), {"id": "x"}, REFUSED),
]
OTHER_MUTATIONS: list[tuple[str, str, Path, tuple[Any, ...], Any, str]] = [
    ("fragment as written", "fragment", FRAGMENT, (), None, ACCEPTED),
    ("fragment: an unknown key", "fragment", FRAGMENT, ("uptime",), "99%", REFUSED),
    ("fragment: a target in words", "fragment", FRAGMENT, ("services", 0, "availability", "target"), "high",
     REFUSED),
    ("fragment: an impossible date", "fragment", FRAGMENT, ("agreement", "history", 0, "date"), "2027-13-01",
     REFUSED),
    ("service fragment as written", "service-fragment", SERVICE, (), None, ACCEPTED),
    ("service fragment: an unknown key", "service-fragment", SERVICE, ("uptime",), "99%", REFUSED),
    ("portfolio as written", "portfolio", PORTFOLIO, (), None, ACCEPTED),
    ("portfolio: a document kind outside the choices", "portfolio", PORTFOLIO, ("documents", 0, "kind"),
     "department", REFUSED),
    ("portfolio: a missing title", "portfolio", PORTFOLIO, ("portfolio", "title"), DELETE, REFUSED),
    ("portfolio: an unknown key", "portfolio", PORTFOLIO, ("owner",), "Priya", REFUSED),
    ("offer as written", "offer", OFFER, (), None, ACCEPTED),
    ("offer: an impossible date", "offer", OFFER, ("offer", "valid_until"), "2027-02-29", REFUSED),
    ("offer: one tier", "offer", OFFER, ("tiers",), "FIRST", REFUSED),
    ("offer: a tier override in words", "offer", OFFER, ("tiers", 0, "overrides"), {"services": "all"}, REFUSED),
    ("offer: a tier's fee in no ISO 4217 currency", "offer", OFFER, ("tiers", 1, "overrides", "services", 0, "fee"),
     "38500 XYZ", REFUSED),
    ("offer: a tier's fee in lower case", "offer", OFFER, ("tiers", 1, "overrides", "services", 0, "fee"),
     "38500 gbp", REFUSED),
    ("offer: an unknown key in an envelope", "offer", OFFER, ("envelopes", "FIRST", "walk_away"), "99%",
     REFUSED),
]  # fmt: skip


def read(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def mutated(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    if not path:
        return data
    *parents, last = path
    node = data
    for key in parents:
        node = node[next(iter(node)) if key == "FIRST" else key]
    if last == "FIRST" and isinstance(node, dict):
        last = next(iter(node))
    if value is DELETE:
        del node[last]
    elif value == "FIRST":
        node[last] = node[last][:1]
    else:
        node[last] = value
    return data


def as_an_editor_sees(value: Any) -> Any:
    """YAML dates as the strings a YAML language server checks against the schema."""
    if isinstance(value, dict):
        return {str(k): as_an_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_an_editor_sees(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def schemas() -> dict[str, Draft202012Validator]:
    found = {}
    for kind in ("spec", "fragment", "service-fragment", "portfolio", "offer"):
        result = CliRunner().invoke(app, ["schema", "--kind", kind])
        assert result.exit_code == 0, result.output
        schema = json.loads(result.stdout)
        Draft202012Validator.check_schema(schema)
        found[kind] = Draft202012Validator(schema, format_checker=FormatChecker())
    return found


def editor_verdict(validator: Draft202012Validator, data: Any) -> str:
    return REFUSED if any(validator.iter_errors(as_an_editor_sees(data))) else ACCEPTED


def write(data: Any, target: Path) -> Path:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with target.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    return target


def slaforge_verdict(kind: str, file: Path, data: Any, tmp_path: Path) -> str:
    """What slaforge makes of the mutated file, read where slaforge reads that kind of file."""
    if kind in ("spec", "offer", "portfolio"):
        target = tmp_path / file.relative_to(SAMPLES)
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "portfolio":  # the fragments it names, beside it
            import shutil

            shutil.copytree(file.parent, target.parent, dirs_exist_ok=True)
        write(data, target)
        args = ["offers", str(target), "-f", "html", "-o", str(tmp_path / "out")] if kind == "offer" else [
            "validate", str(target)]  # fmt: skip
    else:  # a fragment is read as part of the sample portfolio
        import shutil

        shutil.copytree(PORTFOLIO.parent, tmp_path / "portfolio")
        target = tmp_path / "portfolio" / file.relative_to(PORTFOLIO.parent)
        write(data, target)
        args = ["validate", str(tmp_path / "portfolio" / PORTFOLIO.name)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    return ACCEPTED if result.exit_code == 0 else REFUSED


@pytest.mark.parametrize(
    ("path", "value", "verdict"), [m[1:] for m in SPEC_MUTATIONS], ids=[m[0] for m in SPEC_MUTATIONS]
)
def test_a_spec_mutation_is_judged_alike(
    path: tuple[Any, ...], value: Any, verdict: str, schemas: Any, tmp_path: Path
) -> None:
    data = mutated(read(SPEC), path, value)
    assert slaforge_verdict("spec", SPEC, data, tmp_path) == verdict, "slaforge validate"
    assert editor_verdict(schemas["spec"], data) == verdict, "the JSON Schema"


@pytest.mark.parametrize(("kind", "file", "path", "value", "verdict"), [m[1:] for m in OTHER_MUTATIONS],
                         ids=[m[0] for m in OTHER_MUTATIONS])  # fmt: skip
def test_a_mutation_of_another_kind_of_file_is_judged_alike(
    kind: str, file: Path, path: tuple[Any, ...], value: Any, verdict: str, schemas: Any, tmp_path: Path
) -> None:
    data = mutated(read(file), path, value)
    assert slaforge_verdict(kind, file, data, tmp_path) == verdict, "slaforge"
    assert editor_verdict(schemas[kind], data) == verdict, "the JSON Schema"


# ------------------------------------------------------------------ the schemas themselves

KINDS = ("spec", "fragment", "service-fragment", "portfolio", "offer")
MODELINE = "# yaml-language-server: $schema="


def properties(node: Any, where: str = "") -> list[tuple[str, Any]]:
    """Every (place, property schema) in a schema, definitions included."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            found.append((f"{where}.{name}", prop))
        for key, value in node.items():
            if key == "properties":
                for name, prop in value.items():
                    found += properties(prop, f"{where}.{name}")
            elif key == "$defs":
                for name, definition in value.items():
                    found += properties(definition, name)
            else:
                found += properties(value, where)
    elif isinstance(node, list):
        for item in node:
            found += properties(item, where)
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_is_described(kind: str) -> None:
    schema = json.loads(CliRunner().invoke(app, ["schema", "--kind", kind]).stdout)
    found = properties(schema)
    assert len(found) > (5 if kind == "portfolio" else 100)
    missing = sorted({where for where, prop in found if not (isinstance(prop, dict) and prop.get("description"))})
    assert not missing, f"{kind}: {len(missing)} properties without a description: {missing[:20]}"


def kind_of(sample: Path) -> str:
    """The kind of a sample file, by where slaforge reads it (not by its modeline)."""
    relative = sample.relative_to(SAMPLES).as_posix()
    if relative == "portfolio/portfolio.yaml":
        return "portfolio"
    if relative.startswith("portfolio/services/"):
        return "service-fragment"
    if relative.startswith("portfolio/"):
        return "fragment"
    if relative.startswith("offers/"):
        return "offer"
    return "spec"


SAMPLE_FILES = sorted(SAMPLES.rglob("*.yaml"))


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.relative_to(SAMPLES).as_posix() for p in SAMPLE_FILES])
def test_every_sample_names_the_schema_of_its_kind_and_conforms(sample: Path, schemas: Any) -> None:
    lines = [line for line in sample.read_text(encoding="utf-8").splitlines() if line.startswith(MODELINE)]
    assert len(lines) == 1, f"{sample}: one '{MODELINE}...' line"
    named = (sample.parent / lines[0].removeprefix(MODELINE).strip()).resolve()
    kind = kind_of(sample)
    assert named == (ROOT / "schemas" / f"{kind}.schema.json").resolve(), named
    errors = list(schemas[kind].iter_errors(as_an_editor_sees(read(sample))))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:120]}" for e in errors[:5]]


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_schema_files_are_those_slaforge_prints(kind: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", "--kind", kind, "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 0, result.output
    shipped = ROOT / "schemas" / f"{kind}.schema.json"
    assert shipped.read_bytes() == (tmp_path / "x.json").read_bytes(), (
        f"{shipped} is out of date: slaforge schema --kind {kind} -o {shipped.relative_to(ROOT)}"
    )
