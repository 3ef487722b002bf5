"""The questions ``slaforge calc`` answers, as data (for --json) and as text.

Each ``*_answer`` function returns a plain dict, and its ``*_text`` function prints
it for a person.  Inputs are validated here and refused with :class:`InvalidArgument`
(a value that names nothing or is out of range), :class:`UsageError` (a window
outside the choices) or :class:`SpecError`, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slaforge.arithmetic.business_time import due_times
from slaforge.arithmetic.calendars import holiday_list_end, maintenance_seconds, seconds_within, support_calendar
from slaforge.arithmetic.credits import compute_credit, parse_events
from slaforge.arithmetic.downtime import SECONDS_PER_DAY, WINDOW_DAYS, allowed_downtime_seconds, format_seconds
from slaforge.arithmetic.periods import Period, first_window_start, parse_period, period_for, year_problem
from slaforge.arithmetic.several import other_credits, parse_others, under_rule
from slaforge.errors import InvalidArgument, UsageError
from slaforge.spec.loader import LoadedSpec, load_spec
from slaforge.spec.models import Commitment, Service, Window
from slaforge.spec.objectives import credit_table, placed
from slaforge.spec.units import Money, Pct, parse_money, parse_percent
from slaforge.text import format_decimal, long_date

# how a command reads the spec it names: a spec file by default; the command line passes one that
# also reads a portfolio's document (``--document``)
Loader = Callable[[Path], LoadedSpec]

WINDOW_ALIASES = {
    "calendar-month": Window.calendar_month,
    "month": Window.calendar_month,
    "30d": Window.fixed_30_days,
    "30-days": Window.fixed_30_days,
    "quarter": Window.calendar_quarter,
    "calendar-quarter": Window.calendar_quarter,
    "fiscal-quarter": Window.fiscal_quarter,
    "year": Window.rolling_year,
    "rolling-year": Window.rolling_year,
}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _percent(text: str, what: str) -> Pct:
    try:
        value = parse_percent(text)
    except ValueError:
        raise InvalidArgument(f"{what} {text!r} is not a percentage such as 99.95 or 99.95%") from None
    if not Decimal(0) <= value <= Decimal(100):
        raise InvalidArgument(f"{what} {text!r} is outside 0..100%")
    return value


def _window(text: str) -> Window:
    try:
        return WINDOW_ALIASES[text]
    except KeyError:
        raise UsageError(f"unknown window {text!r}: expected one of {', '.join(WINDOW_ALIASES)}") from None


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise InvalidArgument(f"--period {exc}") from None


def _service(loaded: LoadedSpec, service_id: str | None) -> Service:
    services = loaded.spec.services
    if service_id is None:
        if len(services) == 1:
            return services[0]
        raise InvalidArgument(
            f"{loaded.path} has several services; name one with --service: " + ", ".join(s.id for s in services)
        )
    try:
        return loaded.spec.service(service_id)
    except KeyError:
        raise InvalidArgument(
            f"no service {service_id!r} in {loaded.path}; it has: " + ", ".join(s.id for s in services)
        ) from None


def _commitment(loaded: LoadedSpec, service: Service, commitment_id: str | None) -> Commitment:
    commitments = service.all_commitments
    if commitment_id is None:
        if len(commitments) == 1:
            return commitments[0]
        raise InvalidArgument(
            f"service {service.id!r} makes several commitments; name one with --commitment: "
            + ", ".join(c.id for c in commitments)
        )
    found = next((c for c in commitments if c.id == commitment_id), None)
    if found is None:
        raise InvalidArgument(
            f"service {service.id!r} in {loaded.path} has no commitment {commitment_id!r}; it has: "
            + ", ".join(c.id for c in commitments)
        )
    return found


def _named(service: Service, commitment: Commitment) -> dict[str, str]:
    """The commitment's id, for an answer about a service that makes several."""
    return {"commitment": commitment.id} if len(service.all_commitments) > 1 else {}


def hms(seconds: Decimal) -> str:
    return format_seconds(seconds)


# ------------------------------------------------------------------ downtime


def _window_of(period: Period) -> Window | None:
    """The window kind ``period`` is one of, when it is one: a month, a quarter, a calendar year."""
    for window in (Window.calendar_month, Window.calendar_quarter, Window.rolling_year):
        window_period = period_for(window, period.start)
        if (window_period.start, window_period.end) == (period.start, period.end):
            return window
    return None


