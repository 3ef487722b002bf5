"""Semantic checks (slaforge.spec.checks): each rule failing on a one-change copy of the minimal spec, and passing.

The minimal spec (tests/specs/minimal.yaml) loads with no problems and no warnings, so a test can assert the
*exact* list of problem codes its one change causes.  Lines and columns are found by searching the written text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from slaforge.errors import Problem, SpecError
from slaforge.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "specs" / "minimal.yaml"
BASE = MINIMAL.read_text(encoding="utf-8")


def cut(start: str, end: str) -> tuple[str, str]:
    """An edit that removes the minimal spec's text from ``start`` up to (not including) ``end``."""
    begin = BASE.index(start)
    return BASE[begin : BASE.index(end, begin)], ""


NO_CREDITS = cut("service_credits:\n", "responsibilities:\n")
BANDS = (
    "    - {at_least: 99.5%, below: 99.9%, credit: 5%}\n"
    "    - {at_least: 99.0%, below: 99.5%, credit: 10%}\n"
    "    - {below: 99.0%, credit: 25%}\n"
)


def variant(tmp_path: Path, *edits: tuple[str, str]) -> tuple[Path, str]:
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, f"expected exactly one {old!r}"
        text = text.replace(old, new)
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def bands(tmp_path: Path, *lines: str) -> tuple[Path, str]:
    return variant(tmp_path, (BANDS, "".join(f"    - {line}\n" for line in lines)))


def at(text: str, needle: str, after: str = "") -> tuple[int, int]:
    index = text.index(needle, text.index(after) if after else 0)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def errors(path: Path) -> list[Problem]:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    return info.value.problems


def one_error(path: Path, code: str) -> Problem:
    found = errors(path)
    assert [p.code for p in found] == [code], "\n".join(p.format() for p in found)
    assert found[0].severity == "error" and found[0].file == str(path)
    return found[0]


def one_warning(path: Path, code: str) -> Problem:
    warnings = load_spec(path).warnings
    assert [w.code for w in warnings] == [code], "\n".join(w.format() for w in warnings)
    assert warnings[0].severity == "warning"
    return warnings[0]


def clean(path: Path) -> None:
    loaded = load_spec(path)
    assert [w.format() for w in loaded.warnings] == []


def test_the_minimal_spec_is_clean() -> None:
    clean(MINIMAL)


# ------------------------------------------------------------------ duplicate ids


def test_duplicate_service_id(tmp_path: Path) -> None:
    service = BASE[BASE.index("  - id: gateway\n") : BASE.index("service_hours:\n")]
    path, text = variant(tmp_path, (service, service + service.replace("Card Payment Gateway", "Second Gateway")))
    problem = one_error(path, "duplicate-id")
    assert problem.path == "services[1].id"
    assert (problem.line, problem.column) == at(text, "id: gateway", after="Card Payment Gateway")
    assert problem.message == "duplicate id 'gateway'"


def test_duplicate_customer_id(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("\nservices:\n", "\n  - id: fellside\n    name: Fellside Stores Ltd\n    address: Kendal\n\nservices:\n"),
    )
    problem = one_error(path, "duplicate-id")
    assert problem.path == "customers[1].id"
    assert (problem.line, problem.column) == at(text, "id: fellside", after="Finance Director")


def test_duplicate_severity_id(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("    - id: P2\n", "    - id: P1\n"), ("severities: [P1, P2]", "severities: [P1]"))
    problem = one_error(path, "duplicate-id")
    assert problem.path == "responsiveness.severities[1].id"
    assert (problem.line, problem.column) == at(text, "id: P1", after="name: Critical")


def test_duplicate_policy_id(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        (
            "      - Administrators use multi-factor authentication\n",
            "      - Administrators use multi-factor authentication\n"
            "  - id: access\n    title: Physical access\n    requirements: [Visitors are escorted]\n",
        ),
    )
    problem = one_error(path, "duplicate-id")
    assert problem.path == "policies[1].id"
    assert (problem.line, problem.column) == at(text, "id: access", after="multi-factor")


