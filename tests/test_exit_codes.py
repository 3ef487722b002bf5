"""Exit codes, one rule for every command: 2 when the command line cannot be parsed or is inconsistent,
1 when it parses but names something invalid or missing, 0 on success; a message and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "samples" / "saas-platform.yaml"
WAN = ROOT / "samples" / "managed-network.yaml"
V1, V2 = ROOT / "samples" / "versions" / "v1.yaml", ROOT / "samples" / "versions" / "v2.yaml"
OFFER = ROOT / "samples" / "offers" / "tiered-offer.yaml"
PORTFOLIO = ROOT / "samples" / "portfolio" / "portfolio.yaml"
MEASURED = ROOT / "samples" / "measurements"
MEASURED_SPEC = MEASURED / "agreement.yaml"

USAGE = {  # the command line itself is wrong
    "unknown option": ["validate", "--no-such-option", str(SPEC)],
    "missing argument": ["build"],
    "missing option": ["calc", "deadline", str(SPEC), "--reported", "2027-03-01T10:00"],
    "format outside the choices": ["build", str(SPEC), "-f", "rtf"],
    "diff format outside the choices": ["diff", str(V1), str(V2), "--format", "rtf"],
    "pdf variant outside the choices": ["build", str(SPEC), "--pdf-variant", "pdf/x"],
    "kind outside the choices": ["init", "--kind", "department", "x.yaml"],
    "position outside the choices": ["offers", str(OFFER), "--position", "sideways"],
    "window outside the choices": ["calc", "downtime", "99.9", "--window", "fortnight"],
}
INVALID = {  # the command line parses, but what it names is invalid or missing
    "a spec that does not exist": ["validate", "no-such-spec.yaml"],
    "a clause id": ["clauses", "show", "penalties.no-such-clause"],
    "a category": ["clauses", "list", "--category", "no-such-category"],
    "a data folder": ["report", str(SPEC), "--data", "no-such-folder", "-f", "html"],
    "a period before the agreement": [
        "report",
        str(MEASURED / "agreement.yaml"),
        "--data",
        str(MEASURED),
        "--period",
        "2026-12",
    ],
    "a value out of range": ["calc", "downtime", "101"],
    "a severity": ["calc", "deadline", str(SPEC), "--severity", "P9", "--reported", "2027-03-01T10:00"],
    "a service": ["calc", "credit", str(WAN), "--uptime", "99", "--service", "no-such-service"],
    "a path": ["explain", str(WAN), "services.wan.availability.targt"],
    "a document": ["explain", str(PORTFOLIO), "reporting.frequency", "--document", "no-such-document"],
    "a theme folder": ["build", str(SPEC), "-f", "html", "--theme-dir", "no-such-theme"],
}


@pytest.mark.parametrize("args", list(USAGE.values()), ids=list(USAGE))
def test_a_command_line_that_cannot_be_parsed_exits_2(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path)] if args[0] in ("build", "offers") else args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("args", list(INVALID.values()), ids=list(INVALID))
def test_a_command_line_that_names_something_invalid_exits_1(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path)] if args[0] in ("build", "report") else args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "error" in result.output
    assert not any(tmp_path.iterdir())
