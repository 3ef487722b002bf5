"""Loading a spec: YAML, keys and types, located by file, line, column and dotted path; the models' own rules.

Each test writes a copy of ``tests/specs/minimal.yaml`` (which loads with no warnings) with one thing
changed, and finds the expected line and column by searching the text it wrote.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from slaforge.errors import Problem, SpecError
from slaforge.spec import LoadedSpec, load_spec
from slaforge.spec.models import CreditBand
from slaforge.spec.units import Duration, Money

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "specs" / "minimal.yaml"
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


def variant(tmp_path: Path, *edits: tuple[str, str], name: str = "spec.yaml") -> tuple[Path, str]:
    """The minimal spec with each ``(old, new)`` replaced (``old`` must occur exactly once)."""
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"expected exactly one {old!r} in {MINIMAL.name}"
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, text


def at(text: str, needle: str, after: str = "") -> tuple[int, int]:
    """1-based line and column of the first ``needle`` that follows ``after``."""
    index = text.index(needle, text.index(after) if after else 0)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def problems(path: Path, strict: bool = False) -> list[Problem]:
    with pytest.raises(SpecError) as info:
        load_spec(path, strict=strict)
    assert info.value.exit_code == 1
    return info.value.problems


def only(path: Path) -> Problem:
    found = problems(path)
    assert len(found) == 1, "\n".join(p.format() for p in found)
    return found[0]


# ------------------------------------------------------------------ files that load


def test_the_minimal_fixture_loads_typed_and_without_warnings() -> None:
    loaded = load_spec(MINIMAL)
    assert isinstance(loaded, LoadedSpec)
    assert loaded.warnings == ()
    service = loaded.spec.service("gateway")
    assert service.availability.target == Decimal("99.9")
    assert service.fee == Money(Decimal(4800), "GBP")
    assert loaded.spec.responsiveness.severities[2].response == Duration(Decimal(4), "hour", business=True)
    assert loaded.source.locate(("services", 0, "availability", "target")) == at(
        MINIMAL.read_text(encoding="utf-8"), "target: 99.9%"
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_every_sample_loads_without_warnings(sample: Path) -> None:
    loaded = load_spec(sample)
    assert [p.format() for p in loaded.warnings] == []


def test_unquoted_version_numbers_keep_their_digits(tmp_path: Path) -> None:
    # YAML reads 1.10 as the float 1.1; the loader keeps what was written
    path, _ = variant(
        tmp_path,
        ('  version: "1.1"\n', "  version: 1.10\n"),
        ('    - version: "1.1"\n', "    - version: 1.10\n"),
    )
    loaded = load_spec(path)
    assert loaded.spec.agreement.version == "1.10"
    assert loaded.spec.agreement.history[-1].version == "1.10"
    assert loaded.warnings == ()


def test_a_percentage_keeps_digits_a_float_cannot_hold(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, ("      target: 99.9%", "      target: 99.99999999999999999"))
    target = load_spec(path).spec.services[0].availability.target
    assert target == Decimal("99.99999999999999999")
    assert target < 100


# ------------------------------------------------------------------ YAML


def test_yaml_syntax_error_is_located(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        (
            "      definition: Payments are slow or one card scheme is declined.",
            "      definition: Payments are slow: one card scheme is declined.",
        ),
    )
    problem = only(path)
    assert (problem.file, problem.code) == (str(path), "yaml-syntax")
    assert (problem.line, problem.column) == at(text, ": one card scheme")
    assert "mapping values are not allowed here" in problem.message


def test_a_tab_in_the_indentation(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  title: Payment Gateway", "\ttitle: Payment Gateway"))
    problem = only(path)
    assert (problem.line, problem.column) == at(text, "\ttitle")
    assert "'\\t'" in problem.message


def test_an_unclosed_quote_says_where_it_was_opened(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      address: +44 191 496 0500", '      address: "+44 191 496 0500'))
    problem = only(path)
    line, column = at(text, '"+44')
    assert f"at line {line}, column {column}" in problem.message
    assert problem.code == "yaml-syntax"


def test_a_duplicate_key_is_an_error_at_the_second_one(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  effective: 2027-06-01\n", "  effective: 2027-06-01\n  effective: 2027-07-01\n"))
    problem = only(path)
    assert (problem.line, problem.column) == at(text, "effective: 2027-07-01")
    assert 'duplicate key "effective"' in problem.message


def test_an_impossible_date_is_located_at_its_field_not_a_traceback(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  effective: 2027-06-01", "  effective: 2027-02-30"))
    problem = only(path)
    assert problem.path == "agreement.effective"
    assert (problem.line, problem.column) == at(text, "effective: 2027-02-30")
    assert "'2027-02-30' is not a calendar date" in problem.message
    assert problem.expected == "a real calendar date, YYYY-MM-DD"


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace("Tomasz", "Tomás")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(SpecError) as info:
        load_spec(path)
    (problem,) = info.value.problems
    assert problem.file == str(path) and problem.message.startswith("not UTF-8 text: byte 0xe1")
    assert (problem.line, problem.column) == at(text, "á")  # the first Tomás: where the bad byte is


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "nowhere.yaml")
    assert info.value.message == f"{tmp_path / 'nowhere.yaml'}: no such file"
    assert info.value.exit_code == 1


@pytest.mark.parametrize(
    ("text", "given"),
    [("- agreement\n- services\n", "a list of 2 items"), ("just words\n", "'just words'"), ("", "an empty file")],
)
def test_a_document_that_is_not_a_mapping(tmp_path: Path, text: str, given: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    problem = only(path)
    assert problem.message == "the spec must be a YAML mapping of keys to values"
    assert problem.given == given


# ------------------------------------------------------------------ keys and types


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("      target: 99.9%", "      targt: 99.9%"))
    found = problems(path)
    unknown = [p for p in found if p.code == "unknown-key"]
    assert len(unknown) == 1
    problem = unknown[0]
    assert problem.path == "services[0].availability.targt"
    assert problem.message == "unknown key 'targt'; did you mean 'target'?"
    assert (problem.line, problem.column) == at(text, "targt")
    assert "target" in (problem.expected or "")
    # 'target' is required, so its absence is reported too, at the parent
    missing = [p for p in found if p.code == "missing"]
    assert [p.path for p in missing] == ["services[0].availability.target"]
    assert (missing[0].line, missing[0].column) == at(text, "availability:")


def test_unknown_key_without_a_close_match_lists_the_valid_ones(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  effective: 2027-06-01\n", "  effective: 2027-06-01\n  flavour: vanilla\n"))
    problem = only(path)
    assert problem.message == "unknown key 'flavour'"
    assert (problem.line, problem.column) == at(text, "flavour")
    assert "effective" in (problem.expected or "") and "governing_law" in (problem.expected or "")


def test_unknown_key_inside_a_flow_mapping(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("{at_least: 99.0%, below: 99.5%, credit: 10%}", "{at_least: 99.0%, below: 99.5%, credit: 10%, cap: 5%}"),
    )
    found = problems(path)
    assert [(p.path, p.line, p.column) for p in found] == [("service_credits.bands[1].cap", *at(text, "cap: 5%"))]


def test_unknown_key_uses_the_alias_the_user_writes(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, ('            from: "02:00"', '            form: "02:00"'))
    found = problems(path)
    by_code = {p.code: p for p in found}
    assert by_code["unknown-key"].message == "unknown key 'form'; did you mean 'from'?"
    assert by_code["missing"].path == "services[0].availability.maintenance.windows[0].from"
    assert by_code["missing"].expected == "HH:MM"


@pytest.mark.parametrize(
    ("old", "new", "key", "path", "expected", "message"),
    [
        ("    fee: 4800 GBP", "    fee: 4800", "fee", "services[0].fee", None, "4800 has no currency"),
        (
            "        outside_prime_hours: false",
            "        outside_prime_hours: sometimes",
            "outside_prime_hours",
            "services[0].availability.maintenance.outside_prime_hours",
            "true or false",
            "valid boolean",
        ),
        (
            "    out_of: 3",
            "    out_of: three",
            "out_of",
            "service_credits.chronic_failure.out_of",
            "a whole number",
            "valid integer",
        ),
        (
            "      window: calendar-month",
            "      window: monthly",
            "window",
            "services[0].availability.window",
            "'calendar-month', '30-days', 'calendar-quarter', 'fiscal-quarter' or 'rolling-year'",
            "'monthly' is not one of the choices",
        ),
        (
            "  delivery: [email]",
            "  delivery: email",
            "delivery",
            "reporting.delivery",
            "a list (one '- item' per line, or [a, b])",
            "valid list",
        ),
        (
            "      resolution: 8h",
            "      resolution: by tomorrow",
            "resolution: by",
            "responsiveness.severities[1].resolution",
            None,
            "expected a duration",
        ),
    ],
)
def test_wrong_type_names_what_was_given_and_expected(
    tmp_path: Path, old: str, new: str, key: str, path: str, expected: str | None, message: str
) -> None:
    spec, text = variant(tmp_path, (old, new))
    problem = only(spec)
    assert problem.path == path
    assert (problem.line, problem.column) == at(text, key, after=new)
    assert problem.given is not None and problem.given.strip("'") == new.split(": ", 1)[1]
    if expected is not None:
        assert problem.expected == expected
    assert message in problem.message


def test_missing_required_key_is_located_at_its_parent(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("    address: Unit 9, Kendal Business Park, Kendal LA9 6NH, United Kingdom\n", ""))
    problem = only(path)
    assert (problem.path, problem.code) == ("customers[0].address", "missing")
    assert problem.message == "required key 'address' is missing"
    assert (problem.line, problem.column) == at(text, "id: fellside")


def test_missing_required_key_names_what_it_is_for(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  due: 5 business days\n", ""))
    problem = only(path)
    assert problem.path == "reporting.due"
    assert (problem.line, problem.column) == at(text, "reporting:", after="monitoring:")
    assert problem.expected == "How long after the period ends the report is due"


def test_every_problem_at_once_in_file_order(tmp_path: Path) -> None:
    # made in reverse file order: the report must still come out sorted
    path, text = variant(
        tmp_path,
        ("    out_of: 3", "    out_of: lots"),
        ("      response: 30m", "      response: quickly"),
        ("  title: Payment Gateway", "  titel: Payment Gateway"),
    )
    with pytest.raises(SpecError) as info:
        load_spec(path)
    found = info.value.problems
    expected = [
        ("agreement.title", at(text, "agreement:")),
        ("agreement.titel", at(text, "titel")),
        ("responsiveness.severities[1].response", at(text, "response: quickly")),
        ("service_credits.chronic_failure.out_of", at(text, "out_of: lots")),
    ]
    assert [(p.path, (p.line, p.column)) for p in found] == expected
    assert info.value.message == "4 problems found; nothing was written"
    assert all(p.file == str(path) and p.severity == "error" for p in found)


# ------------------------------------------------------------------ the models' own rules


def test_a_window_that_ends_before_it_starts(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ('            to: "04:00"', '            to: "01:30"'))
    problem = only(path)
    assert problem.path == "services[0].availability.maintenance.windows[0]"
    assert (problem.line, problem.column) == at(text, "days: [sun]")
    assert "from 02:00 to 01:30 ends before it starts" in problem.message
    assert "from 02:00 to 24:00 and from 00:00 to 01:30" in problem.message


def test_an_empty_window(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, ('            to: "04:00"', '            to: "02:00"'))
    assert "is empty" in only(path).message


@pytest.mark.parametrize(("end", "ok"), [("24:00", True), ("23:59", True), ("24:30", False), ("25:00", False)])
def test_a_window_may_end_at_midnight_but_not_after(tmp_path: Path, end: str, ok: bool) -> None:
    path, _ = variant(tmp_path, ('        to: "18:00"', f'        to: "{end}"'))
    if ok:
        assert load_spec(path).spec.service_hours["office"].prime[0].end == end
    else:
        assert only(path).path == "service_hours.office.prime[0].to"


@pytest.mark.parametrize(
    ("days", "expanded"),
    [
        ("[mon-fri]", ["mon", "tue", "wed", "thu", "fri"]),
        ("mon-wed", ["mon", "tue", "wed"]),
        ("[fri-mon]", ["fri", "sat", "sun", "mon"]),
        ("[mon, wed-thu, sat]", ["mon", "wed", "thu", "sat"]),
    ],
)
def test_day_ranges_expand(tmp_path: Path, days: str, expanded: list[str]) -> None:
    path, _ = variant(tmp_path, ("      - days: [mon-fri]", f"      - days: {days}"))
    assert load_spec(path).spec.service_hours["office"].prime[0].days == expanded


@pytest.mark.parametrize("days", ["[mon-fri, funday]", "[mon-fri, mon-funday]", "[weekdays]", "[mon-fri, 3]"])
def test_an_unknown_day_is_named_and_located(tmp_path: Path, days: str) -> None:
    # not as days[5]: after mon-fri has expanded, an index no longer matches what the user wrote
    path, text = variant(tmp_path, ("      - days: [mon-fri]", f"      - days: {days}"))
    problem = only(path)
    assert problem.path == "service_hours.office.prime[0].days"
    assert (problem.line, problem.column) == at(text, f"days: {days}")
    assert "expected mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri" in problem.message


def test_unknown_time_zone(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path, ("    timezone: Europe/London\n    prime:", "    timezone: Europe/Londn\n    prime:")
    )
    problem = only(path)
    assert problem.path == "service_hours.office.timezone"
    assert (problem.line, problem.column) == at(text, "timezone: Europe/Londn")
    assert "unknown time zone 'Europe/Londn'" in problem.message


def test_hours_need_24x7_or_a_prime_window(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("    always: true\n", ""))
    problem = only(path)
    assert problem.path == "service_hours.always"
    assert (problem.line, problem.column) == at(text, "always:", after="service_hours:")
    assert "set 'always: true' for 24x7, give at least one 'prime' window, or give 'spans'" in problem.message


@pytest.mark.parametrize(
    ("kind", "parameter", "value"),
    [
        ("error-rate", "error_rate_threshold", "5%"),
        ("contiguous", "minimum_period", "5m"),
        ("failed-requests", "failed_request_ratio", "1%"),
    ],
)
def test_a_downtime_kind_needs_its_parameter(tmp_path: Path, kind: str, parameter: str, value: str) -> None:
    without, _ = variant(tmp_path, ("        kind: no-service-minutes", f"        kind: {kind}"), name="without.yaml")
    problem = only(without)
    assert problem.path == "services[0].availability.downtime"
    assert f"kind {kind} needs '{parameter}'" in problem.message
    with_it, _ = variant(
        tmp_path,
        ("        kind: no-service-minutes", f"        kind: {kind}\n        {parameter}: {value}"),
        name="with.yaml",
    )
    assert load_spec(with_it).spec.services[0].availability.downtime.kind.value == kind


def test_a_fiscal_quarter_needs_the_start_of_the_fiscal_year(tmp_path: Path) -> None:
    without, text = variant(tmp_path, ("      window: calendar-month", "      window: fiscal-quarter"), name="a.yaml")
    problem = only(without)
    assert problem.path == "services[0].availability"
    assert (problem.line, problem.column) == at(text, "availability:")
    assert "fiscal_year_start" in problem.message
    with_it, _ = variant(
        tmp_path,
        ("      window: calendar-month", '      window: fiscal-quarter\n      fiscal_year_start: "04-01"'),
        name="b.yaml",
    )
    assert load_spec(with_it).spec.services[0].availability.fiscal_year_start == "04-01"


@pytest.mark.parametrize("day", ["02-30", "02-29", "13-01", "4-1"])
def test_the_fiscal_year_starts_on_a_day_every_year_has(tmp_path: Path, day: str) -> None:
    path, _ = variant(
        tmp_path, ("      window: calendar-month", f'      window: fiscal-quarter\n      fiscal_year_start: "{day}"')
    )
    assert only(path).path == "services[0].availability.fiscal_year_start"


@pytest.mark.parametrize(
    ("band", "message"),
    [
        ("{at_least: 99.0%, above: 99.0%, below: 99.5%, credit: 10%}", "either 'at_least' (inclusive) or 'above'"),
        ("{at_least: 99.0%, credit: 10%}", "exactly one upper bound"),
        ("{at_least: 99.0%, below: 99.5%, at_most: 99.5%, credit: 10%}", "exactly one upper bound"),
        ("{at_least: 99.5%, below: 99.0%, credit: 10%}", "lower bound 99.5% is not below its upper bound 99%"),
        ("{above: 99.5%, at_most: 99.5%, credit: 10%}", "lower bound 99.5% is not below"),
        ("{at_least: 99.0%, below: 99.5%}", "required key 'credit' is missing"),
    ],
)
def test_credit_band_bounds(tmp_path: Path, band: str, message: str) -> None:
    path, text = variant(tmp_path, ("{at_least: 99.0%, below: 99.5%, credit: 10%}", band))
    problem = only(path)
    assert problem.path is not None and problem.path.startswith("service_credits.bands[1]")
    assert (problem.line, problem.column) == at(text, band)
    assert message in problem.message


def test_a_credit_band_knows_which_bounds_it_includes() -> None:
    band = CreditBand.model_validate({"above": "99.0%", "at_most": "99.5%", "credit": "10%"})
    assert [band.contains(Decimal(v)) for v in ("99.0", "99.0001", "99.5", "99.5001")] == [False, True, True, False]
    lowest = CreditBand.model_validate({"below": "95%", "credit": "30%"})
    assert (lowest.lower, lowest.lower_inclusive) == (0, True)
    assert lowest.contains(Decimal(0)) and not lowest.contains(Decimal(95))
    point = CreditBand.model_validate({"at_least": "99%", "at_most": "99%", "credit": "10%"})
    assert point.contains(Decimal(99))


@pytest.mark.parametrize(
    ("credit", "message"),
    [
        ("      credit: 100 GBP\n      credit_percent: 2%\n", "exactly one of 'credit' (money) or 'credit_percent'"),
        ("", "exactly one of 'credit' (money) or 'credit_percent'"),
        ("      credit_percent: 2%\n", None),
    ],
)
def test_a_per_event_credit_is_money_or_a_percentage(tmp_path: Path, credit: str, message: str | None) -> None:
    path, text = variant(tmp_path, ("      credit: 100 GBP\n", credit))
    if message is None:
        assert load_spec(path).spec.service_credits.per_event[0].credit_percent == Decimal(2)  # type: ignore[union-attr]
        return
    problem = only(path)
    assert problem.path == "service_credits.per_event[0]"
    assert (problem.line, problem.column) == at(text, "event: missed-response")
    assert message in problem.message


def test_chronic_failure_cannot_need_more_failures_than_windows(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("    failed_periods: 2", "    failed_periods: 4"))
    problem = only(path)
    assert problem.path == "service_credits.chronic_failure"
    assert (problem.line, problem.column) == at(text, "chronic_failure:")
    assert problem.message == "4 failed windows cannot occur in only 3"


def test_service_credits_need_some_credit(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    bands = text[text.index("  bands:\n") : text.index("  caps:\n")]
    path, written = variant(tmp_path, (bands, ""))
    problem = only(path)
    assert problem.path == "service_credits"
    assert (problem.line, problem.column) == at(written, "service_credits:")
    assert "give credit 'bands', a 'downtime_multiple' or 'per_event' credits" in problem.message


def test_a_downtime_multiple_alone_is_enough(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    bands = text[text.index("  bands:\n") : text.index("  caps:\n")]
    path, _ = variant(tmp_path, (bands, "  downtime_multiple: 10\n"))
    assert load_spec(path).spec.service_credits.downtime_multiple == 10  # type: ignore[union-attr]


@pytest.mark.parametrize("version", ['"v1.1"', '"1.1-beta"', '"1.1.1.1"'])
def test_the_agreement_version_is_numeric(tmp_path: Path, version: str) -> None:
    path, _ = variant(tmp_path, ('  version: "1.1"\n', f"  version: {version}\n"))
    problem = only(path)
    assert problem.path == "agreement.version"
    assert problem.code == "string_pattern_mismatch"