def test_the_provider_and_a_customer_share_an_id(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  id: harbourbank", "  id: fellside"))
    problem = one_error(path, "duplicate-id")
    assert problem.path == "provider.id"
    assert (problem.line, problem.column) == at(text, "id: fellside")


# ------------------------------------------------------------------ references


@pytest.mark.parametrize(
    ("old", "new", "path", "needle", "expected"),
    [
        (
            "    hours: always\n",
            "    hours: allways\n",
            "services[0].hours",
            "hours: allways",
            "one of: always, office",
        ),
        (
            "    support_hours: office",
            "    support_hours: weekdays",
            "services[0].support_hours",
            "support_hours: weekdays",
            "one of: always, office",
        ),
        (
            "    support_hours: office",
            "    support_hours: office\n    customers: [fellside, northwind]",
            "services[0].customers[1]",
            "northwind",
            "one of: fellside",
        ),
        (
            "  hours: office\n  severities:",
            "  hours: ofice\n  severities:",
            "responsiveness.hours",
            "hours: ofice",
            "one of: always, office",
        ),
        (
            "      hours: office\n  required_information:",
            "      hours: weekdays\n  required_information:",
            "problem_reporting.channels[1].hours",
            "hours: weekdays",
            "one of: always, office",
        ),
        (
            "severities: [P1, P2]",
            "severities: [P1, P5]",
            "problem_reporting.channels[0].severities[1]",
            "P5",
            "one of: P1, P2, P3",
        ),
        (
            "      severities: [P1]\n      credit:",
            "      severities: [P0]\n      credit:",
            "service_credits.per_event[0].severities[0]",
            "P0",
            "one of: P1, P2, P3",
        ),
    ],
)
def test_unknown_reference(tmp_path: Path, old: str, new: str, path: str, needle: str, expected: str) -> None:
    spec, text = variant(tmp_path, (old, new))
    problem = one_error(spec, "unknown-reference")
    assert problem.path == path
    assert (problem.line, problem.column) == at(text, needle)
    assert problem.expected == expected


def test_logo_file_missing_and_present(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  history:\n", "  branding:\n    logo: images/logo.png\n  history:\n"))
    problem = one_error(path, "missing-file")
    assert problem.path == "agreement.branding.logo"
    assert (problem.line, problem.column) == at(text, "logo: images")
    assert problem.given == "images/logo.png"
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    clean(path)


# ------------------------------------------------------------------ percentages


@pytest.mark.parametrize("target", ["0%", "100.5%", "-1%"])
def test_availability_target_out_of_range(tmp_path: Path, target: str) -> None:
    path, text = variant(tmp_path, NO_CREDITS, ("      target: 99.9%", f"      target: {target}"))
    problem = one_error(path, "out-of-range")
    assert problem.path == "services[0].availability.target"
    assert (problem.line, problem.column) == at(text, f"target: {target}")
    assert (problem.given, problem.expected) == (target.replace(".0", ""), "a percentage in (0, 100]")


@pytest.mark.parametrize("target", ["0.01%", "99.999%"])
def test_availability_target_in_range(tmp_path: Path, target: str) -> None:
    clean(variant(tmp_path, NO_CREDITS, ("      target: 99.9%", f"      target: {target}"))[0])


def test_a_100_percent_target_is_a_warning(tmp_path: Path) -> None:
    path, text = variant(tmp_path, NO_CREDITS, ("      target: 99.9%", "      target: 100%"))
    warning = one_warning(path, "target-100")
    assert (warning.line, warning.column) == at(text, "target: 100%")


@pytest.mark.parametrize(("attainment", "ok"), [("0%", False), ("101%", False), ("100%", True), ("90%", True)])
def test_attainment_range(tmp_path: Path, attainment: str, ok: bool) -> None:
    path, text = variant(
        tmp_path, ("      resolution: 4h\n", f"      resolution: 4h\n      attainment: {attainment}\n")
    )
    if ok:
        clean(path)
        return
    problem = one_error(path, "out-of-range")
    assert problem.path == "responsiveness.severities[0].attainment"
    assert (problem.line, problem.column) == at(text, "attainment:")


def test_a_band_bound_outside_0_to_100(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.5%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{at_least: -1%, below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "out-of-range")
    assert problem.path == "service_credits.bands[2].at_least"
    assert (problem.line, problem.column) == at(text, "at_least: -1%")


def test_a_band_that_credits_nothing(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.5%, below: 99.9%, credit: 0%}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "out-of-range")
    assert problem.path == "service_credits.bands[0].credit"
    assert (problem.line, problem.column) == at(text, "credit: 0%")


def test_a_credit_above_the_whole_fee_is_a_warning(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.5%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 150%}",
    )
    warning = one_warning(path, "credit-above-fee")
    assert warning.path == "service_credits.bands[2].credit"
    assert (warning.line, warning.column) == at(text, "credit: 150%")


# ------------------------------------------------------------------ credit bands


def test_bands_with_mixed_bounds_that_meet_exactly_pass(tmp_path: Path) -> None:
    clean(
        bands(
            tmp_path,
            "{above: 99.5%, below: 99.9%, credit: 5%}",
            "{above: 99.0%, at_most: 99.5%, credit: 10%}",
            "{at_least: 95.0%, at_most: 99.0%, credit: 20%}",
            "{below: 95.0%, credit: 35%}",
        )[0]
    )


def test_bands_may_be_listed_in_any_order(tmp_path: Path) -> None:
    clean(
        bands(
            tmp_path,
            "{below: 99.0%, credit: 25%}",
            "{at_least: 99.5%, below: 99.9%, credit: 5%}",
            "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        )[0]
    )


def test_a_gap_where_two_exclusive_bounds_meet(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{above: 99.5%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "credit-gap")
    assert problem.path == "service_credits.bands[0]"
    assert (problem.line, problem.column) == at(text, "{above: 99.5%")
    assert "between band 2 (below 99.5%) and band 1 (above 99.5%)" in problem.message


def test_a_gap_between_two_bands(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.6%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "credit-gap")
    assert (problem.line, problem.column) == at(text, "{at_least: 99.6%")
    assert problem.given == "99.5% .. 99.6%"


def test_an_overlap_where_two_inclusive_bounds_meet(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.5%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, at_most: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "credit-overlap")
    assert problem.path == "service_credits.bands[0]"
    assert (problem.line, problem.column) == at(text, "{at_least: 99.5%")
    assert "at most 99.5% and at least 99.5% both contain 99.5%" in problem.message


def test_an_overlap_of_two_ranges(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.4%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "credit-overlap")
    assert (problem.line, problem.column) == at(text, "{at_least: 99.4%")


def test_a_gap_at_the_bottom(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.5%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{at_least: 95.0%, below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "credit-gap")
    assert problem.path == "service_credits.bands[2]"
    assert (problem.line, problem.column) == at(text, "{at_least: 95.0%")
    assert "from 0% up to below 95%" in problem.message


@pytest.mark.parametrize("top", ["at_most: 99.9%", "below: 99.95%", "at_most: 100%"])
def test_a_top_band_that_reaches_the_target_is_an_error(tmp_path: Path, top: str) -> None:
    path, text = bands(
        tmp_path,
        f"{{at_least: 99.5%, {top}, credit: 5%}}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "credit-above-target")
    assert problem.path == "service_credits.bands[0]"
    assert (problem.line, problem.column) == at(text, "{at_least: 99.5%")
    assert "service 'gateway' would earn a credit while meeting its 99.9% target" in problem.message


@pytest.mark.parametrize("top", ["below: 99.8%", "at_most: 99.8%"])
def test_a_top_band_below_the_target_is_a_warning(tmp_path: Path, top: str) -> None:
    path, text = bands(
        tmp_path,
        f"{{at_least: 99.5%, {top}, credit: 5%}}",
        "{at_least: 99.0%, below: 99.5%, credit: 10%}",
        "{below: 99.0%, credit: 25%}",
    )
    warning = one_warning(path, "credit-gap-below-target")
    assert warning.path == "services[0].availability.target"
    assert (warning.line, warning.column) == at(text, "target: 99.9%")
    assert "misses the target of service 'gateway' but earns no credit" in warning.message


def test_credits_that_fall_as_availability_worsens(tmp_path: Path) -> None:
    path, text = bands(
        tmp_path,
        "{at_least: 99.5%, below: 99.9%, credit: 5%}",
        "{at_least: 99.0%, below: 99.5%, credit: 30%}",
        "{below: 99.0%, credit: 25%}",
    )
    problem = one_error(path, "credit-order")
    assert problem.path == "service_credits.bands[1].credit"
    assert (problem.line, problem.column) == at(text, "credit: 30%")
    assert "band 2 (at least 99%) credits 30% but the worse band 3 credits only 25%" in problem.message


# ------------------------------------------------------------------ severities


def test_a_p1_that_responds_slower_than_a_p2(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      response: 15m", "      response: 45m"))
    problem = one_error(path, "severity-order")
    assert problem.path == "responsiveness.severities[0].response"
    assert (problem.line, problem.column) == at(text, "response: 45m")
    assert (
        problem.message == "P1 is more severe than P2 but its response target is slower (45 minutes against 30 minutes)"
    )


def test_a_p1_that_resolves_slower_than_a_p2(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      resolution: 4h", "      resolution: 10h"))
    problem = one_error(path, "severity-order")
    assert problem.path == "responsiveness.severities[0].resolution"
    assert (problem.line, problem.column) == at(text, "resolution: 10h")


def test_a_response_target_longer_than_its_resolution(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      response: 30m", "      response: 9h"))
    problem = one_error(path, "response-after-resolution")
    assert problem.path == "responsiveness.severities[1].response"
    assert (problem.line, problem.column) == at(text, "response: 9h")
    assert problem.expected == "at most 8 hours"


def test_business_and_clock_targets_are_not_compared(tmp_path: Path) -> None:
    # 4h (clock) against 2 business hours would look slower; they count different time and are not compared
    clean(variant(tmp_path, ("      resolution: 8h", "      resolution: 2 business hours"))[0])


@pytest.mark.parametrize(("p2", "ok"), [("10 business hours", True), ("11 business hours", False)])
def test_a_business_day_is_as_long_as_the_calendar_says(tmp_path: Path, p2: str, ok: bool) -> None:
    # the office calendar runs 08:00-18:00: one business day is 10 business hours, not a fixed 8
    path, text = variant(
        tmp_path,
        ("      resolution: 8h", f"      resolution: {p2}"),
        ("resolution: 3 business days", "resolution: 1 business day"),
    )
    if ok:
        clean(path)
    else:
        problem = one_error(path, "severity-order")
        assert problem.path == "responsiveness.severities[1].resolution"
        assert (problem.line, problem.column) == at(text, f"resolution: {p2}")


def test_updates_less_often_than_the_resolution_deadline(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      update: 2h", "      update: 9h"))
    warning = one_warning(path, "update-after-resolution")
    assert warning.path == "responsiveness.severities[1].update"
    assert (warning.line, warning.column) == at(text, "update: 9h")


def test_the_most_severe_level_resolving_in_business_time(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      resolution: 4h", "      resolution: 4 business hours"))
    warning = one_warning(path, "business-time-critical")
    assert warning.path == "responsiveness.severities[0].resolution"
    assert (warning.line, warning.column) == at(text, "resolution: 4 business hours")


# ------------------------------------------------------------------ maintenance


def office_service(window: str, outside_prime_hours: bool) -> tuple[tuple[str, str], ...]:
    return (
        ("    hours: always\n    support_hours: office\n", "    hours: office\n"),
        ('          - days: [sun]\n            from: "02:00"\n            to: "04:00"', f"          - {window}"),
        ("        outside_prime_hours: false", f"        outside_prime_hours: {str(outside_prime_hours).lower()}"),
    )


def test_maintenance_in_prime_hours_when_it_must_stay_outside(tmp_path: Path) -> None:
    window = '{days: [sat, wed], from: "17:00", to: "20:00"}'
    path, text = variant(tmp_path, *office_service(window, outside_prime_hours=True))
    problem = one_error(path, "maintenance-in-prime-hours")
    assert problem.path == "services[0].availability.maintenance.windows[0]"
    assert (problem.line, problem.column) == at(text, window)
    assert "overlaps prime hours Monday to Friday 08:00" in problem.message


def test_maintenance_in_prime_hours_is_allowed_when_the_spec_says_so(tmp_path: Path) -> None:
    clean(variant(tmp_path, *office_service('{days: [wed], from: "17:00", to: "20:00"}', outside_prime_hours=False))[0])


@pytest.mark.parametrize(
    "window", ['{days: [sat, sun], from: "08:00", to: "18:00"}', '{days: [mon-fri], from: "06:00", to: "08:00"}']
)
def test_maintenance_outside_prime_hours_passes(tmp_path: Path, window: str) -> None:
    clean(variant(tmp_path, *office_service(window, outside_prime_hours=True))[0])


def test_a_24x7_service_has_no_hours_outside_prime_time(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("        outside_prime_hours: false", "        outside_prime_hours: true"))
    problem = one_error(path, "maintenance-in-prime-hours")
    assert (problem.line, problem.column) == at(text, "days: [sun]")
    assert "runs 24x7" in problem.message


# ------------------------------------------------------------------ reviewer warnings


def test_history_that_does_not_end_at_the_version(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ('  version: "1.1"\n', '  version: "1.2"\n'))
    warning = one_warning(path, "version-history")
    assert warning.path == "agreement.history"
    assert (warning.line, warning.column) == at(text, "history:")
    assert (warning.given, warning.expected) == ("1.1", "1.2")


def test_a_final_agreement_without_history(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  status: draft", "  status: final"), cut("  history:\n", "\nprovider:"))
    warning = one_warning(path, "version-history")
    assert warning.path == "agreement"
    assert (warning.line, warning.column) == at(text, "agreement:")


def test_no_escalation_path(tmp_path: Path) -> None:
    path, text = variant(tmp_path, cut("escalation:\n", "monitoring:\n"))
    warning = one_warning(path, "no-escalation")
    assert warning.path == "escalation"
    # the key is absent, so the warning points at the spec itself: its first key
    assert (warning.line, warning.column) == at(text, "slaforge: 1")


@pytest.mark.parametrize(("sole_remedy", "warned"), [(None, True), ("true", True), ("false", False)])
def test_sole_remedy_without_a_way_out(tmp_path: Path, sole_remedy: str | None, warned: bool) -> None:
    edits = [cut("  chronic_failure:\n", "\nresponsibilities:")]
    if sole_remedy is not None:
        method = "    method: in writing to the Service Level Manager\n"
        edits.append((method, f"{method}  sole_remedy: {sole_remedy}\n"))
    path, text = variant(tmp_path, *edits)
    if not warned:
        clean(path)
        return
    warning = one_warning(path, "sole-remedy")
    assert warning.path == "service_credits.sole_remedy"
    expected = at(text, "sole_remedy:") if sole_remedy else at(text, "service_credits:")
    assert (warning.line, warning.column) == expected


def test_uncapped_credits(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  caps:\n    per_window: 30%\n", ""))
    warning = one_warning(path, "uncapped-credits")
    assert warning.path == "service_credits.caps"
    assert (warning.line, warning.column) == at(text, "service_credits:")


def test_strict_makes_every_warning_an_error(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, cut("escalation:\n", "monitoring:\n"), ("  caps:\n    per_window: 30%\n", ""))
    assert {w.code for w in load_spec(path).warnings} == {"no-escalation", "uncapped-credits"}
    with pytest.raises(SpecError) as info:
        load_spec(path, strict=True)
    found = info.value.problems
    assert {p.code for p in found} == {"no-escalation", "uncapped-credits"}
    assert all(p.severity == "error" for p in found)
    assert [(p.line, p.column) for p in found] == sorted((p.line or 0, p.column or 0) for p in found)


def test_a_credit_amount_in_another_currency_than_the_fees_is_an_error(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      credit: 100 GBP\n", "      credit: 100 EUR\n"))
    problem = one_error(path, "currency-mismatch")
    assert (problem.line, problem.column) == at(text, "credit: 100 EUR")
    assert problem.path == "service_credits.per_event[0].credit"
    assert problem.message == "amount in EUR, but services[0].fee is in GBP"
    assert (problem.given, problem.expected) == ("EUR 100", "an amount in GBP, the currency of the agreement's fees")
