"""Durations compared through the calendars they count in: in validate's checks and in tier and level comparisons.

B business minutes always take at least B clock minutes, so "2 business days" is never sooner than "4h";
a clock duration is never later than a business duration of at least as many minutes; any other mix
depends on when the ticket arrives.  The office calendar below is open Monday to Friday 09:00-17:00: a
business day is 480 business minutes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from slaforge.errors import SpecError
from slaforge.spec import load_spec
from slaforge.spec.calendars import ServiceHours, compare_durations
from slaforge.spec.units import parse_duration
from slaforge.terms.comparable import spec_terms
from slaforge.terms.ordering import compare

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (ROOT / "tests" / "specs" / "minimal.yaml").read_text(encoding="utf-8")

OFFICE = ServiceHours.model_validate(
    {
        "name": "Office Hours",
        "timezone": "Europe/London",
        "prime": [{"days": "mon-fri", "from": "09:00", "to": "17:00"}],
    },
)
ALWAYS = ServiceHours.model_validate({"name": "24x7", "timezone": "Europe/London", "always": True})


@pytest.mark.parametrize(
    ("a", "b", "calendar", "expected"),
    [
        ("2 business days", "4h", OFFICE, 1),  # 960 business minutes take at least 960 clock minutes
        ("4 business hours", "4h", OFFICE, 1),  # never sooner; later unless all 4 hours are open
        ("2 business hours", "4h", OFFICE, None),  # sooner at 10:00 on a Tuesday, later at 16:30 on a Friday
        ("4h", "1 business day", OFFICE, -1),  # 240 clock minutes against 480 business minutes
        ("9h", "1 business day", OFFICE, None),
        ("1 business day", "8 business hours", OFFICE, 0),  # the office's business day is 8 hours
        ("1 business day", "9 business hours", OFFICE, -1),
        ("2 business hours", "4h", ALWAYS, -1),  # every minute of a 24x7 calendar is a business minute
        ("1 business day", "24h", ALWAYS, 0),
        ("2 business days", "4h", None, None),  # no calendar known: nothing can be said
        ("30m", "1h", None, -1),
    ],
)
def test_compare_durations(a: str, b: str, calendar: ServiceHours | None, expected: int | None) -> None:
    assert compare_durations(parse_duration(a), parse_duration(b), calendar) == expected


def spec_file(tmp_path: Path, name: str, replace: dict[str, str]) -> Path:
    text = MINIMAL
    for old, new in replace.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_codes(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return [(p.code or "", p.path) for p in caught.value.problems if p.severity == "error"]


def test_a_business_time_response_after_a_clock_resolution_is_refused(tmp_path: Path) -> None:
    # the minimal spec's Business Hours are Monday to Friday 08:00-18:00: a business day is 600 business
    # minutes, so P3's response (1 business day) can never fall due before its resolution (8h, 480 minutes)
    path = spec_file(tmp_path, "p3", {"      response: 4 business hours\n      resolution: 3 business days\n":
                                      "      response: 1 business day\n      resolution: 8h\n"})  # fmt: skip
    assert error_codes(path) == [("response-after-resolution", "responsiveness.severities[2].response")]


def test_a_more_severe_level_in_business_time_cannot_be_faster(tmp_path: Path) -> None:
    # P1 responds within 1 business hour, P2 within 30 minutes: P1 is never sooner
    path = spec_file(tmp_path, "p1", {"      response: 15m\n": "      response: 1 business hour\n"})
    assert ("severity-order", "responsiveness.severities[0].response") in error_codes(path)


def verdict(tmp_path: Path, lower: str, higher: str) -> tuple[str, str]:
    """How a tier whose P3 responds within ``higher`` stands against one that responds within ``lower``."""
    terms = []
    for name, value in (("lower", lower), ("higher", higher)):
        spec = load_spec(
            spec_file(tmp_path, name, {"      response: 4 business hours\n": f"      response: {value}\n"})
        ).spec
        terms.append(next(t for t in spec_terms(spec) if t.key == "responsiveness.severities[P3].response"))
    result = compare(terms[0], terms[1])
    return result.outcome, result.why


def test_a_tier_counting_business_days_is_never_faster_than_one_counting_hours(tmp_path: Path) -> None:
    assert verdict(tmp_path, "4h", "2 business days") == (
        "worse",
        "2 business days counts only within Business Hours, so it never falls due sooner than 4 hours",
    )
    assert verdict(tmp_path, "2 business days", "4h")[0] == "better"
    assert verdict(tmp_path, "4 business hours", "4h")[0] == "better"  # never later, often sooner
    outcome, why = verdict(tmp_path, "4h", "2 business hours")
    assert outcome == "incomparable" and "depends on when a ticket arrives" in why