def _window_for(window_text: str | None, period: Period | None, period_text: str | None) -> Window | None:
    """The window the answer is about: ``--window`` (which must fit ``--period``), else the period's own kind."""
    if window_text is None:
        return _window_of(period) if period is not None else None
    window = _window(window_text)
    if period is not None:
        fitting = period_for(window, period.start)
        if (fitting.start, fitting.end) != (period.start, period.end):
            raise InvalidArgument(
                f"--period {period_text} is {period.label}, which is not a {window.value} window; "
                "leave out --window to take the period as it is, or give a period of that window"
            )
    return window


def downtime_answer(
    target_text: str, window_text: str | None, period_text: str | None, hours: str | None, load: Loader = load_spec
) -> dict[str, Any]:
    """What ``target_text`` allows: over ``--period`` (a window of its own kind unless ``--window`` says which),
    over a window of ``--window``, or over the window of the commitment named by ``--hours``."""
    target = _percent(target_text, "target")
    period = _period(period_text) if period_text else None
    window = _window_for(window_text, period, period_text)
    answer: dict[str, Any] = {"target": str(target), "window": window.value if window else None}
    if hours:
        spec_path, _, named = hours.partition("#")
        service_id, _, commitment_id = named.partition(".")
        loaded = load(Path(spec_path))
        service = _service(loaded, service_id or None)
        commitment = _commitment(loaded, service, commitment_id or None)
        calendar = loaded.spec.service_hours[service.hours]
        if period is None:
            window = window or commitment.window
            answer["window"] = window.value
            period = period_for(window, first_window_start(loaded.spec, window, commitment.fiscal_year_start))
        base = seconds_within(calendar, period.dates())
        maintenance = commitment.maintenance
        excluded = maintenance_seconds(calendar, maintenance.windows, period.dates()) if maintenance else Decimal(0)
        answer.update(
            {
                "service": service.id,
                **_named(service, commitment),
                "hours": calendar.name,
                "timezone": calendar.timezone,
                "service_seconds": _number(base),
                "maintenance_seconds": _number(excluded),
            }
        )
        measured = base - excluded
    elif period is not None:
        measured = Decimal(period.days * SECONDS_PER_DAY)
    else:
        window = window or Window.calendar_month
        answer["window"] = window.value
        days = WINDOW_DAYS[window]
        answer["per_length"] = [
            {"days": d, "allowed_seconds": _number(allowed_downtime_seconds(target, d * SECONDS_PER_DAY))} for d in days
        ]
        measured = Decimal(days[0] * SECONDS_PER_DAY)
    if period is not None:
        answer.update(
            {
                "period": period.label,
                "period_start": period.start.isoformat(),
                "period_end": (period.end - dt.timedelta(days=1)).isoformat(),
                "days": period.days,
            }
        )
    allowed = allowed_downtime_seconds(target, measured)
    answer.update(
        {
            "measured_seconds": _number(measured),
            "allowed_seconds": _number(allowed),
            "allowed_minutes": _number(allowed / 60),
            "allowed": hms(allowed),
        }
    )
    return answer


def downtime_text(answer: dict[str, Any]) -> str:
    over = f"a {answer['window']} window" if answer["window"] else "the period"
    lines = [f"target {answer['target']} over {over}"]
    if "period" in answer:
        lines.append(
            f"period: {answer['period']} ({answer['period_start']} to {answer['period_end']}, {answer['days']} days)"
        )
    if "service" in answer:
        lines.append(
            f"counting only {answer['hours']} of service {answer['service']} ({answer['timezone']}): "
            f"{hms(Decimal(str(answer['service_seconds'])))} of service time, minus "
            f"{hms(Decimal(str(answer['maintenance_seconds'])))} of scheduled maintenance"
        )
    for row in answer.get("per_length", []):
        seconds = Decimal(str(row["allowed_seconds"]))
        lines.append(f"  a {row['days']}-day window allows {format_decimal(seconds / 60)} minutes ({hms(seconds)})")
    lines.append(
        f"allowed downtime: {format_decimal(Decimal(str(answer['allowed_minutes'])))} minutes ({answer['allowed']})"
    )
    return "\n".join(lines)


# ------------------------------------------------------------------ deadlines


