"""Only what the author wrote: an agreement without support terms, and severities without a resolution target.

``tests/specs/availability-only.yaml`` is the e-invoicing sample without ``responsiveness``,
``problem_reporting``, ``escalation`` and per-event credits (the common cloud SLA);
``tests/specs/no-resolution.yaml`` is the sample whose P4 sets no resolution target and whose
per-event credit for missed resolutions names P1 and P2.  Each is built once per session in PDF,
DOCX and HTML and read back; the checks compare against what the spec files themselves say.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML
from shared import Printed, build_with_cli, built_once, pdf_text
from typer.testing import CliRunner

from slaforge.cli import app

SPECS = Path(__file__).resolve().parent / "specs"
AVAILABILITY_ONLY = SPECS / "availability-only.yaml"
NO_RESOLUTION = SPECS / "no-resolution.yaml"
FORMATS = ("pdf", "docx", "html")

# Words only a support section brings: the defined terms and headings of responsiveness, problem
# reporting and escalation, as the clause library writes them.
SUPPORT_WORDS = (
    "Severity Level",
    "Response Time",
    "Resolution Time",
    "Update Interval",
    "Support Hours",
    "Attainment Target",
    "Incident Reference",
    "Reporting channels",
    "Escalation procedure",
    "Service hours and support hours",
)


def spec_data(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def yaml_documents(text: str) -> list[dict]:
    return list(YAML(typ="safe").load_all(text))


def run(*args: str) -> Printed:
    result = CliRunner().invoke(app, list(args))
    return Printed(result.exit_code, result.stdout, result.output)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


def html_text(data: bytes) -> str:
    body = data.decode("utf-8")
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def text_of(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return pdf_text(data)
    if path.suffix == ".docx":
        return docx_text(data)
    return html_text(data)


@pytest.fixture(scope="session")
def built(session_out: Path) -> dict[str, dict[str, str]]:
    """spec stem -> format -> the document's text, each spec built once in every format."""
    out: dict[str, dict[str, str]] = {}
    for spec in (AVAILABILITY_ONLY, NO_RESOLUTION):
        folder = session_out / "optional-sections" / spec.stem
        printed = built_once(folder, build_with_cli("build", str(spec), "-f", ",".join(FORMATS)))
        assert printed.exit_code == 0 and "Traceback" not in printed.output, printed.output
        out[spec.stem] = {fmt: text_of(next(folder.glob(f"*.{fmt}"))) for fmt in FORMATS}
    return out


# ------------------------------------------------------------------ an availability-only agreement


