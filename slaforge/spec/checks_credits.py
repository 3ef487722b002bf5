"""Checks of the credit tables: the agreement's (``service_credits.bands``) and each commitment's own (``credits``).

A table is checked once for its own shape (bounds in range, no overlap, no gap the author did not
declare, credits that do not fall as availability worsens) and then against the target of every
commitment it applies to: a table shared by services with different targets names the commitment
it does not fit and suggests a table of its own.  What a declared gap or a credit at the target
then means is said as a warning, so that ``validate`` prints it and ``--strict`` asks for it to be
acknowledged.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from slaforge.errors import Problem
from slaforge.spec.models import CreditBand, CreditTable, DeclaredGap, Spec
from slaforge.spec.objectives import PlacedCommitment, credit_table, iter_commitments
from slaforge.spec.source import Loc, SourceMap
from slaforge.spec.units import format_percent


def _warn(source: SourceMap, loc: Loc, message: str, code: str, **kw: object) -> Problem:
    return source.problem(loc, message, severity="warning", code=code, **kw)  # type: ignore[arg-type]


def _bound_text(value: Decimal, inclusive: bool, lower: bool) -> str:
    word = ("at least" if inclusive else "above") if lower else ("at most" if inclusive else "below")
    return f"{word} {format_percent(value)}"


@dataclass(frozen=True)
class Gap:
    """Availability that no band contains: from ``lower`` to ``upper``, each end in or out."""

    lower: Decimal
    lower_inclusive: bool
    upper: Decimal
    upper_inclusive: bool

    @property
    def real(self) -> bool:
        return self.lower < self.upper or (self.lower == self.upper and self.lower_inclusive and self.upper_inclusive)

    def describe(self) -> str:
        if self.lower == self.upper:
            return f"exactly {format_percent(self.lower)}"
        return (
            f"availability {_bound_text(self.lower, self.lower_inclusive, True)} and "
            f"{_bound_text(self.upper, self.upper_inclusive, False)}"
        )

    def same_as(self, declared: DeclaredGap) -> bool:
        return (self.lower, self.lower_inclusive, self.upper, self.upper_inclusive) == (
            declared.lower,
            declared.lower_inclusive,
            declared.upper,
            declared.upper_inclusive,
        )


def _declared_text(gap: DeclaredGap) -> str:
    return Gap(gap.lower, gap.lower_inclusive, gap.upper, gap.upper_inclusive).describe()


def _tables(spec: Spec) -> Iterator[tuple[CreditTable, Loc]]:
    """Every credit table written in the spec, once each: the agreement's, then each commitment's own."""
    if spec.service_credits is not None and (default := spec.service_credits.table()) is not None:
        yield default, ("service_credits",)
    for placed in iter_commitments(spec):
        if placed.commitment.credits is not None:
            yield placed.commitment.credits, (*placed.loc, "credits")


def check_some_credit(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    """``service_credits`` gives some credit, and a commitment's own table has the agreement's terms to go with."""
    credits = spec.service_credits
    own = [p for p in iter_commitments(spec) if p.commitment.credits is not None]
    if credits is None:
        for placed in own:
            yield source.problem(
                (*placed.loc, "credits"),
                f"{placed.subject} has its own credit table, but the agreement has no 'service_credits' "
                "(claims, caps and remedies)",
                expected="a 'service_credits' section",
                code="credits-without-service-credits",
            )
        return
    if not credits.bands and credits.downtime_multiple is None and not credits.per_event and not own:
        yield source.problem(
            ("service_credits",),
            "give credit 'bands', a 'downtime_multiple' or 'per_event' credits (or a commitment's own 'credits')",
            code="missing",
        )


def check_band_values(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    for table, loc in _tables(spec):
        for i, band in enumerate(table.bands):
            for bound in ("at_least", "above", "below", "at_most"):
                value = getattr(band, bound)
                if value is not None and not (Decimal(0) <= value <= Decimal(100)):
                    yield source.problem(
                        (*loc, "bands", i, bound),
                        "bound out of range",
                        given=format_percent(value),
                        expected="a percentage in [0, 100]",
                        code="out-of-range",
                    )
            if band.credit <= 0:
                yield source.problem(
                    (*loc, "bands", i, "credit"),
                    "a credit band must credit something",
                    given=format_percent(band.credit),
                    expected="more than 0%",
                    code="out-of-range",
                )
            elif band.credit > 100:
                yield _warn(
                    source,
                    (*loc, "bands", i, "credit"),
                    "credit exceeds the whole fee for the window",
                    code="credit-above-fee",
                    given=format_percent(band.credit),
                )


def _ordered(table: CreditTable) -> list[tuple[int, CreditBand]]:
    order = sorted(range(len(table.bands)), key=lambda i: (table.bands[i].lower, table.bands[i].upper))
    return [(i, table.bands[i]) for i in order]


def check_table_shape(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    for table, loc in _tables(spec):
        yield from _shape(table, loc, source)


def _shape(table: CreditTable, loc: Loc, source: SourceMap) -> Iterator[Problem]:
    bands = _ordered(table)
    declared_used = [False] * len(table.gaps)

    def declared(gap: Gap) -> bool:
        for k, written in enumerate(table.gaps):
            if gap.same_as(written):
                declared_used[k] = True
                return True
        return False

    first_index, first = bands[0]
    below_all = Gap(Decimal(0), True, first.lower, not first.lower_inclusive)
    if below_all.real:
        if declared(below_all):
            yield _gap_declared(source, loc, below_all)
        else:
            yield source.problem(
                (*loc, "bands", first_index),
                f"gap in the credit bands: availability from 0% up to "
                f"{_bound_text(first.lower, not first.lower_inclusive, False)} earns no credit",
                given=_bound_text(first.lower, first.lower_inclusive, True),
                expected="the lowest band to start at 0% (omit its lower bound), or the gap declared under 'gaps'",
                code="credit-gap",
            )
    for (i, low), (j, high) in itertools.pairwise(bands):
        between = Gap(low.upper, not low.upper_inclusive, high.lower, not high.lower_inclusive)
        if between.real:
            if declared(between):
                yield _gap_declared(source, loc, between)
            else:
                yield source.problem(
                    (*loc, "bands", j),
                    f"gap in the credit bands between band {i + 1} "
                    f"({_bound_text(low.upper, low.upper_inclusive, False)}) and band {j + 1} "
                    f"({_bound_text(high.lower, high.lower_inclusive, True)})",
                    given=f"{format_percent(low.upper)} .. {format_percent(high.lower)}",
                    expected="each band to start exactly where the one below ends, or the gap declared under 'gaps' "
                    f"({{at: {format_percent(low.upper)}}} for one value)",
                    code="credit-gap",
                )
        elif high.lower < low.upper or (high.lower == low.upper and low.upper_inclusive and high.lower_inclusive):
            yield source.problem(
                (*loc, "bands", j),
                f"credit bands {i + 1} and {j + 1} overlap: "
                f"{_bound_text(low.upper, low.upper_inclusive, False)} and "
                f"{_bound_text(high.lower, high.lower_inclusive, True)} both contain "
                f"{format_percent(high.lower)}",
                given=f"{format_percent(high.lower)} .. {format_percent(low.upper)}",
                expected="at the shared bound, one side inclusive and the other exclusive",
                code="credit-overlap",
            )
        if high.credit > low.credit:
            yield source.problem(
                (*loc, "bands", j, "credit"),
                f"credits fall as availability worsens: band {j + 1} "
                f"({_bound_text(high.lower, high.lower_inclusive, True)}) credits {format_percent(high.credit)} "
                f"but the worse band {i + 1} credits only {format_percent(low.credit)}",
                given=format_percent(low.credit),
                expected=f"at least {format_percent(high.credit)} for the worse band",
                code="credit-order",
            )
    for k, used in enumerate(declared_used):
        if not used:
            yield source.problem(
                (*loc, "gaps", k),
                f"the declared gap ({_declared_text(table.gaps[k])}) is not a gap between the credit bands",
                given=_declared_text(table.gaps[k]),
                expected="exactly the availability that no band contains, e.g. {at: 99.0%} between "
                "'above 99.0%' and 'below 99.0%'",
                code="credit-gap-declared-mismatch",
            )


def _gap_declared(source: SourceMap, loc: Loc, gap: Gap) -> Problem:
    return _warn(
        source,
        (*loc, "gaps"),
        f"{gap.describe()} falls in no credit band and earns no credit (a gap declared in the table)",
        code="credit-gap-declared",
    )


def check_tables_fit_targets(spec: Spec, source: SourceMap, base: Path) -> Iterator[Problem]:
    for placed in iter_commitments(spec):
        table, loc = credit_table(spec, placed)
        if table is not None:
            yield from _fits(placed, table, loc, source)


def _fits(placed: PlacedCommitment, table: CreditTable, loc: Loc, source: SourceMap) -> Iterator[Problem]:
    top_index, top = _ordered(table)[-1]
    target = placed.commitment.target
    shared = placed.commitment.credits is None
    at_target = top.upper == target and top.upper_inclusive
    if top.upper > target or (at_target and not table.credit_at_target):
        hint = f"below {format_percent(target)}"
        if at_target:
            hint += ", or 'credit_at_target: true' when the agreement gives a credit at the target itself"
        if shared:
            hint += f", or a credit table of its own ('credits' on {placed.key})"
        yield source.problem(
            (*loc, "bands", top_index),
            f"the top credit band reaches {_bound_text(top.upper, top.upper_inclusive, False)}, so "
            f"{placed.subject} would earn a credit while meeting its {format_percent(target)} target",
            given=_bound_text(top.upper, top.upper_inclusive, False),
            expected=hint,
            code="credit-above-target",
        )
    elif at_target:
        yield _warn(
            source,
            (*loc, "credit_at_target"),
            f"exactly {format_percent(target)} meets the target of {placed.subject} and still earns "
            f"{format_percent(top.credit)} (a credit at the target, as the table gives it)",
            code="credit-at-target",
        )
    else:
        if table.credit_at_target:
            yield _warn(
                source,
                (*loc, "credit_at_target"),
                f"'credit_at_target' is set, but no band of the table reaches the {format_percent(target)} "
                f"target of {placed.subject}",
                code="credit-at-target-unused",
            )
        if top.upper < target or top.upper_inclusive:
            yield _warn(
                source,
                (*placed.loc, "target"),
                f"availability from {_bound_text(top.upper, not top.upper_inclusive, True)} to below "
                f"{format_percent(target)} misses the target of {placed.subject} but earns no credit",
                code="credit-gap-below-target",
            )