def deadline_answer(
    spec_path: Path,
    service_id: str | None,
    severity_id: str,
    reported: str,
    site: str | None = None,
    load: Loader = load_spec,
) -> dict[str, Any]:
    loaded = load(spec_path)
    spec = loaded.spec
    service = _service(loaded, service_id)
    level = next((s for s in spec.severities if s.id == severity_id), None)
    if level is None:
        if spec.responsiveness is None:
            raise InvalidArgument(
                f"no severity {severity_id!r}: {loaded.path} sets no support targets (it has no 'responsiveness')"
            )
        raise InvalidArgument(f"no severity {severity_id!r}; the spec has: " + ", ".join(s.id for s in spec.severities))
    if site is not None and site not in {s.id for s in spec.sites}:
        known = ", ".join(s.id for s in spec.sites) or "none (the agreement lists no sites)"
        raise InvalidArgument(f"--site {site!r}: no site of that id in {loaded.path}; it has: {known}")
    calendar = support_calendar(spec, service, site)
    zone = ZoneInfo(calendar.timezone)
    try:
        when = dt.datetime.fromisoformat(reported)
    except ValueError:
        raise InvalidArgument(f"--reported {reported!r} is not a date and time such as 2027-03-05T16:45") from None
    if (outside := year_problem(when)) is not None:
        raise InvalidArgument(f"--reported {reported!r}: {outside}; expected a date and time within them")
    when = when.astimezone(zone) if when.tzinfo else when.replace(tzinfo=zone)
    answer: dict[str, Any] = {
        "service": service.id,
        "severity": level.id,
        **({"site": site} if site is not None else {}),
        "calendar": calendar.name,
        "timezone": calendar.timezone,
        "reported": when.isoformat(),
        "targets": {},
    }
    dues = due_times(level, calendar, when)
    for target, due in dues.items():
        duration = getattr(level, target)
        answer["targets"][target] = {
            "target": str(duration),
            "basis": "business" if duration.business else "clock",
            "due": due.isoformat(),
            "due_text": f"{due:%A %d %B %Y %H:%M %Z}",
        }
    latest = max(dues.values()).date()
    list_end = holiday_list_end(calendar, latest)
    answer["warnings"] = (
        [
            f"the holidays listed for {calendar.name} end on {long_date(list_end)}; {long_date(latest)} lies "
            "after them, so no day after the list is counted as a holiday"
        ]
        if list_end
        else []
    )
    return answer


def deadline_text(answer: dict[str, Any]) -> str:
    lines = [
        f"{answer['severity']} for service {answer['service']}"
        + (f" at site {answer['site']}" if "site" in answer else "")
        + f", reported {answer['reported']} "
        f"({answer['timezone']}); business time counts in {answer['calendar']}"
    ]
    labels = {"response": "response due", "update": "first update due", "resolution": "resolution due"}
    for target, row in answer["targets"].items():
        lines.append(f"  {labels[target]:<17} {row['due_text']}  ({row['target']}, {row['basis']} time)")
    lines.extend(f"warning: {warning}" for warning in answer["warnings"])
    return "\n".join(lines)


# ------------------------------------------------------------------ credits


