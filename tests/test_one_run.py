"""Every problem in one run: ``slaforge validate`` reports what ``build`` would refuse, all at once.

A spec with one problem of each kind (an impossible date, misspelt choices, a duration with a
misspelt unit, an id that names nothing) gets one message for each, at the line the test finds
for itself in the file, with a "did you mean" where a choice or unit is misspelt, and never a raw
Python value.  The checks that composing the agreement makes (clause positions) run in validate too,
located at the spec's line.
"""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from slaforge.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "saas-platform.yaml"
PYTHON_VALUE = re.compile(r"<[A-Za-z_]+\.[A-Za-z_]+: |datetime\.date\(|Decimal\(|Pct\(")


def variant(tmp_path: Path, *edits: tuple[str, str], tail: str = "") -> tuple[Path, str]:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    text += tail
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def validate(path: Path) -> str:
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not PYTHON_VALUE.search(result.output), result.output
    return result.output


def test_problems_of_every_kind_are_reported_together(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("effective: 2027-01-01", "effective: 2027-02-30"),
        ("status: final", "status: finall"),
        ("window: calendar-month", "window: calender-month"),
        ("response: 1h", "response: 1 hourz"),
        ("severities: [P1, P2]", "severities: [P1, P9]"),
    )
    output = validate(path)
    expected = {
        "effective: 2027-02-30": "agreement.effective: '2027-02-30' is not a calendar date",
        "status: finall": "agreement.status: 'finall' is not one of the choices; did you mean 'final'?",
        "window: calender-month": "'calender-month' is not one of the choices; did you mean 'calendar-month'?",
        "response: 1 hourz": "unknown unit 'hourz'",
        "severities: [P1, P9]": "no severity called 'P9'",
    }
    for fragment, message in expected.items():
        line = line_of(text, fragment)
        located = [row for row in output.splitlines() if row.startswith(f"{path}:{line}:")]
        assert located and message in located[0], f"{fragment!r} at line {line}: {output}"
    assert "did you mean 'hour'?" in output or "did you mean 'hours'?" in output
    assert "5 problems found" in output


def test_validate_checks_clause_positions_as_build_does(tmp_path: Path) -> None:
    path, text = variant(tmp_path, tail="positions:\n  penalties.caps: generous\n  penalties.nosuch: standard\n")
    output = validate(path)
    caps, nosuch = line_of(text, "penalties.caps: generous"), line_of(text, "penalties.nosuch")
    assert (
        f"{path}:{caps}:3: error: positions.penalties.caps: clause penalties.caps has no position 'generous'" in output
    )
    assert "expected: standard, provider-favourable" in output
    assert f"{path}:{nosuch}:3: error: positions.penalties.nosuch:" in output
    build = CliRunner().invoke(app, ["build", str(path), "-f", "html", "-o", str(tmp_path / "out")])
    assert build.exit_code == 1 and f"{path}:{caps}:3:" in build.output, "build says it at the same line"
