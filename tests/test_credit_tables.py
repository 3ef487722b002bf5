"""Credit tables as published: a table per commitment, a credit at the target, a gap written on purpose.

Two specs built from the minimal spec (tests/specs/minimal.yaml, Card Payment Gateway, GBP 4,800 a
month, cap 30% a window):

- TWO: a customer SLA whose services have different targets: the gateway at 99.5% with the agreement's
  table (5% from 99.0% to below 99.5%, 10% from 98.0% to below 99.0%, 25% below 98.0%) and Merchant
  Reporting (GBP 1,200 a month) at 99.0% with its own (10% from 98.0% to below 99.0%, 20% below 98.0%);
- GITHUB: the gateway at 99.9% with the legacy GitHub Enterprise table: 10% for "less than or equal to
  99.9%, but greater than 99.0%", 25% for "less than 99.0%"; exactly 99.0% matches no row.

Every expected amount is the fee times the band's percentage, worked out here.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.errors import SpecError
from slaforge.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")
AGREEMENT_BANDS = """    - {at_least: 99.5%, below: 99.9%, credit: 5%}
    - {at_least: 99.0%, below: 99.5%, credit: 10%}
    - {below: 99.0%, credit: 25%}
"""
WIDER_BANDS = """    - {at_least: 99.0%, below: 99.5%, credit: 5%}
    - {at_least: 98.0%, below: 99.0%, credit: 10%}
    - {below: 98.0%, credit: 25%}
"""
REPORTING = """  - id: reports
    name: Merchant Reporting
    description: Daily settlement reports for the Customer.
    hours: always
    fee: 1200 GBP
    availability:
      target: 99.0%
{own}
service_hours:
"""
OWN_TABLE = """      credits:
        bands:
          - {at_least: 98.0%, below: 99.0%, credit: 10%}
          - {below: 98.0%, credit: 20%}
"""
GITHUB_TABLE = """      target: 99.9%
      credits:
        credit_at_target: true
        gaps:
          - {at: 99.0%, reason: as published; exactly 99.0% matches no row}
        bands:
          - {above: 99.0%, at_most: 99.9%, credit: 10%}
          - {below: 99.0%, credit: 25%}
