"""Values no agreement has a use for are refused at validate time, at their line, with what was given;
values beyond what the arithmetic can carry are refused before they reach it (no traceback, no "internal
error"): a 40-digit fee, 99999 business days, a 300-character id, a cap of -1% or 0%, an epoch past 9999,
an explain index of 5000 digits."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import MINIMAL, assert_refused, slaforge

CASES = {  # name: (line of the minimal spec, what replaces it, what the message says)
    "a 40-digit fee": ("fee: 4800 GBP", "fee: " + "9" * 40 + " GBP", "digits before the point"),
    "a zero fee": ("fee: 4800 GBP", "fee: 0 GBP", "amount of zero"),
    "a negative fee": ("fee: 4800 GBP", "fee: -4800 GBP", "may not be negative"),
    "99999 business days": ("resolution: 3 business days", "resolution: 99999 business days", "100 years"),
    "a term of 10**11 months": ("initial: 24 months", "initial: 99999999999 months", "100 years"),
    "a zero deadline": ("deadline: 30 days", "deadline: 0 days", "longer than zero"),
    "a negative cap": ("per_window: 30%", "per_window: -1%", "leaves no credit"),
    "a zero cap": ("per_window: 30%", "per_window: 0%", "leaves no credit"),
    "an id of 300 characters": ("id: HBK-SLA-PAY-003", "id: " + "X" * 300, "at most 100 characters"),
    "a version of 300 digits": ('version: "1.1"\n  status', 'version: "' + "1" * 300 + '"\n  status', "version"),
}


def spec_with(tmp_path: Path, old: str, new: str) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "command"),
    [(name, "validate") for name in CASES]
    + [(name, "build") for name in ("a 40-digit fee", "99999 business days", "an id of 300 characters")],
)
def test_a_value_with_no_use_is_refused_at_its_line(name: str, command: str, tmp_path: Path) -> None:
    old, new, says = CASES[name]
    spec_with(tmp_path, old, new)
    args = ["validate", "spec.yaml"] if command == "validate" else ["build", "spec.yaml", "-f", "docx", "-o", "out"]
    run = slaforge(*args, cwd=tmp_path)
    line = MINIMAL.read_text(encoding="utf-8").split(old.split("\n")[0])[0].count("\n") + 1
    assert_refused(run, "spec.yaml:", out=tmp_path / "out")
    assert says in run.err, run.err
    if name not in ("a negative cap", "a zero cap"):  # a cap is refused at its caps mapping, a line above
        assert f"spec.yaml:{line}:" in run.err, run.err


def test_calc_refuses_a_fee_too_large_to_compute(tmp_path: Path) -> None:
    run = slaforge("calc", "credit", MINIMAL, "--uptime", "99", "--fee", "9" * 40 + " GBP", cwd=tmp_path)
    assert_refused(run, "--fee")


def test_a_source_date_epoch_out_of_range_is_refused(tmp_path: Path) -> None:
    run = slaforge(
        "build", MINIMAL, "-f", "html", "-o", "out", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "99999999999999999999"}
    )
    assert_refused(run, "SOURCE_DATE_EPOCH", out=tmp_path / "out")


def test_explain_with_an_index_of_5000_digits(tmp_path: Path) -> None:
    run = slaforge("explain", MINIMAL, "services." + "9" * 5000, cwd=tmp_path)
    assert_refused(run, "services has no item")


@pytest.mark.parametrize(
    ("count", "says"),
    [("9" * 32, "at most 1,000,000 events"), ("1000001", "at most 1,000,000 events"), ("²", "EVENT[:SEVERITY]=COUNT")],
)
def test_calc_refuses_an_event_count_with_no_use(count: str, says: str, tmp_path: Path) -> None:
    run = slaforge("calc", "credit", MINIMAL, "--uptime", "99", "--event", f"missed-response:P1={count}", cwd=tmp_path)
    assert_refused(run, "--event")
    assert says in run.err, run.err