def credit_answer(
    spec_path: Path,
    service_id: str | None,
    commitment_id: str | None,
    uptime: str,
    fee_text: str | None,
    period_text: str | None,
    events: list[str],
    history: list[str],
    load: Loader = load_spec,
    others_given: list[str] | None = None,
) -> dict[str, Any]:
    loaded = load(spec_path)
    spec = loaded.spec
    service = _service(loaded, service_id)
    commitment = _commitment(loaded, service, commitment_id)
    credits = spec.service_credits
    if credits is None:
        raise InvalidArgument(f"{spec_path} has no service credits")
    availability = _percent(uptime, "--uptime")
    try:
        fee: Money | None = parse_money(fee_text) if fee_text else (service.fee or credits.fee)
    except ValueError as exc:
        raise InvalidArgument(f"--fee {fee_text!r}: {exc}") from None
    if fee is None:
        raise InvalidArgument("the spec sets no fee for this service: give one with --fee, e.g. --fee '12000 EUR'")
    amounts = (service.fee, credits.fee, credits.minimum_payable, credits.caps.per_year_amount)
    agreed = {m.currency for m in (*amounts, *(e.credit for e in credits.per_event)) if m is not None}
    if agreed and fee.currency not in agreed:
        raise InvalidArgument(
            f"--fee {fee_text!r}: the agreement's amounts are in {', '.join(sorted(agreed))}; "
            "give the fee in that currency"
        )
    window = commitment.window
    if period_text:
        period = _period(period_text)
    else:  # the agreement's first window, and the answer says so
        period = period_for(window, first_window_start(spec, window, commitment.fiscal_year_start))
    try:
        parsed_events = parse_events(events)
    except ValueError as exc:
        raise InvalidArgument(f"--event {exc}") from None
    past = [_percent(h, "--history") for h in history]
    others = parse_others(others_given or [], service, commitment)
    table, _ = credit_table(spec, placed(spec, service.id, commitment.id))
    result = compute_credit(
        credits,
        table,
        commitment.target,
        availability,
        fee,
        Decimal(period.days * SECONDS_PER_DAY),
        parsed_events,
        past,
    )
    seconds = Decimal(period.days * SECONDS_PER_DAY)
    rule = under_rule(spec, commitment, result, other_credits(spec, service, others, fee, seconds))
    if not rule["paid"]:
        result = replace(result, payable=Money(Decimal("0.00"), result.payable.currency))
    chronic = result.chronic
    return {
        "service": service.id,
        **_named(service, commitment),
        "period": period.label,
        "period_given": period_text is not None,
        "window": window.value,
        "availability": str(result.availability),
        "target": str(result.target),
        "met": result.met,
        "fee": str(result.fee),
        "band": result.band,
        "band_bounds": result.band_bounds,
        "band_credit_percent": _number(result.band_percent),
        "band_credit": str(result.band_amount),
        "downtime": hms(result.downtime_seconds),
        "downtime_multiple_credit": str(result.downtime_amount),
        "per_event": [
            {"event": e.event, "severity": e.severity, "count": e.count, "each": e.each, "amount": str(e.amount)}
            for e in result.events
        ],
        "gross_credit": str(result.gross),
        "cap": str(result.cap) if result.cap else None,
        "after_cap": str(result.after_cap),
        "minimum_payable": str(result.minimum) if result.minimum else None,
        "credit_amount": str(result.payable),
        "credit_amount_value": _number(result.payable.amount),
        "currency": result.payable.currency,
        "credit_percent": _number(result.credit_percent),
        "notes": [*result.notes, *rule.pop("rule_notes")],
        **rule,
        "chronic_failure": None
        if chronic is None
        else {
            "failed": chronic.failed,
            "needed": chronic.needed,
            "out_of": chronic.out_of,
            "reached": chronic.reached,
        },
    }


def credit_text(answer: dict[str, Any]) -> str:
    lines = [
        f"service {answer['service']}, "
        + (f"commitment {answer['commitment']}, " if "commitment" in answer else "")
        + f"{answer['period']}: availability {answer['availability']} against "
        f"a target of {answer['target']} ({'met' if answer['met'] else 'missed'}); fee {answer['fee']}"
    ]
    if not answer["period_given"]:
        lines.append(f"  {answer['period']}: the agreement's first {answer['window']} window (no --period was given)")
    if answer["band"]:
        lines.append(
            f"  band hit: {answer['band']} ({answer['band_bounds']}) -> {answer['band_credit_percent']}% "
            f"= {answer['band_credit']}"
        )
    if answer["downtime_multiple_credit"] and not answer["downtime_multiple_credit"].endswith(" 0"):
        lines.append(
            f"  downtime-multiple credit: {answer['downtime_multiple_credit']} (downtime {answer['downtime']})"
        )
    for event in answer["per_event"]:
        lines.append(
            f"  {event['event']} {event['severity'] or ''} x{event['count']} at {event['each']}: {event['amount']}"
        )
    lines.append(f"  credit before cap: {answer['gross_credit']}")
    if answer["cap"]:
        lines.append(f"  cap: {answer['cap']} -> {answer['after_cap']}")
    if answer["minimum_payable"]:
        lines.append(f"  minimum payable: {answer['minimum_payable']}")
    for other in answer["others"]:
        lines.append(
            f"  beside commitment {other['commitment']}: availability {other['availability']} against "
            f"{other['target']}, credit {other['credit_amount']}"
        )
    lines.append(f"credit owed: {answer['credit_amount']} ({answer['credit_percent']}% of the fee)")
    for note in answer["notes"]:
        lines.append(f"  note: {note}")
    chronic = answer["chronic_failure"]
    if chronic:
        state = "REACHED" if chronic["reached"] else "not reached"
        lines.append(
            f"chronic failure: {chronic['failed']} failed of the last {chronic['out_of']} windows "
            f"(right at {chronic['needed']}): {state}"
        )
    return "\n".join(lines)