"""


def spec_text(*edits: tuple[str, str]) -> str:
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def two(folder: Path, own: str = OWN_TABLE) -> Path:
    return write(
        folder,
        spec_text(
            ("      target: 99.9%\n", "      target: 99.5%\n"),
            (AGREEMENT_BANDS, WIDER_BANDS),
            ("service_hours:\n", REPORTING.format(own=own)),
        ),
    )


def github(folder: Path, table: str = GITHUB_TABLE) -> Path:
    return write(folder, spec_text(("      target: 99.9%\n", table)))


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def credit(path: Path, uptime: str, *more: str) -> dict[str, object]:
    code, output = run("calc", "credit", path, "--uptime", uptime, "--period", "2027-07", "--json", *more)
    assert code == 0, output
    return json.loads(output)


def problems_of(path: Path) -> list[tuple[str, str | None, str]]:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    return [(p.code, p.path, p.message) for p in info.value.problems if p.severity == "error"]


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def normal(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------ a table per commitment


def test_services_with_different_targets_cannot_share_one_table(tmp_path: Path) -> None:
    path = two(tmp_path, own="")
    [(code, where, message)] = problems_of(path)
    assert code == "credit-above-target"
    assert where == "service_credits.bands[0]"
    assert "service 'reports' would earn a credit while meeting its 99% target" in message


def test_the_refusal_suggests_a_table_of_its_own(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(two(tmp_path, own=""))
    [problem] = info.value.problems
    assert problem.expected is not None
    assert "'credits' on services[reports].availability" in problem.expected


def test_a_table_of_its_own_is_accepted_without_warnings(tmp_path: Path) -> None:
    loaded = load_spec(two(tmp_path))
    assert not loaded.warnings
    reports = loaded.spec.service("reports").all_commitments[0]
    assert reports.credits is not None and [str(b.credit) for b in reports.credits.bands] == ["10%", "20%"]


@pytest.mark.parametrize(
    ("service", "uptime", "percent", "fee"),
    [
        ("gateway", "99.2", 5, 4800),  # the agreement's table: at least 99.0% but below 99.5%
        ("gateway", "98.5", 10, 4800),
        ("reports", "98.5", 10, 1200),  # its own: at least 98.0% but below 99.0%
        ("reports", "97.99", 20, 1200),
        ("reports", "99.0", 0, 1200),  # meets its 99.0% target, which the agreement's table would have credited
    ],
)
def test_calc_credit_reads_the_commitments_own_table(
    tmp_path: Path, service: str, uptime: str, percent: int, fee: int
) -> None:
    answer = credit(two(tmp_path), uptime, "--service", service)
    assert Decimal(str(answer["credit_amount_value"])) == Decimal(fee * percent) / 100
    assert answer["credit_percent"] == percent


def test_a_commitments_own_table_needs_the_agreements_credit_terms(tmp_path: Path) -> None:
    own = OWN_TABLE.replace("98.0%", "99.0%").replace("99.0%, credit: 10%", "99.9%, credit: 10%")
    text = BASE.replace("      target: 99.9%\n", "      target: 99.9%\n" + own)
    start, end = text.index("service_credits:\n"), text.index("responsibilities:\n")
    path = write(tmp_path, text[:start] + text[end:])
    [(code, where, _)] = problems_of(path)
    assert (code, where) == ("credits-without-service-credits", "services[0].availability.credits")


@pytest.fixture(scope="module")
def two_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("two")
    path = two(folder)
    code, output = run("build", path, "-f", "html,docx", "-o", folder / "out")
    assert code == 0, output
    return folder / "out"


def test_the_agreement_prints_each_table_with_its_own_heading(two_built: Path) -> None:
    page = (two_built / "HBK-SLA-PAY-003-v1.1.html").read_text(encoding="utf-8")
    text = normal(re.sub(r"<[^>]+>", " ", page))
    assert "Except where a table of its own is given below, where the Availability of a Service" in text
    assert (
        "Where the Availability of Merchant Reporting in a Measurement Window is below its Availability "
        "target of 99%, the Service Credit is the percentage of the Service Fee shown in the table below" in text
    )
    document = docx.Document(str(two_built / "HBK-SLA-PAY-003-v1.1.docx"))
    rows = [[normal(c.text) for c in row.cells] for table in document.tables for row in table.rows]
    assert rows.count(["At least 98% but below 99%", "10%"]) == 2  # the same band in both tables
    assert ["Below 98%", "20%"] in rows  # Merchant Reporting's own lowest band
    assert ["Below 98%", "25%"] in rows  # the agreement's lowest band
    captions = re.findall(r"<caption[^>]*>(.*?)</caption>", page, flags=re.S)
    assert [t for c in captions if (t := normal(re.sub(r"<[^>]+>", " ", c))).startswith("Service credits for")] == [
        "Service credits for availability",
        "Service credits for Merchant Reporting",
        "Service credits for missed targets",
    ]


# ------------------------------------------------------------------ a credit at the target, a declared gap


def test_the_github_table_validates_and_says_what_its_declarations_mean(tmp_path: Path) -> None:
    path = github(tmp_path)
    loaded = load_spec(path)
    found = {w.code: (w.line, w.message) for w in loaded.warnings}
    assert set(found) == {"credit-at-target", "credit-gap-declared"}
    assert found["credit-at-target"] == (
        line_of(path, "credit_at_target: true"),
        "exactly 99.9% meets the target of service 'gateway' and still earns 10% "
        "(a credit at the target, as the table gives it)",
    )
    assert found["credit-gap-declared"][1] == (
        "exactly 99% falls in no credit band and earns no credit (a gap declared in the table)"
    )


def test_without_the_declarations_the_same_table_is_refused(tmp_path: Path) -> None:
    bare = GITHUB_TABLE.replace("        credit_at_target: true\n", "").replace(
        "        gaps:\n          - {at: 99.0%, reason: as published; exactly 99.0% matches no row}\n", ""
    )
    codes = sorted(code for code, _, _ in problems_of(github(tmp_path, bare)))
    assert codes == ["credit-above-target", "credit-gap"]


def test_a_declared_gap_that_is_not_the_real_one_is_refused(tmp_path: Path) -> None:
    wrong = GITHUB_TABLE.replace("{at: 99.0%,", "{at: 98.5%,")
    found = problems_of(github(tmp_path, wrong))
    assert sorted(code for code, _, _ in found) == ["credit-gap", "credit-gap-declared-mismatch"]
    mismatch = next(f for f in found if f[0] == "credit-gap-declared-mismatch")
    assert mismatch[1] == "services[0].availability.credits.gaps[0]"
    assert "exactly 98.5%" in mismatch[2]


def test_a_range_gap_can_be_declared(tmp_path: Path) -> None:
    table = """      target: 99.9%
      credits:
        gaps:
          - {at_least: 99.0%, below: 99.5%}
        bands:
          - {at_least: 99.5%, below: 99.9%, credit: 10%}
          - {below: 99.0%, credit: 25%}
