"""Several commitments per service (``services[].commitments``): checks, the agreement's text, calc, report,
OpenSLO and diff, each against figures worked out here by hand.

The spec is the minimal spec (tests/specs/minimal.yaml) with its one ``availability`` replaced by two
commitments of the Card Payment Gateway (24x7, Europe/London, fee GBP 4,800 a month; credit bands 5% below
99.9%, 10% below 99.5%, 25% below 99%; cap 30% a month):

- ``api`` "Authorisation API": 99.9%, Sunday 02:00-04:00 maintenance excluded, measured at its endpoint;
- ``portal`` "Merchant Portal": 99.95%, only force majeure excluded (so its 99.9%-99.95% earns no credit).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from math import floor
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from slaforge.cli import app
from slaforge.errors import SpecError
from slaforge.spec import load_spec
from slaforge.spec.objectives import iter_commitments

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "specs" / "minimal.yaml"
BASE = MINIMAL.read_text(encoding="utf-8")
DAY = 86400
FORMAT_1 = BASE[BASE.index("    availability:\n") : BASE.index("service_hours:\n")]
COMMITMENTS = """    commitments:
      - id: api
        name: Authorisation API
        target: 99.9%
        measured_at: the gateway's public API endpoint
        maintenance:
          windows:
            - days: [sun]
              from: "02:00"
              to: "04:00"
          notice: 5 business days
          outside_prime_hours: false
      - id: portal
        name: Merchant Portal
        target: 99.95%
        exclusions: [force-majeure]

