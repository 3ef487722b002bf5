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
    return list(YAML(typ="safe", pure=True).load_all(io.StringIO(result.stdout)))


def by_name(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def metric_sources(document: dict[str, Any]) -> list[dict[str, Any]]:
    ratio = document["spec"]["indicator"]["spec"]["ratioMetric"]
    return [ratio[part]["metricSource"] for part in ("good", "total")]


def test_every_document_is_openslo_v1_with_valid_names() -> None:
    documents = export(str(SPEC))
    assert {d["apiVersion"] for d in documents} == {"openslo/v1"}
    assert documents[0]["kind"] == "DataSource"
    assert {d["kind"] for d in documents} == {"DataSource", "Service", "SLO"}
    for kind in ("DataSource", "Service", "SLO"):
        names = [d["metadata"]["name"] for d in documents if d["kind"] == kind]
        assert len(names) == len(set(names)), f"names are unique within a kind: {kind}"
    names = [d["metadata"]["name"] for d in documents]
    names += [d["spec"]["indicator"]["metadata"]["name"] for d in documents if d["kind"] == "SLO"]
    assert all(RFC1123.match(n) for n in names), names
    services = by_name(documents, "Service")
    # 2 services x availability + 4 severities x (response, resolution)
    slos = by_name(documents, "SLO")
    assert len(slos) == 2 + 4 * 2
    assert all(slo["spec"]["service"] in services for slo in slos.values())
    # every metric source refers to the one DataSource the export holds
    (source,) = by_name(documents, "DataSource").values()
    assert source["metadata"]["name"] == "ldg-sla-vdb-2027-monitoring"
    assert source["spec"]["type"] == "Prometheus" and source["spec"]["connectionDetails"] == {}
    refs = {m["metricSourceRef"] for slo in slos.values() for m in metric_sources(slo)}
    assert refs == {source["metadata"]["name"]}


def test_the_data_source_type_is_the_users_choice() -> None:
    (source,) = by_name(export(str(SPEC), "--data-source-type", "Datadog"), "DataSource").values()
    assert source["spec"]["type"] == "Datadog"


def test_an_objective_of_100_percent_is_capped_below_1_and_says_so() -> None:
    """OpenSLO v1 targets lie in [0, 1): the sample's P4 has no attainment, so every ticket counts."""
    text = SPEC.read_text(encoding="utf-8")
    p4 = text.splitlines().index("    - id: P4") + 1  # the severity without an attainment
    result = CliRunner().invoke(app, ["export", "openslo", str(SPEC)])
    assert result.exit_code == 0, result.output
    slos = by_name(list(YAML(typ="safe", pure=True).load_all(io.StringIO(result.stdout))), "SLO")
    targets = [slo["spec"]["objectives"][0]["target"] for slo in slos.values()]
    assert all(0 <= target < 1 for target in targets)
    for what in ("response", "resolution"):
        slo = slos[f"ldg-sla-vdb-2027-support-p4-{what}"]["spec"]
        assert Fraction(str(slo["objectives"][0]["target"])) == Fraction(9999, 10000)
        assert slo["objectives"][0]["displayName"] == "100% of P4 tickets"
        assert slo["description"].endswith(
            "so this export states 99.99%: a monitoring tool then counts one miss in "
            "10,000 as met, where the agreement counts any miss as a breach."
        )
        warning = f"{SPEC}:{p4}:7: warning: responsiveness.severities[3]: The agreement requires 100% for P4 {what}"
        assert warning in result.stderr
    assert result.stderr.count("warning:") == 2, "only the objectives of 100% are capped"


def test_long_and_lookalike_ids_get_unique_stable_names(tmp_path: Path) -> None:
    """Ids that agree in their first 63 characters, or differ only in case and punctuation, stay apart."""
    long = "managed-wide-area-network-service-for-the-northern-region-primary-site"
    text = SPEC.read_text(encoding="utf-8")
    assert text.count("  - id: einvoicing\n") == text.count("  - id: archive\n") == 1
    spec = tmp_path / "long.yaml"
    spec.write_text(
        text.replace("  - id: einvoicing\n", f"  - id: {long}-a\n").replace("  - id: archive\n", f"  - id: {long}-b\n"),
        encoding="utf-8",
    )
    first, second = export(str(spec)), export(str(spec))
    assert first == second, "the same spec gives the same names"
    services = [d["metadata"]["name"] for d in first if d["kind"] == "Service"]
    slos = [d["metadata"]["name"] for d in first if d["kind"] == "SLO"]
    assert len(set(services)) == len(services) == 3 and len(set(slos)) == len(slos) == 10
    assert all(len(n) <= 63 and RFC1123.match(n) for n in services + slos)
    assert sum(n.startswith(long[:40]) for n in services) == 2, "a long name keeps its readable start"
    spec.write_text(
        text.replace("  - id: einvoicing\n", "  - id: wan.core\n").replace("  - id: archive\n", "  - id: WAN-core\n"),
        encoding="utf-8",
    )
    documents = export(str(spec))
    services = by_name(documents, "Service")
    assert len(services) == 3 and all(RFC1123.match(n) for n in services)
    assert {d["spec"]["service"] for d in documents if d["kind"] == "SLO"} == set(services)


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
    # P4 has no attainment (every ticket): capped below 1, see the test below
    expected = {"p1": Fraction(95, 100), "p2": Fraction(95, 100), "p3": Fraction(90, 100), "p4": Fraction(9999, 10000)}
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


def test_the_prometheus_example_in_the_docs_matches_the_export() -> None:
    """docs/openslo.md binds the sample's archive SLO to recording rules: its names, reference and target
    are the export's, and every YAML block in it parses."""
    text = (ROOT / "docs" / "openslo.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 3
    rules, binding, connection = (YAML(typ="safe", pure=True).load(block) for block in blocks)
    documents = export(str(SPEC))
    archive = by_name(documents, "SLO")["archive-availability"]["spec"]
    (alert,) = [rule for rule in rules["groups"][0]["rules"] if "alert" in rule]
    assert alert["expr"] == f"sla:archive:availability:ratio_30d < {archive['objectives'][0]['target']}"
    assert rules["groups"][0]["interval"] == "1m", "one sample a minute: minutes are what the agreement counts"
    exported = archive["indicator"]["spec"]["ratioMetric"]
    for part in ("good", "total"):
        bound = binding["ratioMetric"][part]["metricSource"]
        assert bound["metricSourceRef"] == exported[part]["metricSource"]["metricSourceRef"]
        assert bound["spec"]["description"] == exported[part]["metricSource"]["spec"]["description"]
    assert set(by_name(documents, "DataSource")) == {exported["good"]["metricSource"]["metricSourceRef"]}
    assert connection["spec"]["type"] == "Prometheus"
    assert rules["groups"][0]["name"] == "ldg-sla-vdb-2027-archive-availability"
