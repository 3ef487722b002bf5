"""The claim rules that go with several commitments (``service_credits.several_commitments``): "a resource may
be claimed under one commitment, not both", "only one credit per service per window", "choose one service level
for a claim" - as spec data, stated in the agreement, applied by ``calc credit`` and ``report``.

The spec is the minimal spec with the two commitments of tests/test_commitments.py: the Card Payment Gateway's
``api`` (99.9%, Sunday 02:00-04:00 maintenance excluded) and ``portal`` (99.95%), fee GBP 4,800 a month, bands
5% from 99.5% to below 99.9%, 10% from 99% to below 99.5%, 25% below 99%, cap 30% a window.  In June 2027 (30
days) the data has the API's maintenance (2 h, which the portal counts), a 30-minute fault and a 5-hour one.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from test_commitments import BASE, COMMITMENTS, FORMAT_1  # the two commitments of the gateway
from typer.testing import CliRunner

from slaforge.cli import app

OUTAGES = (
    "service,start,end,cause,exclusion,reference\n"
    "gateway,2027-06-06T01:00:00Z,2027-06-06T03:00:00Z,Planned database upgrade,scheduled-maintenance,CHG-1\n"
    "gateway,2027-06-10T12:00:00Z,2027-06-10T12:30:00Z,Load balancer fault,,INC-7\n"
    "gateway,2027-06-15T08:00:00Z,2027-06-15T13:00:00Z,Storage array failure,,INC-9\n"
)
FEE = 4800
JUNE = 30 * 86400
BANDS = (
    (Fraction(995, 10), Fraction(999, 10), 5),
    (Fraction(99), Fraction(995, 10), 10),
    (Fraction(0), Fraction(99), 25),
)
RULES = ("one-commitment", "one-per-window", "customer-chooses")


def band_credit(achieved: Fraction, target: Fraction) -> int:
    """GBP owed for ``achieved``, from the table as written above (the cap of 30% is not reached here)."""
    if achieved >= target:
        return 0
    percent = next((credit for low, high, credit in BANDS if low <= achieved < high), 0)
    return FEE * percent // 100


API = Fraction(JUNE - 2 * 3600 - (30 * 60 + 5 * 3600), JUNE - 2 * 3600) * 100
PORTAL = Fraction(JUNE - (2 * 3600 + 30 * 60 + 5 * 3600), JUNE) * 100
API_CREDIT, PORTAL_CREDIT = band_credit(API, Fraction(999, 10)), band_credit(PORTAL, Fraction(9995, 100))


def spec(folder: Path, rule: str | None) -> Path:
    text = BASE.replace(FORMAT_1, COMMITMENTS)
    if rule is not None:
        assert text.count("  caps:\n    per_window: 30%\n") == 1
        text = text.replace(
            "  caps:\n    per_window: 30%\n", f"  several_commitments: {rule}\n  caps:\n    per_window: 30%\n"
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def gbp(amount: int) -> str:
    return f"GBP {amount:,}"


def test_the_data_misses_both_commitments_in_different_bands() -> None:
    assert 99 <= API < Fraction(995, 10) and PORTAL < 99  # 10% and 25%
    assert (API_CREDIT, PORTAL_CREDIT) == (480, 1200)


# ------------------------------------------------------------------ calc credit


def credit(path: Path, commitment: str, uptime: str, *other: str) -> dict[str, object]:
    args = ["calc", "credit", path, "--commitment", commitment, "--uptime", uptime, "--period", "2027-06", "--json"]
    code, output = run(*args, *[a for o in other for a in ("--other", o)])
    assert code == 0, output
    return json.loads(output)


@pytest.mark.parametrize("rule", RULES)
def test_calc_pays_the_larger_commitment_only(tmp_path: Path, rule: str) -> None:
    path = spec(tmp_path, rule)
    smaller = credit(path, "api", "99.2", "portal=98")
    assert smaller["gross_credit"] == gbp(FEE * 10 // 100) and smaller["credit_amount"] == "GBP 0"
    assert smaller["claimed_under"] == "portal" and smaller["paid"] is False
    assert smaller["others"] == [
        {"commitment": "portal", "availability": "98%", "target": "99.95%", "credit_amount": gbp(FEE * 25 // 100)}
    ]
    larger = credit(path, "portal", "98", "api=99.2")
    assert larger["credit_amount"] == gbp(FEE * 25 // 100) and larger["claimed_under"] is None


@pytest.mark.parametrize("rule", [None, "add-up"])
def test_without_a_rule_that_pays_one_the_credits_add_up(tmp_path: Path, rule: str | None) -> None:
    answer = credit(spec(tmp_path, rule), "api", "99.2", "portal=98")
    assert answer["credit_amount"] == gbp(FEE * 10 // 100) and answer["paid"] is True


def test_calc_says_the_rule_applies_when_the_others_are_not_given(tmp_path: Path) -> None:
    code, output = run("calc", "credit", spec(tmp_path, "one-commitment"), "--commitment", "api", "--uptime", "99.2")
    assert code == 0, output
    assert "credited under one commitment only, not both" in output and "--other" in output
    assert "credit owed: GBP 480" in output


def test_calc_refuses_an_other_that_is_not_another_commitment(tmp_path: Path) -> None:
    path = spec(tmp_path, "one-commitment")
    for wrong in ("api=98", "nope=98", "portal", "portal=lots"):
        code, output = run("calc", "credit", path, "--commitment", "api", "--uptime", "99.2", "--other", wrong)
        assert code == 1 and "--other" in output and "Traceback" not in output, output


# ------------------------------------------------------------------ report


def report_json(tmp_path: Path, rule: str | None) -> dict[str, object]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "outages.csv").write_text(OUTAGES, encoding="utf-8")
    code, output = run(
        "report", spec(tmp_path / "spec", rule), "--data", data / "outages.csv", "--period", "2027-06", "--json"
    )
    assert code == 0, output
    return json.loads(output)


@pytest.mark.parametrize("rule", RULES)
def test_the_report_pays_one_credit_for_the_service(tmp_path: Path, rule: str) -> None:
    credits = report_json(tmp_path, rule)["credits"]
    rows = {row["commitment"]: row for row in credits["services"]}
    assert rows["portal"]["owed"] == {"amount": str(PORTAL_CREDIT), "currency": "GBP"}
    assert rows["api"]["gross"] == {"amount": str(API_CREDIT), "currency": "GBP"}
    assert rows["api"]["owed"] == {"amount": "0", "currency": "GBP"} and rows["api"]["claimed_under"] == "portal"
    assert "claimed_under" not in rows["portal"]
    assert credits["total_owed"] == {"amount": str(max(API_CREDIT, PORTAL_CREDIT)), "currency": "GBP"}


def test_without_a_rule_the_report_adds_both(tmp_path: Path) -> None:
    credits = report_json(tmp_path, None)["credits"]
    assert credits["total_owed"] == {"amount": str(API_CREDIT + PORTAL_CREDIT), "currency": "GBP"}
    assert all("claimed_under" not in row for row in credits["services"])


def normal_html(path: Path) -> str:
    words = " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())
    return re.sub(r" ([,.;:])", r"\1", words)  # a defined term's markup ends before the punctuation


def test_the_report_says_why_the_smaller_credit_is_not_paid(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "outages.csv").write_text(OUTAGES, encoding="utf-8")
    out = tmp_path / "out"
    code, output = run(
        "report", spec(tmp_path, "one-commitment"), "--data", data / "outages.csv", "-f", "html", "-o", out
    )
    assert code == 0, output
    (page,) = out.glob("*.html")
    text = normal_html(page)
    assert (
        f"Card Payment Gateway: Authorisation API: {gbp(API_CREDIT)} before cap, not paid: the same downtime is "
        "credited under one commitment only, not both; the credit is given under Card Payment Gateway: Merchant "
        "Portal."
    ) in text
    assert f"Total owed for June 2027: {gbp(PORTAL_CREDIT)}" in text


# ------------------------------------------------------------------ the agreement's text and the checks


STATED = {
    "one-commitment": "the same Downtime gives a Service Credit under one of those commitments only, not under "
    "more than one, and the Customer receives the largest of the Service Credits under them",
    "one-per-window": "only one Service Credit is given for that Service and that Measurement Window: the largest "
    "of the Service Credits under its commitments",
    "customer-chooses": "the Customer shall choose, in its claim, the one commitment under which it claims, and "
    "receives the Service Credit under that commitment only",
}
OPENING = "Where a Service makes more than one commitment and more than one of them is not met in a Measurement Window"


@pytest.mark.parametrize("rule", [*RULES, None])
def test_the_agreement_states_the_rule(tmp_path: Path, rule: str | None) -> None:
    out = tmp_path / "out"
    code, output = run("build", spec(tmp_path, rule), "-f", "html", "-o", out)
    assert code == 0, output
    (page,) = out.glob("*.html")
    text = normal_html(page)
    if rule is None:
        assert OPENING not in text
        assert "The Service Credits under this clause for a Service and a Measurement Window are added together" in text
        return
    assert f"{OPENING}, {STATED[rule]}. Subject to that, the Service Credits under this clause" in text
    for other in set(RULES) - {rule}:
        assert STATED[other] not in text


def test_an_unknown_rule_is_a_located_error(tmp_path: Path) -> None:
    path = spec(tmp_path, "both")
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if "several_commitments" in t)
    code, output = run("validate", path)
    assert code == 1 and "Traceback" not in output
    assert f"spec.yaml:{line}:" in output and "service_credits.several_commitments" in output
    assert "one-commitment" in output