"""
API, PORTAL = "Card Payment Gateway: Authorisation API", "Card Payment Gateway: Merchant Portal"


def write(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def two(folder: Path, *edits: tuple[str, str]) -> Path:
    text = BASE.replace(FORMAT_1, COMMITMENTS)
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return write(folder, text)


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def normal(text: str) -> str:
    return " ".join(text.split())


def html_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<svg.*?</svg>", " ", page, flags=re.S)
    page = re.sub(r"</?(?:strong|em|span|a|ins|del)\b[^>]*>", "", page)
    return normal(re.sub(r"<[^>]+>", " ", page).replace("&nbsp;", " ").replace("&#39;", "'"))


def docx_rows(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    return [[normal(c.text) for c in row.cells] for table in document.tables for row in table.rows]


def minutes_seconds(seconds: Fraction) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} minutes {float(rest):g} seconds"


def shown(value: Fraction) -> str:
    """Three decimals, rounded down, as the report prints an achieved figure."""
    thousandths = floor(value * 1000)
    return f"{thousandths // 1000}.{thousandths % 1000:03d}%"


# ------------------------------------------------------------------ the model and its checks


def test_format_1_availability_is_one_commitment_named_availability() -> None:
    placed = list(iter_commitments(load_spec(MINIMAL).spec))
    assert [(p.service.id, p.commitment.id, p.key, p.loc) for p in placed] == [
        ("gateway", "availability", "services[gateway].availability", ("services", 0, "availability"))
    ]
    assert str(placed[0].commitment.target) == "99.9%"


def test_commitments_load_in_order_and_a_true_warning_names_the_commitment(tmp_path: Path) -> None:
    path = two(tmp_path)
    loaded = load_spec(path)
    placed = list(iter_commitments(loaded.spec))
    assert [(p.commitment.id, p.key, str(p.commitment.target)) for p in placed] == [
        ("api", "services[gateway].commitments[api]", "99.9%"),
        ("portal", "services[gateway].commitments[portal]", "99.95%"),
    ]
    # the bands stop at 99.9%: the portal's 99.9% to below 99.95% misses its target and earns nothing
    [warning] = loaded.warnings
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("target: 99.95%")].count("\n") + 1
    assert (warning.code, warning.line) == ("credit-gap-below-target", line)
    assert "commitment 'portal' of service 'gateway'" in warning.message


def problems_of(path: Path) -> list[tuple[str, str | None, int | None]]:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    return [(p.code, p.path, p.line) for p in info.value.problems]


def test_availability_and_commitments_together_is_an_error(tmp_path: Path) -> None:
    path = two(tmp_path, ("    commitments:\n", "    availability:\n      target: 99.9%\n    commitments:\n"))
    line = path.read_text(encoding="utf-8").split("\n").index("    commitments:") + 1
    assert problems_of(path) == [("availability-and-commitments", "services[0].commitments", line)]
    code, output = run("validate", path)
    assert code == 1 and "gives both 'availability' and 'commitments'" in output and "Traceback" not in output


def test_a_service_without_any_commitment_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace(FORMAT_1, ""))
    [(code, where, _)] = problems_of(path)
    assert (code, where) == ("missing", "services[0]")


def test_commitment_ids_are_required_and_unique_in_the_service(tmp_path: Path) -> None:
    duplicate = two(tmp_path / "dup", ("      - id: portal\n", "      - id: api\n"))
    lines = duplicate.read_text(encoding="utf-8").split("\n")
    second = [i + 1 for i, t in enumerate(lines) if t == "      - id: api"][1]
    assert problems_of(duplicate) == [("duplicate-id", "services[0].commitments[1].id", second)]
    unnamed = two(tmp_path / "unnamed", ("      - id: portal\n", "      - measured_at: the portal\n"))
    code, output = run("validate", unnamed)
    assert code == 1 and "services[0].commitments[1].id: required key 'id' is missing" in output


# ------------------------------------------------------------------ the agreement's text


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("two")
    spec = two(folder)
    code, output = run("build", spec, "-f", "html,docx", "-o", folder / "out")
    assert code == 0, output
    return folder / "out"


def test_the_targets_table_has_a_row_per_commitment_in_html_and_docx(built: Path) -> None:
    # 0.1% of a 30-day month is 2,592 s; 0.05% is 1,296 s; a 31-day month: 2,678.4 s and 1,339.2 s
    api = f"{minutes_seconds(Fraction(30 * DAY, 1000))} in a 30-day month"
    portal = f"{minutes_seconds(Fraction(30 * DAY, 2000))} in a 30-day month"
    assert api.startswith("43 minutes 12 seconds") and portal.startswith("21 minutes 36 seconds")
    rows = docx_rows(built / "HBK-SLA-PAY-003-v1.1.docx")
    mine = [r for r in rows if r[0] in (API, PORTAL) and r[1].endswith("%")]
    assert [r[:3] for r in mine] == [[API, "99.9%", "Each calendar month"], [PORTAL, "99.95%", "Each calendar month"]]
    assert mine[0][3].startswith(api) and mine[1][3].startswith(portal)
    assert f"({minutes_seconds(Fraction(31 * DAY, 1000))} in a 31-day month)" in mine[0][3]
    text = html_text(built / "HBK-SLA-PAY-003-v1.1.html")
    assert f"{API} 99.9% Each calendar month {api}" in text
    assert f"{PORTAL} 99.95% Each calendar month {portal}" in text


def test_windows_downtime_and_exclusions_are_stated_per_commitment(built: Path) -> None:
    text = html_text(built / "HBK-SLA-PAY-003-v1.1.html")
    assert f"(a) for {API}, each calendar month; and (b) for {PORTAL}, each calendar month." in text
    assert f"For {API}, Downtime is each whole minute" in text
    assert f"For {PORTAL}, Downtime is each whole minute" in text
    assert f"The Availability of {API} is measured at the gateway's public API endpoint." in text
    assert f"The Availability of {PORTAL} is measured at the point at which the Provider hands it over" in text
    # the portal excludes only force majeure: maintenance and customer default are the API's alone
    assert re.search(rf"Scheduled Maintenance carried out within a Maintenance Window[^;]*\(for {API} only\);", text)
    assert re.search(r"a Force Majeure Event, as described in clause [\d.]+; or", text)
    assert re.search(rf"a Customer Default[^.]*\(for {API} only\)\.", text)


# ------------------------------------------------------------------ calc


def test_calc_credit_needs_the_commitment_when_a_service_makes_several(tmp_path: Path) -> None:
    path = two(tmp_path)
    code, output = run("calc", "credit", path, "--uptime", "99.2")
    assert code == 1 and "several commitments" in output and "api, portal" in output
    code, output = run("calc", "credit", path, "--uptime", "99.2", "--commitment", "web")
    assert code == 1 and "no commitment 'web'" in output
    code, output = run("calc", "credit", path, "--uptime", "99.93", "--commitment", "portal", "--json")
    answer = json.loads(output)
    # 99.93% misses the portal's 99.95% but lies above every band: no credit
    assert (answer["commitment"], answer["target"], answer["met"], answer["credit_amount"]) == (
        "portal",
        "99.95%",
        False,
        "GBP 0",
    )
    code, output = run("calc", "credit", path, "--uptime", "99.2", "--commitment", "api", "--json")
    answer = json.loads(output)
    assert (answer["target"], answer["met"], answer["credit_amount_value"]) == ("99.9%", False, 4800 * 10 // 100)
    code, output = run("calc", "credit", MINIMAL, "--uptime", "99.2", "--json")
    assert code == 0 and "commitment" not in json.loads(output)


def test_calc_downtime_counts_the_named_commitments_maintenance(tmp_path: Path) -> None:
    path = two(tmp_path)
    # February 2027 has four Sundays (7, 14, 21, 28), each with two hours of the API's maintenance
    february = 28 * DAY
    for name, excluded in (("api", 4 * 2 * 3600), ("portal", 0)):
        code, output = run(
            "calc", "downtime", "99.9", "--period", "2027-02", "--hours", f"{path}#gateway.{name}", "--json"
        )
        assert code == 0, output
        answer = json.loads(output)
        assert (answer["commitment"], answer["maintenance_seconds"]) == (name, excluded)
        assert Fraction(str(answer["allowed_seconds"])) == Fraction(february - excluded, 1000)
    code, output = run("calc", "downtime", "99.9", "--period", "2027-02", "--hours", f"{path}#gateway", "--json")
    assert code == 1 and "several commitments" in output


# ------------------------------------------------------------------ report

JUNE = 30 * DAY
OUTAGES = (
    "service,start,end,cause,exclusion,reference\n"
    # Sunday 6 June 2027, 02:00-04:00 BST: the API's maintenance window; the portal does not exclude it
    "gateway,2027-06-06T01:00:00Z,2027-06-06T03:00:00Z,Planned database upgrade,scheduled-maintenance,CHG-1\n"
    "gateway,2027-06-10T12:00:00Z,2027-06-10T12:30:00Z,Load balancer fault,,INC-7\n"
)
API_MEASURED, API_DOWN = JUNE - 2 * 3600, 30 * 60
PORTAL_MEASURED, PORTAL_DOWN = JUNE, 2 * 3600 + 30 * 60


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    spec = two(folder)
    data = write(folder / "data", OUTAGES, "outages.csv")
    code, output = run("report", spec, "--data", data, "-f", "html,docx", "-o", folder / "out")
    assert code == 0, output
    return folder / "out"


def test_the_report_measures_each_commitment_on_its_own_exclusions(report: Path) -> None:
    api = Fraction(API_MEASURED - API_DOWN, API_MEASURED) * 100
    portal = Fraction(PORTAL_MEASURED - PORTAL_DOWN, PORTAL_MEASURED) * 100
    assert api >= Fraction(999, 10)  # the API met its 99.9%
    assert Fraction(995, 10) <= portal < Fraction(999, 10)  # the portal missed its 99.95%, in the 5% band
    rows = docx_rows(report / "HBK-SLA-PAY-003-report-2027-06.docx")
    detail = {r[0]: r for r in rows if len(r) == 7 and r[-1] in ("Met", "Missed")}  # the availability table
    # allowed: 0.1% of the API's measured time (2,584.8 s), 0.05% of the portal's (1,296 s)
    assert detail[API] == [API, "99.9%", shown(api), "43 min 4.8 s", "30 min", "2 h", "Met"]
    assert detail[PORTAL] == [PORTAL, "99.95%", shown(portal), "21 min 36 s", "2 h 30 min", "none", "Missed"]
    assert Fraction(API_MEASURED, 1000) == Fraction(25848, 10) and Fraction(PORTAL_MEASURED, 2000) == 1296
    credit = 4800 * 5 // 100  # the portal's 5% band; the API met its target
    owed = {r[0]: r[-1] for r in rows if len(r) == 7 and r[1] != "99.9%" and r[-1].startswith("GBP")}
    assert owed == {API: "GBP 0", PORTAL: f"GBP {credit}"}
    text = html_text(report / "HBK-SLA-PAY-003-report-2027-06.html")
    assert f"{PORTAL} 99.95% {shown(portal)} Missed GBP {credit}" in text


def test_a_format_1_spec_keeps_its_report_row_named_by_the_service(tmp_path: Path) -> None:
    data = write(tmp_path / "data", OUTAGES, "outages.csv")
    code, output = run("report", MINIMAL, "--data", data, "-f", "docx", "-o", tmp_path / "out")
    assert code == 0, output
    rows = docx_rows(tmp_path / "out" / "HBK-SLA-PAY-003-report-2027-06.docx")
    row = next(r for r in rows if r[0] == "Card Payment Gateway" and r[1] == "99.9%")
    # the format 1 availability excludes scheduled maintenance, like the API
    assert row[2] == shown(Fraction(API_MEASURED - API_DOWN, API_MEASURED) * 100)


# ------------------------------------------------------------------ export and diff


def test_openslo_has_an_slo_per_commitment(tmp_path: Path) -> None:
    code, output = run("export", "openslo", two(tmp_path))
    assert code == 0, output
    slos = [d for d in output.split("\n---\n") if "kind: SLO" in d and "-availability" not in d]
    names = [re.search(r"metadata:\n  name: (\S+)", d).group(1) for d in slos if "gateway-" in d]  # type: ignore[union-attr]
    assert names[:2] == ["gateway-api", "gateway-portal"]
    assert re.search(r"target: 0\.999$", slos[0], re.M) and re.search(r"target: 0\.9995$", slos[1], re.M)
    code, output = run("export", "openslo", MINIMAL)
    assert "name: gateway-availability\n" in output


def test_diff_names_the_commitment_whose_target_changed(tmp_path: Path) -> None:
    old = two(tmp_path / "old")
    new = two(tmp_path / "new", ("target: 99.95%", "target: 99.99%"))
    code, output = run("diff", old, new)
    assert code == 0, output
    line = next(t for t in output.splitlines() if "services[gateway].commitments[portal].target" in t)
    assert "99.95% -> 99.99%" in line and "[better]" in line
    # 0.05% and 0.01% of 30 days
    old_budget, new_budget = minutes_seconds(Fraction(30 * DAY, 2000)), minutes_seconds(Fraction(30 * DAY, 10000))
    assert f"downtime allowed: {old_budget} in 30 days -> {new_budget} in 30 days" in output