def test_the_availability_only_spec_has_no_support_sections() -> None:
    data = spec_data(AVAILABILITY_ONLY)
    assert not {"responsiveness", "problem_reporting", "escalation"} & set(data)
    assert "per_event" not in data["service_credits"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_sentence_about_support_appears(built: dict[str, dict[str, str]], fmt: str) -> None:
    text = built["availability-only"][fmt]
    found = [word for word in SUPPORT_WORDS if word in text]  # as the library writes them; spec text is the author's
    assert found == [], found
    assert not re.search(r"\bP[1-4]\b", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_availability_text_is_all_there(built: dict[str, dict[str, str]], fmt: str) -> None:
    data = spec_data(AVAILABILITY_ONLY)
    text = built["availability-only"][fmt]
    service = data["services"][0]
    assert service["name"] in text
    assert service["availability"]["target"] in text
    assert "Availability targets" in text
    assert "Service hours" in text  # the service-hours clause, titled without support


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_business_hours_notice_rule_under_round_the_clock_hours(built: dict[str, dict[str, str]], fmt: str) -> None:
    data = spec_data(AVAILABILITY_ONLY)
    (service,) = data["services"]
    assert "support_hours" not in service and data["service_hours"][service["hours"]]["always"] is True
    assert "notice received outside" not in built["availability-only"][fmt]
    full = spec_data(NO_RESOLUTION)  # support in office hours: the rule means something there
    assert full["service_hours"][full["responsiveness"]["hours"]].get("always") is not True
    assert "notice received outside Business Hours" in built["no-resolution"][fmt]


def test_validate_strict_passes_without_support_sections() -> None:
    printed = run("validate", "--strict", str(AVAILABILITY_ONLY))
    assert printed.exit_code == 0, printed.output
    assert "no severity levels" in printed.output


def test_openslo_exports_only_the_availability_objectives() -> None:
    printed = run("export", "openslo", str(AVAILABILITY_ONLY))
    assert printed.exit_code == 0, printed.output
    documents = yaml_documents(printed.stdout)
    data = spec_data(AVAILABILITY_ONLY)
    kinds = sorted(d["kind"] for d in documents)
    assert kinds == sorted(["DataSource"] + ["Service"] * len(data["services"]) + ["SLO"] * len(data["services"]))
    assert "support" not in printed.stdout.lower()


def test_calc_deadline_refuses_an_agreement_without_severities() -> None:
    printed = run("calc", "deadline", str(AVAILABILITY_ONLY), "--severity", "P1", "--reported", "2027-03-05T16:45")
    assert printed.exit_code == 1 and "Traceback" not in printed.output
    assert "no severity 'P1'" in printed.output and "no 'responsiveness'" in printed.output


def test_calc_credit_works_without_support_sections() -> None:
    data = spec_data(AVAILABILITY_ONLY)
    fee = int(data["services"][0]["fee"].split()[0])
    band = next(b for b in data["service_credits"]["bands"] if b.get("above") == "99.0%")  # 99.2% falls in it
    owed = fee * int(band["credit"].rstrip("%")) // 100
    printed = run("calc", "credit", str(AVAILABILITY_ONLY), "--uptime", "99.2", "--json")
    assert printed.exit_code == 0, printed.output
    answer = json.loads(printed.stdout)
    assert answer["credit_amount_value"] == owed and answer["per_event"] == []


def refused(tmp_path: Path, source: Path, old: str, new: str, entry: str) -> str:
    """``validate`` of ``source`` with ``old`` replaced by ``new``: exit 1, located at the line of ``entry``."""
    text = source.read_text(encoding="utf-8")
    changed = text.replace(old, new, 1)
    assert changed != text
    spec = tmp_path / "spec.yaml"
    spec.write_text(changed, encoding="utf-8")
    line = changed.splitlines().index(entry) + 1
    printed = run("validate", str(spec))
    assert printed.exit_code == 1 and "Traceback" not in printed.output
    assert f"{spec}:{line}:" in printed.output, printed.output
    return printed.output


def test_a_per_event_support_credit_needs_support_targets(tmp_path: Path) -> None:
    event = "    - event: missed-response"
    output = refused(
        tmp_path, AVAILABILITY_ONLY, "  caps:\n", f"  per_event:\n{event}\n      credit: 150 EUR\n  caps:\n", event
    )
    assert "service_credits.per_event[0].event" in output and "sets no support targets" in output


def outages_only(folder: Path) -> Path:
    folder.mkdir()
    (folder / "outages.csv").write_text(
        "service,start,end,cause,exclusion,reference\n"
        "einvoicing,2027-01-14T09:02:00Z,2027-01-14T09:19:00Z,Database failover,,INC-1\n",
        encoding="utf-8",
    )
    return folder


def test_report_needs_no_tickets_and_says_nothing_of_support(tmp_path: Path) -> None:
    data = outages_only(tmp_path / "data")
    printed = run("report", str(AVAILABILITY_ONLY), "--data", str(data), "-f", "html", "-o", str(tmp_path / "out"))
    assert printed.exit_code == 0, printed.output
    text = html_text(next((tmp_path / "out").glob("*.html")).read_bytes())
    minutes = 31 * 24 * 60
    achieved = (minutes - 17) * 100 / minutes  # 17 minutes down in January 2027
    assert f"{int(achieved * 1000) / 1000:.3f}%" in text  # three decimals, rounded down
    for words in ("support ticket", "Support responsiveness", "Per-event credits", "severity"):
        assert words not in text, words


# ------------------------------------------------------------------ a severity without a resolution target


def p4(data: dict) -> dict:
    return next(level for level in data["responsiveness"]["severities"] if level["id"] == "P4")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_severity_without_resolution_target_says_so(built: dict[str, dict[str, str]], fmt: str) -> None:
    level = p4(spec_data(NO_RESOLUTION))
    assert "resolution" not in level
    text = built["no-resolution"][fmt]
    row = re.search(rf"P4 \({level['name']}\) {re.escape(level['response'])} On request (\S+ \S+)", text)
    assert row and row.group(1) == "No target", text[text.find("P4 (") :][:200]
    assert "for which no Resolution Time is set as soon as it reasonably can" in text


def test_validate_strict_passes_with_a_severity_without_resolution() -> None:
    printed = run("validate", "--strict", str(NO_RESOLUTION))
    assert printed.exit_code == 0, printed.output


def test_a_resolution_credit_for_a_severity_without_the_target_is_refused(tmp_path: Path) -> None:
    old = "      severities: [P1, P2]\n      credit_percent: 2%"
    output = refused(tmp_path, NO_RESOLUTION, old, old.replace("[P1, P2]", "[P4]"), "    - event: missed-resolution")
    assert "P4 sets no resolution target" in output


def test_openslo_exports_no_resolution_objective_the_spec_lacks() -> None:
    printed = run("export", "openslo", str(NO_RESOLUTION))
    assert printed.exit_code == 0, printed.output
    names = {d["metadata"]["name"] for d in yaml_documents(printed.stdout) if d["kind"] == "SLO"}
    data = spec_data(NO_RESOLUTION)
    agreement = data["agreement"]["id"].lower()
    expected = {
        f"{agreement}-support-{level['id'].lower()}-{what}"
        for level in data["responsiveness"]["severities"]
        for what in ("response", "resolution")
        if what in level
    }
    support = {name for name in names if "-support-" in name}
    assert support == expected and f"{agreement}-support-p4-resolution" not in names


def test_calc_deadline_gives_no_resolution_time_the_spec_lacks() -> None:
    printed = run(
        "calc", "deadline", str(NO_RESOLUTION), "--severity", "P4", "--reported", "2027-03-05T16:45", "--json"
    )
    assert printed.exit_code == 0, printed.output
    assert set(json.loads(printed.stdout)["targets"]) == {"response"}


def test_report_counts_no_resolution_for_p4_and_does_not_claim_it_was_met(tmp_path: Path) -> None:
    data = outages_only(tmp_path / "data")
    (data / "tickets.csv").write_text(
        "id,service,severity,reported,responded,resolved\n"
        # P4: responded within the business day; resolved weeks later, which no target governs
        "T1,einvoicing,P4,2027-01-05T10:20:00+01:00,2027-01-05T11:05:00+01:00,2027-01-29T16:30:00+01:00\n"
        # P1: responded in 10 minutes (target 30m), resolved in 2 hours (target 4h)
        "T2,einvoicing,P1,2027-01-08T14:00:00+01:00,2027-01-08T14:10:00+01:00,2027-01-08T16:00:00+01:00\n",
        encoding="utf-8",
    )
    printed = run("report", str(NO_RESOLUTION), "--data", str(data), "-f", "html", "-o", str(tmp_path / "out"))
    assert printed.exit_code == 0, printed.output
    text = html_text(next((tmp_path / "out").glob("*.html")).read_bytes())
    assert "2 support tickets were reported." in text
    assert "Every severity met the attainment targets the agreement sets for it." in text
    assert "met its response and resolution attainment targets" not in text
    assert re.search(r"P4 Request 1 100% \(1 of 1\) no target", text), text[text.find("P4 Request") :][:120]
    facts = run("report", str(NO_RESOLUTION), "--data", str(data), "--json")
    assert facts.exit_code == 0, facts.output
    (level,) = [s for s in json.loads(facts.stdout)["severities"] if s["id"] == "P4"]
    assert level["resolution"] is None and level["response"]["met"] is True
