"""Every sample's agreement carries its own spec's values in the seven core areas.

The expected values are read from the raw YAML here (ruamel, no slaforge
model), so the test does not trust the code it checks; the text is read back
from the rendered PDF, the format a counterparty signs.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from shared import SAMPLES, Samples, pdf_text

from slaforge.document import Document, Paragraph, plain


def raw(spec: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(spec.read_text(encoding="utf-8"))


def section_text(document: Document, section_id: str) -> str:
    """The plain text of one section, as the tree holds it."""
    (section,) = [s for s in document.sections if s.id == section_id]
    parts: list[str] = []
    for clause in section.clauses:
        for block in clause.blocks:
            parts.extend(_texts(block))
    return " ".join(" ".join(parts).split()).casefold()


def _texts(block: Any) -> list[str]:
    if isinstance(block, Paragraph):
        return [plain(block.runs)]
    out: list[str] = []
    for item in getattr(block, "items", ()):
        out.append(plain(item.runs))
        for child in getattr(item, "children", ()):
            out.append(plain(child.runs))
    for row in (getattr(block, "header", None) or (), *getattr(block, "rows", ())):
        out.extend(plain(cell) for cell in (row if isinstance(row, tuple) else (row,)))
    return out


def phrase(text: str) -> str:
    """A list item or detail as it reads inside a sentence: white space folded, lower case, no full stop."""
    return " ".join(text.split()).rstrip(".").casefold()


def percent(text: str) -> str:
    """'99.95%' as the agreement prints it: the number as written, with a percent sign."""
    return f"{Decimal(str(text).rstrip('%').strip()).normalize():f}%"


def spoken(seconds: Fraction) -> str:
    """1 hour 26 minutes 24 seconds; 44 minutes 38.4 seconds (computed here, not with slaforge.calc)."""
    hours, rest = divmod(seconds, 3600)
    minutes, rest = divmod(rest, 60)
    parts = []
    for amount, unit in ((hours, "hour"), (minutes, "minute")):
        if amount:
            parts.append(f"{int(amount)} {unit}{'s' if amount != 1 else ''}")
    if rest:
        number = f"{Decimal(rest.numerator) / Decimal(rest.denominator):f}".rstrip("0").rstrip(".")
        parts.append(f"{number} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def allowed(target: str, seconds: int | Fraction) -> Fraction:
    return (100 - Fraction(str(target).rstrip("%").strip())) / 100 * Fraction(seconds)


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def sample(request: pytest.FixtureRequest, samples: Samples) -> tuple[dict[str, Any], Document, str]:
    spec: Path = request.param
    return raw(spec), samples.document(spec.stem), pdf_text(samples.file(spec.stem, "pdf"))


def test_service_description_names_every_service_and_its_scope(sample: tuple[dict[str, Any], Document, str]) -> None:
    data, document, pdf = sample
    text = section_text(document, "service-description")
    for service in data["services"]:
        assert service["name"].casefold() in text
        for item in service.get("scope", []):
            assert phrase(item) in text, item
    assert data["services"][0]["name"] in pdf


def test_reliability_states_every_target_and_window(sample: tuple[dict[str, Any], Document, str]) -> None:
    data, document, pdf = sample
    text = section_text(document, "reliability")
    for service in data["services"]:
        target = percent(service["availability"]["target"])
        assert target in text and target in pdf, target
        for window in service["availability"].get("maintenance", {}).get("windows", []):
            assert window["from"] in text and window["to"] in text


def test_reliability_quotes_the_downtime_each_target_allows(sample: tuple[dict[str, Any], Document, str]) -> None:
    data, document, _ = sample
    text = section_text(document, "reliability")
    for service in data["services"]:
        availability = service["availability"]
        target = availability["target"]
        if availability.get("service_hours_only"):
            # "... : for example, 1 hour 12 minutes 36 seconds in April 2027, which has 242 hours of ..."
            share = f"{100 - Decimal(str(target).rstrip('%')):f}%".casefold()
            found = re.search(
                re.escape(share) + r" of the service hours in the measurement window: for example, (.+?) in .+?, "
                r"which has ([\d.]+) hours of",
                text,
            )
            assert found, service["id"]
            assert found[1] == spoken(allowed(target, Fraction(found[2]) * 3600)).casefold()
        elif availability.get("window", "calendar-month") == "calendar-month":
            for days in (30, 31):
                assert f"{spoken(allowed(target, days * 86400))} in a {days}-day month".casefold() in text


def test_responsiveness_gives_every_severity(sample: tuple[dict[str, Any], Document, str]) -> None:
    data, document, pdf = sample
    text = section_text(document, "responsiveness")
    for severity in data["responsiveness"]["severities"]:
        assert severity["id"].casefold() in text and severity["name"].casefold() in text, severity["id"]
        assert phrase(severity["definition"]) in pdf.casefold()
        if "attainment" in severity:
            assert percent(severity["attainment"]) in text


def test_problem_reporting_lists_every_channel_and_required_item(sample: tuple[dict[str, Any], Document, str]) -> None:
    data, document, _ = sample
    text = section_text(document, "problem-reporting")
    for channel in data["problem_reporting"]["channels"]:
        assert channel["address"].casefold() in text, channel["address"]
    for item in data["problem_reporting"]["required_information"]:
        assert phrase(item) in text, item


def test_monitoring_names_the_metrics_and_where_the_customer_sees_them(
    sample: tuple[dict[str, Any], Document, str],
) -> None:
    data, document, _ = sample
    text = section_text(document, "monitoring")
    monitoring = data["monitoring"]
    for metric in monitoring["metrics"]:
        assert phrase(metric) in text, metric
    if "customer_access" in monitoring:
        assert phrase(monitoring["customer_access"]) in text


def test_restrictions_carry_each_detail(sample: tuple[dict[str, Any], Document, str]) -> None:
    data, document, _ = sample
    text = section_text(document, "restrictions")
    details = [r["detail"] for r in data.get("restrictions", []) if r.get("detail")]
    assert data.get("restrictions"), "every sample states its restrictions"
    for detail in details:
        assert phrase(detail).removeprefix("including ") in text, detail


def test_penalties_quote_every_credit_band_or_say_there_are_none(sample: tuple[dict[str, Any], Document, str]) -> None:
    data, document, _ = sample
    text = section_text(document, "penalties")
    credits = data.get("service_credits")
    if not credits:
        assert re.search(r"no service credits", text, re.IGNORECASE)
        return
    for band in credits["bands"]:
        assert percent(band["credit"]) in text, band
        for bound in ("at_least", "above", "below", "at_most"):
            if bound in band:
                assert percent(band[bound]) in text, band
