"""The spec commands end to end: ``slaforge validate``, ``slaforge schema`` and ``slaforge init``.

Exit codes: 0 success, 1 invalid input, 2 usage error; never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner, Result

from slaforge.cli import app
from slaforge.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
MINIMAL = ROOT / "tests" / "specs" / "minimal.yaml"


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def variant(tmp_path: Path, old: str, new: str, name: str = "spec.yaml") -> tuple[Path, str]:
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, text


def at(text: str, needle: str) -> tuple[int, int]:
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


NO_ESCALATION = (
    "escalation:\n  - level: 1\n    role: Duty Manager\n    after: 1h\n"
    "  - level: 2\n    role: Service Level Manager\n    after: 4h\n\n"
)


# ------------------------------------------------------------------ validate


def test_the_samples_validate_without_warnings() -> None:
    assert len(SAMPLES) >= 3
    result = run("validate", *SAMPLES)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    for sample in SAMPLES:
        line = next(x for x in result.stdout.splitlines() if x.startswith(f"{sample}: ok - "))
        assert line.endswith("; 0 warnings)")


def test_the_sample_summaries_name_what_they_hold() -> None:
    result = run("validate", ROOT / "samples" / "internal-service-desk.yaml", ROOT / "samples" / "saas-platform.yaml")
    assert result.exit_code == 0
    assert "(customer level, 3 services: service-desk, care-records, payroll-hosting;" in result.stdout
    assert "no service credits" in result.stdout
    assert "LDG-SLA-EINV-2027 v3.0 (service level, 1 service: einvoicing; 4 severity levels; service credits;" in (
        result.stdout
    )


def test_a_yaml_syntax_error_exits_1_with_its_position(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        "      definition: No card payments can be taken.",
        "      definition: No card payments: none can be taken.",
    )
    result = run("validate", path)
    assert result.exit_code == 1
    line, column = at(text, ": none can")
    assert result.stderr.startswith(f"{path}:{line}:{column}: error: YAML syntax error: mapping values")
    assert result.stdout == ""


def test_an_unknown_key_exits_1_with_a_suggestion(tmp_path: Path) -> None:
    path, text = variant(tmp_path, "  hours: office\n  severities:", "  hours: office\n  severites:")
    result = run("validate", path)
    assert result.exit_code == 1
    line, column = at(text, "severites:")
    assert f"{path}:{line}:{column}: error: responsiveness.severites: unknown key 'severites'; did you mean " in (
        result.stderr
    )
    assert "did you mean 'severities'?" in result.stderr
    assert result.stderr.rstrip().endswith("problems found; nothing was written")


def test_every_file_is_checked_even_after_a_bad_one(tmp_path: Path) -> None:
    bad, _ = variant(tmp_path, "    fee: 4800 GBP", "    fee: 4800")
    result = run("validate", bad, MINIMAL)
    assert result.exit_code == 1
    assert "services[0].fee: 4800 has no currency" in result.stderr
    assert f"{MINIMAL}: ok - HBK-SLA-PAY-003 v1.1" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), (b"title: Caf\xe9\n", "not UTF-8 text"), (b"- a\n- b\n", "must be a YAML mapping")],
)
def test_unreadable_input_exits_1_without_a_traceback(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "input.yaml"
    if content is not None:
        path.write_bytes(content)
    result = run("validate", path)
    assert result.exit_code == 1
    assert message in result.stderr


@pytest.mark.parametrize("args", [(), ("--no-such-option", "x.yaml")])
def test_a_usage_error_exits_2(args: tuple[str, ...]) -> None:
    assert run("validate", *args).exit_code == 2


def test_warnings_are_printed_and_do_not_fail(tmp_path: Path) -> None:
    path, text = variant(tmp_path, NO_ESCALATION, "")
    result = run("validate", path)
    assert result.exit_code == 0
    line, column = at(text, "slaforge: 1")
    assert f"{path}:{line}:{column}: warning: escalation: no escalation path" in result.stderr
    assert "1 warning)" in result.stdout


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, NO_ESCALATION, "")
    result = run("validate", "--strict", path)
    assert result.exit_code == 1
    assert ": error: escalation: no escalation path" in result.stderr
    assert ": ok - " not in result.stdout


def test_strict_passes_a_clean_spec() -> None:
    assert run("validate", "--strict", *SAMPLES, MINIMAL).exit_code == 0


def test_json_report_of_an_invalid_spec(tmp_path: Path) -> None:
    path, text = variant(tmp_path, "      target: 99.9%", "      target: 0%\n      windw: calendar-month")
    result = run("validate", "--json", path, MINIMAL)
    assert result.exit_code == 1
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["valid"] is False
    bad, good = report["specs"]
    assert (bad["spec"], bad["valid"], good["spec"], good["valid"]) == (str(path), False, str(MINIMAL), True)
    problems = bad["problems"]
    assert [p["path"] for p in problems] == ["services[0].availability.windw"]
    problem = problems[0]
    assert (problem["line"], problem["column"]) == at(text, "windw")
    assert (problem["severity"], problem["code"], problem["file"]) == ("error", "unknown-key", str(path))
    assert set(problem) == {"severity", "code", "file", "line", "column", "path", "message", "given", "expected"}
    assert bad["message"] == "1 problem found; nothing was written"
    assert good["problems"] == [] and good["agreement"] == "HBK-SLA-PAY-003" and good["services"] == ["gateway"]


def test_json_report_of_a_semantic_error(tmp_path: Path) -> None:
    path, text = variant(tmp_path, "      target: 99.9%", "      target: 100.5%")
    report = json.loads(run("validate", "--json", path).stdout)
    codes = {(p["code"], p["path"]) for p in report["specs"][0]["problems"]}
    assert ("out-of-range", "services[0].availability.target") in codes
    target = next(p for p in report["specs"][0]["problems"] if p["code"] == "out-of-range")
    assert (target["line"], target["column"]) == at(text, "target: 100.5%")
    assert target["given"] == "100.5%"


def test_json_report_carries_warnings_of_a_valid_spec(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, NO_ESCALATION, "")
    result = run("validate", "--json", path)
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert [(p["severity"], p["code"], p["path"]) for p in report["specs"][0]["problems"]] == [
        ("warning", "no-escalation", "escalation")
    ]
    strict = json.loads(run("validate", "--json", "--strict", path).stdout)
    assert strict["valid"] is False
    assert [p["severity"] for p in strict["specs"][0]["problems"]] == ["error"]


# ------------------------------------------------------------------ schema


def conforms(schema: dict[str, Any], value: Any, defs: dict[str, Any], where: str = "$") -> list[str]:
    """Structure only (jsonschema is not a dependency): types, enums, keys, required, patterns, items."""
    if "$ref" in schema:
        return conforms(defs[schema["$ref"].rsplit("/", 1)[-1]], value, defs, where)
    if "anyOf" in schema:
        tries = [conforms(option, value, defs, where) for option in schema["anyOf"]]
        return [] if [] in tries else min(tries, key=len)
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}
        actual = names.get(type(value), "null")
        if actual not in kinds and not (actual == "integer" and "number" in kinds):
            return [f"{where}: {actual}, not {kinds}"]
    found = []
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        found += [f"{where}: {key} is missing" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            patterns = [s for p, s in schema.get("patternProperties", {}).items() if re.search(p, key)]
            if key in schema.get("properties", {}):
                found += conforms(schema["properties"][key], item, defs, f"{where}.{key}")
            elif patterns:
                found += conforms(patterns[0], item, defs, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}: {key} is not allowed")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            found.append(f"{where}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            found += conforms(schema.get("items", {}), item, defs, f"{where}[{i}]")
    return found


def as_json_data(value: Any) -> Any:
    """What a YAML language server hands the schema: dates are strings."""
    if isinstance(value, dict):
        return {str(k): as_json_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_data(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    result = run("schema")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_schema_is_json_schema_with_descriptions(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$defs"]["Availability"]["properties"]["target"]["description"] == "Availability target, e.g. 99.95%"
    assert schema["additionalProperties"] is False
    assert {"agreement", "provider", "customers", "services", "service_hours"} <= set(schema["required"])
    undescribed = [key for key, field in schema["properties"].items() if not field.get("description")]
    assert undescribed == []
    window = schema["$defs"]["TimeWindow"]["properties"]
    assert {"from", "to", "days"} <= set(window)  # the keys users write, not the Python names


@pytest.mark.parametrize("spec", [*SAMPLES, MINIMAL], ids=lambda p: p.stem)
def test_the_samples_conform_to_the_schema(schema: dict[str, Any], spec: Path) -> None:
    data = as_json_data(YAML(typ="safe", pure=True).load(spec.read_text(encoding="utf-8")))
    assert conforms(schema, data, schema["$defs"]) == []


def test_the_schema_rejects_what_the_loader_rejects(schema: dict[str, Any]) -> None:
    data = as_json_data(YAML(typ="safe", pure=True).load(MINIMAL.read_text(encoding="utf-8")))
    data["services"][0]["availability"]["targt"] = "99.9%"
    data["services"][0]["availability"]["window"] = "monthly"
    del data["reporting"]["due"]
    data["service_hours"]["office"]["prime"][0]["days"] = ["mon-funday"]
    problems = conforms(schema, data, schema["$defs"])
    assert any("targt is not allowed" in p for p in problems)
    assert any("'monthly' is not one of" in p for p in problems)
    assert "$.reporting: due is missing" in problems
    assert any(p.startswith("$.service_hours.office.prime[0].days") for p in problems)


def test_the_schema_accepts_money_as_a_mapping(schema: dict[str, Any]) -> None:
    data = as_json_data(YAML(typ="safe", pure=True).load(MINIMAL.read_text(encoding="utf-8")))
    data["services"][0]["fee"] = {"amount": 4800, "currency": "GBP"}
    assert conforms(schema, data, schema["$defs"]) == []


def test_schema_to_a_file(tmp_path: Path, schema: dict[str, Any]) -> None:
    out = tmp_path / "spec.schema.json"
    result = run("schema", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == schema


def test_schema_as_markdown_reference() -> None:
    result = run("schema", "--markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Spec reference")
    assert "| `target` | percentage (`99.95%`) | **required** | Availability target, e.g. 99.95% |" in result.stdout


# ------------------------------------------------------------------ init


@pytest.mark.parametrize("kind", ["service", "customer", "corporate"])
def test_init_writes_a_spec_that_validates(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.yaml"
    result = run("init", "--kind", kind, path)
    assert result.exit_code == 0
    assert f"wrote {path}" in result.stdout
    loaded = load_spec(path)
    assert loaded.spec.level.value == kind
    assert loaded.warnings == ()
    check = run("validate", "--strict", path)
    assert check.exit_code == 0, check.output


def test_init_defaults_to_a_service_level_spec(tmp_path: Path) -> None:
    path = tmp_path / "sla.yaml"
    assert run("init", path).exit_code == 0
    assert load_spec(path).spec.level.value == "service"


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("# my own work\n", encoding="utf-8")
    result = run("init", path)
    assert result.exit_code == 1
    assert "already exists (use --force to overwrite)" in result.stderr
    assert path.read_text(encoding="utf-8") == "# my own work\n"
    forced = run("init", "--force", "--kind", "customer", path)
    assert forced.exit_code == 0
    assert load_spec(path).spec.level.value == "customer"


def test_init_rejects_an_unknown_kind(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    result = run("init", "--kind", "department", path)
    assert result.exit_code == 2
    assert (
        "--kind must be one of service, customer, corporate, portfolio, fragment, offer, not 'department'"
        in result.stderr
    )
    assert not path.exists()
