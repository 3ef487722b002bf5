"""Tier ordering: each rule passes when the higher tier is better and fails, located, when it is worse.

Every case is one offer with two tiers, ``low`` and ``high``, built on the
sample's base.  The passing offer gives ``high`` the better value; the failing
offer swaps the two, and must fail with exactly one error on that term, at
the line where the higher tier writes its value, naming both tiers and both
values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from offer_helpers import line_of, two_tiers, write

from slaforge.errors import SpecError
from slaforge.offers.build import OfferOptions, check_offer


def svc(**fields: Any) -> dict[str, Any]:
    return {"services": [{"id": "wan", **fields}]}


def sev(level: str, **fields: Any) -> dict[str, Any]:
    return {"responsiveness": {"severities": [{"id": level, **fields}]}}


def credits(**fields: Any) -> dict[str, Any]:
    return {"service_credits": fields}


BASE_BANDS = [
    {"at_least": "99.5%", "below": "99.9%", "credit": "5%"},
    {"at_least": "99.0%", "below": "99.5%", "credit": "10%"},
    {"below": "99.0%", "credit": "15%"},
]
RICHER_BANDS = [
    {"at_least": "99.5%", "below": "99.9%", "credit": "10%"},
    {"at_least": "99.0%", "below": "99.5%", "credit": "20%"},
    {"below": "99.0%", "credit": "30%"},
]
EVENT = {"event": "missed-response", "severities": ["P1"]}

# term key, worse overrides, better overrides, needle on the worse value's line, worse text, better text
RULES: list[tuple[str, dict[str, Any], dict[str, Any], str, str, str]] = [
    (
        "services[wan].availability.target",
        svc(availability={"target": "99.9%"}),
        svc(availability={"target": "99.95%"}),
        "target: 99.9%",
        "99.9%",
        "99.95%",
    ),
    ("services[wan].hours", svc(hours="business"), svc(hours="always"), "hours: business", "Business", "24x7"),
    (
        "services[wan].support_hours",
        svc(support_hours="business"),
        svc(support_hours="extended"),
        "support_hours: business",
        "Business Hours",
        "Extended Hours",
    ),
    (
        "responsiveness.severities[P2].response",
        sev("P2", response="1h"),
        sev("P2", response="30m"),
        "response: 1h",
        "1 hour",
        "30 minutes",
    ),
    (
        "responsiveness.severities[P2].resolution",
        sev("P2", resolution="12h"),
        sev("P2", resolution="8h"),
        "resolution: 12h",
        "12 hours",
        "8 hours",
    ),
    (
        "responsiveness.severities[P1].update",
        sev("P1", update="1h"),
        sev("P1", update="30m"),
        "update: 1h",
        "1 hour",
        "30 minutes",
    ),
    (
        "responsiveness.severities[P1].attainment",
        sev("P1", attainment="90%"),
        sev("P1", attainment="95%"),
        "attainment: 90%",
        "90%",
        "95%",
    ),
    (
        "reporting.frequency",
        {"reporting": {"frequency": "quarterly"}},
        {"reporting": {"frequency": "monthly"}},
        "frequency: quarterly",
        "quarterly",
        "monthly",
    ),
    (
        "reporting.due",
        {"reporting": {"due": "10 business days"}},
        {"reporting": {"due": "5 business days"}},
        "due: 10 business days",
        "10 business days",
        "5 business days",
    ),
    (
        "service_credits.bands",
        credits(bands=BASE_BANDS),
        credits(bands=RICHER_BANDS),
        "bands:",
        "5%",
        "10%",
    ),
    (
        "service_credits.caps.per_window",
        credits(caps={"per_window": "15%"}),
        credits(caps={"per_window": "30%"}),
        "per_window: 15%",
        "15%",
        "30%",
    ),
    (
        "service_credits.claim.deadline",
        credits(claim={"deadline": "30 days"}),
        credits(claim={"deadline": "45 days"}),
        "deadline: 30 days",
        "30 days",
        "45 days",
    ),
    (
        "service_credits.minimum_payable",
        credits(minimum_payable="100 GBP"),
        credits(minimum_payable="50 GBP"),
        "minimum_payable: 100 GBP",
        "GBP 100",
        "GBP 50",
    ),
    (
        "service_credits.per_event[missed-response:P1]",
        credits(per_event=[{**EVENT, "credit": "100 GBP"}]),
        credits(per_event=[{**EVENT, "credit": "250 GBP"}]),
        "credit: 100 GBP",
        "GBP 100",
        "GBP 250",
    ),
    (
        "positions[penalties.sole-remedy]",
        {"positions": {"penalties.sole-remedy": "standard"}},
        {"positions": {"penalties.sole-remedy": "customer-favourable"}},
        "penalties.sole-remedy: standard",
        "standard",
        "customer-favourable",
    ),
]


def check(tmp_path: Path, text: str, **options: Any) -> Any:
    return check_offer(write(tmp_path, text), OfferOptions(**options))


def errors_of(tmp_path: Path, text: str) -> list[Any]:
    with pytest.raises(SpecError) as caught:
        check(tmp_path, text)
    return caught.value.problems


@pytest.mark.parametrize("rule", RULES, ids=[r[0] for r in RULES])
def test_a_better_higher_tier_passes(tmp_path: Path, rule: tuple[Any, ...]) -> None:
    key, worse, better, *_ = rule
    checked = check(tmp_path, two_tiers(worse, better))
    low, high = checked.columns
    assert low.terms[key].same != high.terms[key].same  # the case really changes the term
    assert not [w for w in checked.warnings if w.code.startswith("tier-order")]


@pytest.mark.parametrize("rule", RULES, ids=[r[0] for r in RULES])
def test_a_worse_higher_tier_fails_naming_term_tiers_and_values(tmp_path: Path, rule: tuple[Any, ...]) -> None:
    key, worse, better, needle, worse_text, better_text = rule
    text = two_tiers(better, worse)
    problems = errors_of(tmp_path, text)
    assert [(p.code, p.path) for p in problems] == [("tier-order", key)], [p.format() for p in problems]
    problem = problems[0]
    assert problem.file == str(tmp_path / "offer.yaml")
    assert problem.line == line_of(text, needle, after="- id: high")
    assert "tier high" in problem.message and "tier low" in problem.message
    assert worse_text in problem.message and better_text in problem.message


def test_equal_tiers_pass_on_everything_but_price(tmp_path: Path) -> None:
    check(tmp_path, two_tiers({}, {}))
    problems = errors_of(tmp_path, two_tiers({}, {}, fees=("38500 GBP", "38500 GBP")))
    assert [(p.code, p.path) for p in problems] == [("tier-order", "services[wan].fee")]


def test_prices_must_rise(tmp_path: Path) -> None:
    text = two_tiers({}, {}, fees=("38500 GBP", "29500 GBP"))
    problems = errors_of(tmp_path, text)
    assert [(p.code, p.path) for p in problems] == [("tier-order", "services[wan].fee")]
    message = problems[0].message
    assert "GBP 29,500" in message and "GBP 38,500" in message and "tier high" in message and "tier low" in message
    assert problems[0].line == line_of(text, "fee: 29500 GBP", after="- id: high")


def test_dropping_a_commitment_the_lower_tier_gives_is_worse(tmp_path: Path) -> None:
    text = two_tiers(sev("P4", update="1 business day"), {})
    problems = errors_of(tmp_path, text)
    assert [(p.code, p.path) for p in problems] == [("tier-order", "responsiveness.severities[P4].update")]
    assert "drops" in problems[0].message and "1 business day" in problems[0].message


def test_removing_a_key_with_null_drops_it(tmp_path: Path) -> None:
    problems = errors_of(tmp_path, two_tiers({}, sev("P1", update=None)))
    assert [(p.code, p.path) for p in problems] == [("tier-order", "responsiveness.severities[P1].update")]


def test_credits_are_compared_at_every_availability_level(tmp_path: Path) -> None:
    # richer at the top, but the bottom band credits less than the lower tier's
    mixed = [
        {"at_least": "99.5%", "below": "99.9%", "credit": "10%"},
        {"at_least": "99.0%", "below": "99.5%", "credit": "12%"},
        {"below": "99.0%", "credit": "12%"},
    ]
    problems = errors_of(tmp_path, two_tiers(credits(bands=BASE_BANDS), credits(bands=mixed)))
    assert [(p.code, p.path) for p in problems] == [("tier-order", "service_credits.bands")]
    assert "credits 12% against 15%" in problems[0].message


def test_clock_and_business_time_targets_that_cannot_be_ordered_warn(tmp_path: Path) -> None:
    # 6 clock hours against 4 business hours: faster on a Friday evening, slower on a Monday morning
    checked = check(tmp_path, two_tiers({}, sev("P3", response="6h")))
    warnings = [w for w in checked.warnings if w.code == "tier-order-unknown"]
    assert [w.path for w in warnings] == ["responsiveness.severities[P3].response"]
    # 3 clock hours are never slower than 4 business hours
    checked = check(tmp_path, two_tiers({}, sev("P3", response="3h")))
    assert not [w for w in checked.warnings if w.code == "tier-order-unknown"]


def test_a_business_day_in_a_longer_working_day_is_slower(tmp_path: Path) -> None:
    # the same '2 business days', but counted in Extended Hours (14-hour days) instead of Business Hours (10)
    problems = errors_of(tmp_path, two_tiers({}, {"responsiveness": {"hours": "extended"}}))
    paths = {p.path for p in problems}
    assert "responsiveness.severities[P4].response" in paths
    assert all(p.code == "tier-order" for p in problems)
