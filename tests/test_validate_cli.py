"""`slaforge validate`: the four kinds of bad input the foundation promises to locate exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "managed-network.yaml"


def variant(tmp_path: Path, old: str, new: str) -> tuple[Path, int, int]:
    """The sample with one edit, and the 1-based line and column where the new text starts."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    at = text.index(old)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, line, column


def validate(*args: str | Path) -> object:
    result = CliRunner().invoke(app, ["validate", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def test_samples_validate() -> None:
    samples = sorted(ROOT.glob("samples/*.yaml"))
    assert len(samples) >= 3
    result = validate(*samples)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.output.count(": ok - ") == len(samples)  # type: ignore[attr-defined]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path, line, _ = variant(tmp_path, "  title: Managed Wide Area", "  title: [Managed Wide Area")
    result = validate(path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"{path}:{line + 1}:" in result.output or f"{path}:{line}:" in result.output  # type: ignore[attr-defined]
    assert "YAML syntax error" in result.output  # type: ignore[attr-defined]


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    path, line, column = variant(tmp_path, "target: 99.95%", "targt: 99.95%")
    result = validate(path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert (
        f"{path}:{line}:{column}: error: services[0].availability.targt: unknown key 'targt'; did you mean 'target'?"
        in result.output  # type: ignore[attr-defined]
    )


def test_wrong_type_names_given_and_expected(tmp_path: Path) -> None:
    path, line, column = variant(tmp_path, "acknowledgement: 15m", "acknowledgement: soon")
    result = validate(path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert f"{path}:{line}:{column}: error: problem_reporting.acknowledgement:" in output
    assert "given: 'soon'" in output and "15m, 4h, 2 business days" in output


def test_gap_in_credit_table(tmp_path: Path) -> None:
    path, line, column = variant(
        tmp_path, "{at_least: 99.5%, below: 99.9%, credit: 10%}", "{at_least: 99.6%, below: 99.9%, credit: 10%}"
    )
    result = validate(path)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert f"{path}:{line}:{column}: error: service_credits.bands[1]: gap in the credit bands" in (
        result.output  # type: ignore[attr-defined]
    )


def test_every_problem_in_one_run_as_json(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("target: 99.95%", "targt: 99.95%").replace("acknowledgement: 15m", "acknowledgement: soon")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate(path, "--json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    report = json.loads(result.output)  # type: ignore[attr-defined]
    assert report["valid"] is False
    problems = report["specs"][0]["problems"]
    paths = {p["path"] for p in problems}
    assert {"services[0].availability.targt", "problem_reporting.acknowledgement"} <= paths
    assert all(p["line"] and p["column"] for p in problems)


@pytest.mark.parametrize("strict", [False, True])
def test_warnings_and_strict(tmp_path: Path, strict: bool) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    start, end = text.index("\nescalation:"), text.index("\nmonitoring:")
    path = tmp_path / "no-escalation.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = validate(path, *(["--strict"] if strict else []))
    assert "no escalation path" in result.output  # type: ignore[attr-defined]
    assert result.exit_code == (1 if strict else 0)  # type: ignore[attr-defined]


def test_usage_error_exit_code() -> None:
    assert validate().exit_code == 2  # type: ignore[attr-defined]


def test_an_offer_file_is_checked_as_the_offers_command_checks_it() -> None:
    offer = ROOT / "samples" / "offers" / "tiered-offer.yaml"
    result = validate(offer)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert f"{offer}: ok - offer NWN-SLA-WAN-015: 3 tiers (bronze, silver, gold); 7 negotiation envelopes" in (
        result.output  # type: ignore[attr-defined]
    )
