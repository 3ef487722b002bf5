"""Semantic checks: rules that need more than one field to see.

Each check yields :class:`Problem` records located through the spec's
:class:`SourceMap`; errors stop the build, warnings are printed for a reviewer
(``--strict`` makes them errors).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from slaforge.errors import Problem
from slaforge.inputs.files import is_inside, is_regular
from slaforge.spec.calendars import TimeWindow, compare_durations
from slaforge.spec.checks_calendars import check_holidays, check_sites, check_spans, unknown_reference
from slaforge.spec.checks_credits import (
    check_band_values,
    check_some_credit,
    check_table_shape,
    check_tables_fit_targets,
)
from slaforge.spec.models import Spec
from slaforge.spec.objectives import iter_commitments, service_commitments
from slaforge.spec.source import SourceMap, dotted
from slaforge.spec.units import Money, format_percent

Check = Callable[[Spec, SourceMap, Path], Iterator[Problem]]


def check_spec(spec: Spec, source: SourceMap, base: Path) -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(spec, source, base))
    return problems


def warn(source: SourceMap, loc: tuple[str | int, ...], message: str, code: str, **kw: object) -> Problem:
    return source.problem(loc, message, severity="warning", code=code, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ identities and references


def check_unique_ids(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    groups: list[tuple[str, list[str]]] = [
        ("customers", [c.id for c in spec.customers]),
        ("services", [s.id for s in spec.services]),
        ("responsiveness.severities", [s.id for s in spec.severities]),
        ("policies", [p.id for p in spec.policies]),
    ]
    party_ids = [spec.provider.id, *(c.id for c in spec.customers)]
    for group, ids in groups:
        counts = Counter(ids)
        for index, value in enumerate(ids):
            if counts[value] > 1 and ids.index(value) != index:
                loc = (*group.split("."), index, "id")
                yield source.problem(
                    loc, f"duplicate id {value!r}", given=value, expected="ids unique in the list", code="duplicate-id"
                )
    if party_ids.count(spec.provider.id) > 1:
        yield source.problem(
            ("provider", "id"),
            "the provider and a customer share the same id",
            given=spec.provider.id,
            code="duplicate-id",
        )


def check_commitments(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    """Each service makes its commitments one way (format 1's ``availability`` or a ``commitments`` list), with
    unique ids."""
    for i, service in enumerate(spec.services):
        if service.availability is not None and service.commitments:
            yield source.problem(
                ("services", i, "commitments"),
                f"service {service.id!r} gives both 'availability' and 'commitments'",
                given="availability and commitments",
                expected="'availability' for one commitment, or every commitment under 'commitments'",
                code="availability-and-commitments",
            )
        elif service.availability is None and not service.commitments:
            yield source.problem(
                ("services", i),
                f"service {service.id!r} has no availability commitment",
                expected="'availability' (a target and how it is measured), or a list of 'commitments'",
                code="missing",
            )
        seen: set[str] = set()
        for placed in service_commitments(spec, i):
            if placed.format_1:
                continue
            if placed.commitment.id in seen:
                yield source.problem(
                    (*placed.loc, "id"),
                    f"duplicate commitment id {placed.commitment.id!r} in service {service.id!r}",
                    given=placed.commitment.id,
                    expected="commitment ids unique in the service",
                    code="duplicate-id",
                )
            seen.add(placed.commitment.id)


def check_references(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    yield from reference_problems(spec.model_dump(), source)
    logo = spec.agreement.branding.logo
    if logo and not is_inside(base / logo, base):
        yield source.problem(
            ("agreement", "branding", "logo"),
            "the logo lies outside the spec's folder (through '..', an absolute path or a symbolic link); "
            "refusing to read it",
            given=logo,
            expected=f"an image file inside {base.resolve()}",
            code="outside-folder",
        )
    elif logo and not is_regular(base / logo):
        yield source.problem(
            ("agreement", "branding", "logo"),
            "logo file not found" if not (base / logo).exists() else "the logo is not a regular file",
            given=logo,
            expected=f"an image file relative to {base}",
            code="missing-file",
        )


def reference_problems(data: Any, source: SourceMap) -> Iterator[Problem]:
    """Ids that name nothing: on the checked spec, and on the data as written when it does not validate,
    so that a reference error is reported in the same run as a type error elsewhere in the file."""
    if not isinstance(data, dict):
        return

    def items(value: Any) -> list[Any]:
        return value if isinstance(value, list) else []

    def mapping(value: Any) -> dict[str, Any]:
        return value if isinstance(value, dict) else {}

    def ids(value: Any) -> list[str]:
        return [item["id"] for item in items(value) if isinstance(item, dict) and isinstance(item.get("id"), str)]

    responsiveness = mapping(data.get("responsiveness"))
    calendars = sorted(str(key) for key in mapping(data.get("service_hours")))
    severities = ids(responsiveness.get("severities"))
    customers = ids(data.get("customers"))

    def ref(loc: tuple[str | int, ...], value: Any, valid: list[str], what: str) -> Iterator[Problem]:
        if isinstance(value, str) and value not in valid:
            yield unknown_reference(source, loc, value, valid, what)

    for i, service in enumerate(items(data.get("services"))):
        service = mapping(service)
        yield from ref(("services", i, "hours"), service.get("hours"), calendars, "service_hours calendar")
        yield from ref(
            ("services", i, "support_hours"), service.get("support_hours"), calendars, "service_hours calendar"
        )
        for j, customer in enumerate(items(service.get("customers"))):
            yield from ref(("services", i, "customers", j), customer, customers, "customer")
    yield from ref(("responsiveness", "hours"), responsiveness.get("hours"), calendars, "service_hours calendar")
    for i, channel in enumerate(items(mapping(data.get("problem_reporting")).get("channels"))):
        channel = mapping(channel)
        yield from ref(
            ("problem_reporting", "channels", i, "hours"), channel.get("hours"), calendars, "service_hours calendar"
        )
        for j, sev in enumerate(items(channel.get("severities"))):
            yield from ref(("problem_reporting", "channels", i, "severities", j), sev, severities, "severity")
    for i, event in enumerate(items(mapping(data.get("service_credits")).get("per_event"))):
        for j, sev in enumerate(items(mapping(event).get("severities"))):
            yield from ref(("service_credits", "per_event", i, "severities", j), sev, severities, "severity")


# ------------------------------------------------------------------ percentages


def check_percent_ranges(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    for placed in iter_commitments(spec):
        target = placed.commitment.target
        if not (Decimal(0) < target <= Decimal(100)):
            yield source.problem(
                (*placed.loc, "target"),
                "availability target out of range",
                given=format_percent(target),
                expected="a percentage in (0, 100]",
                code="out-of-range",
            )
        elif target == 100:
            yield warn(
                source,
                (*placed.loc, "target"),
                "a 100% target allows no downtime at all; any outage is a breach",
                code="target-100",
                given="100%",
            )
    for i, sev in enumerate(spec.severities):
        if sev.attainment is not None and not (Decimal(0) < sev.attainment <= Decimal(100)):
            yield source.problem(
                ("responsiveness", "severities", i, "attainment"),
                "attainment out of range",
                given=format_percent(sev.attainment),
                expected="a percentage in (0, 100]",
                code="out-of-range",
            )


# ------------------------------------------------------------------ severities


def check_severities(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    if spec.responsiveness is None:
        return
    levels = spec.responsiveness.severities
    calendar = spec.service_hours.get(spec.responsiveness.hours)
    for i, level in enumerate(levels):
        loc = ("responsiveness", "severities", i)
        if level.resolution is None:
            continue
        if compare_durations(level.response, level.resolution, calendar) == 1:
            yield source.problem(
                (*loc, "response"),
                f"{level.id}: the response target ({level.response}) is longer than the "
                f"resolution target ({level.resolution})",
                given=str(level.response),
                expected=f"at most {level.resolution}",
                code="response-after-resolution",
            )
        if level.update and compare_durations(level.update, level.resolution, calendar) == 1:
            yield warn(
                source,
                (*loc, "update"),
                f"{level.id}: updates every {level.update} but resolution within {level.resolution}: "
                "the customer gets no update before the deadline",
                code="update-after-resolution",
                given=str(level.update),
            )
        if i == 0 and level.resolution.business:
            yield warn(
                source,
                (*loc, "resolution"),
                f"{level.id} (the most severe level) resolves in business time: an outage on Friday "
                "evening would wait for Monday",
                code="business-time-critical",
                given=str(level.resolution),
            )
    for i in range(len(levels) - 1):
        upper, lower = levels[i], levels[i + 1]
        for target in ("response", "update", "resolution"):
            a, b = getattr(upper, target), getattr(lower, target)
            if a is None or b is None:
                continue
            order = compare_durations(a, b, calendar)
            if order is not None and order > 0:
                yield source.problem(
                    ("responsiveness", "severities", i, target),
                    f"{upper.id} is more severe than {lower.id} but its {target} target is slower ({a} against {b})",
                    given=str(a),
                    expected=f"at most {b} (the {lower.id} target)",
                    code="severity-order",
                )


def check_support_events(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    """A credit for a missed support target needs that target: severities, and for resolution one that sets it."""
    if spec.service_credits is None:
        return
    for i, event in enumerate(spec.service_credits.per_event):
        if event.event == "late-report":
            continue
        if spec.responsiveness is None:
            yield source.problem(
                ("service_credits", "per_event", i, "event"),
                f"a credit for each {event.event} but the agreement sets no support targets",
                given=event.event,
                expected="'responsiveness' with the severities and their targets, or no such credit",
                code="missing",
            )
            continue
        if event.event != "missed-resolution":
            continue
        named = set(event.severities) or {level.id for level in spec.severities}
        bare = [level.id for level in spec.severities if level.id in named and level.resolution is None]
        if bare:
            yield source.problem(
                ("service_credits", "per_event", i, "event"),
                "a credit for each missed resolution, but " + ", ".join(bare) + " sets no resolution target",
                given=event.event,
                expected="a resolution target for every severity the credit names, or 'severities' without "
                + ", ".join(bare),
                code="missing",
            )


# ------------------------------------------------------------------ maintenance


def _overlap(a: TimeWindow, b: TimeWindow) -> list[str]:
    a0, a1 = a.minutes_of_day
    b0, b1 = b.minutes_of_day
    if a0 < b1 and b0 < a1:
        return [d for d in a.days if d in b.days]
    return []


def check_maintenance(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    for placed in iter_commitments(spec):
        service, maintenance = placed.service, placed.commitment.maintenance
        calendar = spec.service_hours.get(service.hours)
        if maintenance is None or calendar is None or not maintenance.outside_prime_hours:
            continue
        for w, window in enumerate(maintenance.windows):
            loc = (*placed.loc, "maintenance", "windows", w)
            if calendar.always:
                yield source.problem(
                    loc,
                    f"service {service.id!r} runs 24x7 on prime hours, so any maintenance window overlaps prime hours",
                    given=window.describe(),
                    expected="outside_prime_hours: false, or no windows",
                    code="maintenance-in-prime-hours",
                )
                continue
            for prime in calendar.business_windows():
                days = _overlap(window, prime)
                if days:
                    yield source.problem(
                        loc,
                        f"maintenance window {window.describe()} overlaps prime hours "
                        f"{prime.describe()} of {calendar.name!r}",
                        given=window.describe(),
                        expected="a window outside prime hours (or outside_prime_hours: false)",
                        code="maintenance-in-prime-hours",
                    )
                    break


# ------------------------------------------------------------------ reviewer warnings


def check_review_points(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    agreement = spec.agreement
    if agreement.history and agreement.history[-1].version != agreement.version:
        yield warn(
            source,
            ("agreement", "history"),
            f"the last version-history entry is {agreement.history[-1].version}, but the agreement is "
            f"version {agreement.version}",
            code="version-history",
            given=agreement.history[-1].version,
            expected=agreement.version,
        )
    if agreement.status.value == "final" and not agreement.history:
        yield warn(source, ("agreement",), "a final agreement without a version history", code="version-history")
    if not spec.escalation and spec.responsiveness is not None:
        yield warn(
            source,
            ("escalation",),
            "no escalation path: the customer has nowhere to go when targets slip",
            code="no-escalation",
        )
    credits = spec.service_credits
    if credits and credits.sole_remedy and credits.chronic_failure is None and spec.makes_commitments:
        yield warn(
            source,
            ("service_credits", "sole_remedy"),
            "credits are the sole remedy and there is no chronic-failure termination right: the customer "
            "cannot leave a service that fails every month",
            code="sole-remedy",
        )
    if credits and credits.caps == credits.caps.__class__():
        yield warn(source, ("service_credits", "caps"), "service credits are uncapped", code="uncapped-credits")


def check_currencies(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    """Fees and the money amounts of the credit scheme share one currency, or no credit can be worked out."""
    amounts: list[tuple[tuple[str | int, ...], Money]] = [
        (("services", i, "fee"), s.fee) for i, s in enumerate(spec.services) if s.fee is not None
    ]
    credits = spec.service_credits
    if credits is not None:
        amounts += [(("service_credits", "fee"), credits.fee)] if credits.fee else []
        amounts += [
            (("service_credits", "per_event", i, "credit"), e.credit)
            for i, e in enumerate(credits.per_event)
            if e.credit is not None
        ]
        amounts += (
            [(("service_credits", "minimum_payable"), credits.minimum_payable)] if credits.minimum_payable else []
        )
        amounts += (
            [(("service_credits", "caps", "per_year_amount"), credits.caps.per_year_amount)]
            if (credits.caps.per_year_amount)
            else []
        )
    if not amounts:
        return
    first_loc, first = amounts[0]
    for loc, money in amounts[1:]:
        if money.currency != first.currency:
            yield source.problem(
                loc,
                f"amount in {money.currency}, but {dotted(first_loc)} is in {first.currency}",
                given=str(money),
                expected=f"an amount in {first.currency}, the currency of the agreement's fees",
                code="currency-mismatch",
            )


CHECKS: tuple[Check, ...] = (
    check_unique_ids,
    check_commitments,
    check_references,
    check_currencies,
    check_some_credit,
    check_percent_ranges,
    check_band_values,
    check_table_shape,
    check_tables_fit_targets,
    check_severities,
    check_support_events,
    check_maintenance,
    check_review_points,
    check_holidays,
    check_spans,
    check_sites,
)