"""
    loaded = load_spec(github(tmp_path, table))
    [warning] = loaded.warnings
    assert warning.code == "credit-gap-declared"
    assert warning.message.startswith("availability at least 99% and below 99.5% falls in no credit band")


@pytest.mark.parametrize(
    ("uptime", "met", "percent", "note"),
    [
        ("99.95", True, 0, None),
        ("99.9", True, 10, "99.9% meets the target of 99.9% and still earns 10%"),  # at most 99.9%: credited
        ("99.5", False, 10, None),
        ("99.01", False, 10, None),
        ("99.0", False, 0, "99% falls in no credit band and earns no credit (a gap declared in the table)"),
        ("98.99", False, 25, None),
    ],
)
def test_calc_credit_at_and_either_side_of_each_published_bound(
    tmp_path: Path, uptime: str, met: bool, percent: int, note: str | None
) -> None:
    answer = credit(github(tmp_path), uptime)
    assert answer["met"] is met
    assert Decimal(str(answer["credit_amount_value"])) == Decimal(4800 * percent) / 100
    notes = " ".join(str(n) for n in answer["notes"])  # type: ignore[attr-defined]
    if note:
        assert note in notes
    else:
        assert "gap declared" not in notes and "still earns" not in notes


def test_the_agreement_says_a_credit_is_given_at_the_target(tmp_path: Path) -> None:
    path = github(tmp_path)
    code, output = run("build", path, "-f", "html", "-o", tmp_path / "out")
    assert code == 0, output
    page = (tmp_path / "out" / "HBK-SLA-PAY-003-v1.1.html").read_text(encoding="utf-8")
    text = normal(re.sub(r"<[^>]+>", " ", page))
    assert "is below its Availability target of 99.9%, or equal to it, the Service Credit is" in text
    assert "Above 99% but at most 99.9% 10%" in text
    assert "Below 99% 25%" in text


def test_the_report_prices_a_miss_from_the_commitments_own_table(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # 25 hours down in July 2027 (31 days): 96.64% achieved, below 98%: 20% in its own table, 25% in the agreement's
    (data / "outages.csv").write_text(
        "service,start,end,cause,exclusion,reference\n"
        "reports,2027-07-10T00:00:00Z,2027-07-11T01:00:00Z,Report generator fault,,INC-9\n",
        encoding="utf-8",
    )
    (data / "tickets.csv").write_text("id,service,severity,reported,responded,resolved,site\n", encoding="utf-8")
    achieved = Decimal(31 * 86400 - 25 * 3600) / Decimal(31 * 86400) * 100
    assert achieved < 98
    code, output = run("report", two(tmp_path), "--data", data, "--period", "2027-07", "--json")
    assert code == 0, output
    owed = {
        row["service"]: (row["band_percent"], row["owed"]["amount"])
        for row in json.loads(output)["credits"]["services"]
    }
    assert owed == {"gateway": ("0", "0"), "reports": ("20", str(1200 * 20 // 100))}


# ------------------------------------------------------------------ the minimum payable


def test_a_credit_below_the_minimum_is_named_unrounded(tmp_path: Path) -> None:
    path = write(tmp_path, spec_text(("    per_window: 30%\n", "    per_window: 30%\n  minimum_payable: 1 GBP\n")))
    assert Decimal("19.98") * 5 / 100 == Decimal("0.999")  # 5% of the fee: rounds to GBP 1.00, but is less
    answer = credit(path, "99.6", "--fee", "19.98 GBP")
    assert answer["credit_amount_value"] == 0
    assert "GBP 0.999 is below the minimum payable credit of GBP 1, so nothing is paid" in answer["notes"]


MINIMUM = ("    per_window: 30%\n", "    per_window: 30%\n  minimum_payable: 1 GBP\n")
EXCLUSIVE = ("    per_window: 30%\n", "    per_window: 30%\n  minimum_payable: 1 GBP\n  minimum_exclusive: true\n")


@pytest.mark.parametrize(
    ("fee", "inclusive", "exclusive"), [("20 GBP", 1, 0), ("20.02 GBP", 1.0, 1.0), ("19.98 GBP", 0, 0)]
)
def test_a_minimum_payable_inclusive_or_exclusive(tmp_path: Path, fee: str, inclusive: float, exclusive: float) -> None:
    # 5% of GBP 20 is exactly GBP 1: paid under "less than GBP 1 is not paid", not under "only if greater than GBP 1"
    band = Decimal(fee.split()[0]) * 5 / 100
    assert (band == 1) == (fee == "20 GBP")
    paid = credit(write(tmp_path / "in", spec_text(MINIMUM)), "99.6", "--fee", fee)
    assert paid["credit_amount_value"] == (round(float(band), 2) if inclusive else 0)
    strict = credit(write(tmp_path / "ex", spec_text(EXCLUSIVE)), "99.6", "--fee", fee)
    assert strict["credit_amount_value"] == (round(float(band), 2) if exclusive else 0)
    if band == 1:
        assert "GBP 1 is not greater than the minimum payable credit of GBP 1, so nothing is paid" in strict["notes"]


def test_the_agreement_states_an_exclusive_minimum(tmp_path: Path) -> None:
    for edit, words in ((MINIMUM, "are less than GBP 1"), (EXCLUSIVE, "are not greater than GBP 1")):
        folder = tmp_path / words.split()[1]
        code, output = run("build", write(folder, spec_text(edit)), "-f", "html", "-o", folder / "out")
        assert code == 0, output
        (page,) = (folder / "out").glob("*.html")
        text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
        assert f"after the Credit Caps have been applied, {words}, no Service Credit is given" in text


def test_an_exclusive_minimum_without_a_minimum_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, spec_text(("    per_window: 30%\n", "    per_window: 30%\n  minimum_exclusive: true\n")))
    code, output = run("validate", path)
    assert code == 1 and "Traceback" not in output
    assert "service_credits" in output and "give the minimum as well" in output


def test_a_missed_target_without_a_fee_is_due_as_a_percentage_not_reported_as_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, spec_text(("    fee: 4800 GBP\n", "")))
    data = tmp_path / "data"
    data.mkdir()
    (data / "outages.csv").write_text(
        "service,start,end,cause,exclusion,reference\ngateway,2027-07-10T00:00:00Z,2027-07-10T10:00:00Z,Fault,,INC-9\n",
        encoding="utf-8",
    )
    (data / "tickets.csv").write_text("id,service,severity,reported,responded,resolved,site\n", encoding="utf-8")
    achieved = Decimal(31 * 86400 - 10 * 3600) / Decimal(31 * 86400) * 100
    assert achieved < 99  # the minimal spec's lowest band: 25%
    code, output = run("report", path, "--data", data, "--period", "2027-07", "-f", "html", "-o", tmp_path / "out")
    assert code == 0, output
    text = normal(re.sub(r"<[^>]+>", " ", (tmp_path / "out" / "HBK-SLA-PAY-003-report-2027-07.html").read_text()))
    assert "No service credits are owed" not in text
    assert (
        "A service credit of 25% of the fee for the Card Payment Gateway is due, but the agreement sets no fee to "
        "price it, so no amount is given." in text
    )
