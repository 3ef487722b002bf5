"""slaforge export openslo: parsed back and checked against the spec's own numbers."""

from __future__ import annotations

import io
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from typer.testing import CliRunner

from slaforge.cli import app

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "samples" / "measurements" / "agreement.yaml"
RFC1123 = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def export(*args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["export", "openslo", *args])
    assert result.exit_code == 0, result.output
    return list(YAML(typ="safe", pure=True).load_all(io.StringIO(result.output)))


def by_name(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def test_every_document_is_openslo_v1_with_valid_names() -> None:
    documents = export(str(SPEC))
    assert {d["apiVersion"] for d in documents} == {"openslo/v1"}
    assert {d["kind"] for d in documents} == {"Service", "SLO"}
    names = [d["metadata"]["name"] for d in documents]
    assert len(names) == len(set(names))
    assert all(RFC1123.match(n) for n in names), names
    services = by_name(documents, "Service")
    # 2 services x availability + 4 severities x (response, resolution)
    slos = by_name(documents, "SLO")
    assert len(slos) == 2 + 4 * 2
    assert all(slo["spec"]["service"] in services for slo in slos.values())


def test_availability_objectives_match_the_agreement() -> None:
    slos = by_name(export(str(SPEC)), "SLO")
    einvoicing = slos["einvoicing-availability"]["spec"]
    # the sample: target 99.9% over a calendar month from the effective date 2027-01-01, Europe/Berlin
    assert Fraction(str(einvoicing["objectives"][0]["target"])) == Fraction(999, 1000)
    assert einvoicing["timeWindow"] == [
        {
            "duration": "1M",
            "isRolling": False,
            "calendar": {"startTime": "2027-01-01 00:00:00", "timeZone": "Europe/Berlin"},
        }
    ]
    # error-rate downtime with a 5% threshold: one-minute time slices that are good under 5% errors
    assert einvoicing["budgetingMethod"] == "Timeslices"
    assert einvoicing["objectives"][0]["timeSliceWindow"] == "1m"
    assert Fraction(str(einvoicing["objectives"][0]["timeSliceTarget"])) == Fraction(95, 100)
    archive = slos["archive-availability"]["spec"]
    assert archive["budgetingMethod"] == "Occurrences"  # whole minutes without service
    assert "timeSliceTarget" not in archive["objectives"][0]
    ratio = archive["indicator"]["spec"]["ratioMetric"]
    assert set(ratio) == {"counter", "good", "total"}
    assert ratio["good"]["metricSource"] == {
        "metricSourceRef": "ldg-sla-vdb-2027-monitoring",
        "spec": {"description": "minutes with service"},
    }


def test_attainment_objectives_per_severity() -> None:
    slos = by_name(export(str(SPEC)), "SLO")
    expected = {"p1": Fraction(95, 100), "p2": Fraction(95, 100), "p3": Fraction(90, 100), "p4": Fraction(1)}
    for severity, target in expected.items():
        for what in ("response", "resolution"):
            slo = slos[f"ldg-sla-vdb-2027-support-{severity}-{what}"]["spec"]
            assert Fraction(str(slo["objectives"][0]["target"])) == target
            assert slo["budgetingMethod"] == "Occurrences"
            assert slo["timeWindow"][0]["duration"] == "1M"
    p3 = slos["ldg-sla-vdb-2027-support-p3-response"]["spec"]
    assert p3["description"] == "Share of P3 tickets responded to within 4 business hours counted within Support Hours."


def test_a_thirty_day_window_is_rolling_and_output_goes_to_a_file(tmp_path: Path) -> None:
    spec = tmp_path / "rolling.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8").replace("window: calendar-month", "window: 30-days"), "utf-8")
    target = tmp_path / "slo.yaml"
    result = CliRunner().invoke(app, ["export", "openslo", str(spec), "-o", str(target)])
    assert result.exit_code == 0, result.output
    documents = list(YAML(typ="safe", pure=True).load_all(target.read_text(encoding="utf-8")))
    windows = [d["spec"]["timeWindow"] for d in documents if d["kind"] == "SLO"]
    assert windows and all(w == [{"duration": "30d", "isRolling": True}] for w in windows)


def test_a_bad_spec_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8").replace("target: 99.9%", "target: lots"), "utf-8")
    result = CliRunner().invoke(app, ["export", "openslo", str(spec)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{spec}:" in result.output


def test_a_calendar_window_starts_on_a_window_boundary_on_or_before_the_effective_date(tmp_path: Path) -> None:
    """Effective 15 February 2027, payroll hosting measured over fiscal quarters from 1 April: the
    windows are aligned to 1 April 2026 (a fiscal-quarter boundary), never to a date after the start."""
    text = (ROOT / "samples" / "internal-service-desk.yaml").read_text(encoding="utf-8")
    assert text.count("  effective: 2027-04-01\n") == 1
    spec = tmp_path / "spec.yaml"
    spec.write_text(text.replace("  effective: 2027-04-01\n", "  effective: 2027-02-15\n"), encoding="utf-8")
    slos = by_name(export(str(spec)), "SLO")
    starts = {name: slo["spec"]["timeWindow"][0]["calendar"]["startTime"] for name, slo in slos.items()}
    assert starts["payroll-hosting-availability"] == "2026-04-01 00:00:00"  # fiscal quarters from 1 April
    assert starts["care-records-availability"] == "2027-02-01 00:00:00"  # calendar months
