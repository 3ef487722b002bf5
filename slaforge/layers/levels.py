"""Checks across levels: a lower level never weakens what a higher one commits to.

- **Weakening**: each customer SLA is compared with the corporate SLA, each
  service SLA with the document right above it, term by term
  (:func:`slaforge.terms.comparable.spec_terms`, ordered by
  :func:`slaforge.terms.ordering.compare`, the rules that order offer tiers):
  a lower availability, a longer response or resolution, smaller credits,
  rarer reports, a less favourable clause wording ... is an error unless the
  lower document's own fragments record it as an agreed exception::

      exceptions:
        - path: services[email].availability.target
          reason: Agreed at the service review of 12 January 2027 ...

  A recorded exception is stated in the document (:mod:`slaforge.layers.subordination`);
  one that excuses nothing is a warning.
- **Support**: an OLA or underpinning contract supports the services it names.
  Its resolution and response targets may not be longer than those of any SLA
  that covers a supported service, severity by severity; and the services of
  all the OLAs and contracts behind one service work in series, so the product
  of their availability targets must reach each SLA's target for it.

Every problem names both sources, the lower and the upper value, with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from slaforge.errors import Problem, merge_repeats
from slaforge.layers.inherit import Portfolio, PortfolioDocument
from slaforge.spec.objectives import service_commitments
from slaforge.spec.paths import PathError, tokens
from slaforge.spec.portfolio_file import Kind
from slaforge.spec.units import Pct
from slaforge.terms.comparable import TermValue, spec_terms
from slaforge.terms.ordering import DROPPING_IS_WORSE, compare

SKIPPED_KINDS = {"price", "info"}  # fees are commercial, per customer; "info" terms only describe others


@dataclass(frozen=True)
class AgreedException:
    """A term a lower document weakens by agreement, as the document states it."""

    key: str
    label: str
    value: str
    upper_value: str
    upper: str  # id of the document whose commitment it relaxes
    reason: str


@dataclass
class LevelReport:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    agreed: dict[str, list[AgreedException]] = field(default_factory=dict)


def where(document: PortfolioDocument, term: TermValue) -> str:
    origin = document.source.origin(term.loc)
    return f"{origin.where} ({origin.level} level)" if origin else document.source.file


def check_levels(portfolio: Portfolio) -> LevelReport:
    report = LevelReport()
    terms = {doc_id: {t.key: t for t in spec_terms(d.spec)} for doc_id, d in portfolio.documents.items()}
    for document in portfolio.documents.values():
        if document.above:
            _weakening(portfolio, document, terms, report)
    _support(portfolio, terms, report)
    report.errors = merge_repeats(report.errors, "document")
    report.warnings = merge_repeats(report.warnings, "document")
    return report


# ------------------------------------------------------------------ weakening


def _weakening(
    portfolio: Portfolio, document: PortfolioDocument, terms: dict[str, dict[str, TermValue]], report: LevelReport
) -> None:
    upper = portfolio.documents.get(document.above[-1])
    if upper is None:
        return
    mine, theirs = terms[document.id], terms[upper.id]
    scope = {s.id for s in document.spec.services}
    exceptions = []
    for exception in document.exceptions:
        try:
            exceptions.append((tokens(exception["path"]), exception, [False]))
        except PathError as exc:
            report.errors.append(_at_exception(document, exception, str(exc), "bad-path"))
    agreed: list[AgreedException] = []
    for key, above in theirs.items():
        if above.kind in SKIPPED_KINDS or (key.startswith("services[") and key.split("]")[0][9:] not in scope):
            continue
        below = mine.get(key)
        if below is None:
            if above.kind not in DROPPING_IS_WORSE:
                continue
            why, text = f"drops {above.text}", "not set"
        else:
            verdict = compare(above, below)
            if verdict.outcome == "incomparable":
                report.warnings.append(
                    _problem(
                        document,
                        below,
                        f"{below.label}: cannot tell whether {below.text} is at least as good "
                        f"as {above.text}, set at {where(upper, above)}: {verdict.why}",
                        "level-unknown",
                        severity="warning",
                    )
                )
                continue
            if verdict.outcome != "worse":
                continue
            why = f"gives {below.text} where the {upper.kind_name} {upper.spec.agreement.id} commits to {above.text}"
            if verdict.why:
                why += f" ({verdict.why})"
            text = below.text
        matched = next((e for e in exceptions if e[0] == tokens(key)[: len(e[0])]), None)
        if matched is not None:
            matched[2][0] = True
            agreed.append(
                AgreedException(key, (below or above).label, text, above.text, upper.id, matched[1]["reason"])
            )
            continue
        term = below or _moved(above, document)
        removed_at = document.removed.get(tokens(key)) if below is None else None
        report.errors.append(
            _problem(
                document,
                term,
                f"{term.label}: the {document.kind_name} {why}, set at {where(upper, above)}; a lower level may "
                "tighten a commitment but not weaken it",
                "weakens-commitment",
                given=text,
                expected=f"at least as good as {above.text}, or an agreed exception: "
                f"exceptions: [{{path: {key}, reason: ...}}]",
                at=removed_at,
            )
        )
    for _, exception, used in exceptions:
        if not used[0]:
            report.warnings.append(
                _at_exception(
                    document,
                    exception,
                    f"the exception for {exception['path']} excuses nothing: this document does not weaken that "
                    f"term of the {upper.kind_name} {upper.spec.agreement.id}",
                    "unused-exception",
                    severity="warning",
                )
            )
    if agreed:
        report.agreed[document.id] = agreed


def _moved(term: TermValue, document: PortfolioDocument) -> TermValue:
    """An upper document's term, located where ``document`` would set it (its services are indexed anew)."""
    loc = term.loc
    if loc[:1] == ("services",) and len(loc) > 1 and term.key.startswith("services["):
        service_id = term.key[len("services[") :].split("]")[0]
        index = next((i for i, s in enumerate(document.spec.services) if s.id == service_id), None)
        loc = ("services", index, *loc[2:]) if index is not None else ("services",)
    return replace(term, loc=loc)


# ------------------------------------------------------------------ support


def _support(portfolio: Portfolio, terms: dict[str, dict[str, TermValue]], report: LevelReport) -> None:
    behind: dict[str, list[PortfolioDocument]] = {}
    for document in portfolio.documents.values():
        if document.kind in (Kind.ola, Kind.underpinning):
            for service in document.entry.supports:
                behind.setdefault(service, []).append(document)
    for document in portfolio.documents.values():
        if document.kind in (Kind.ola, Kind.underpinning):
            continue
        for i, service in enumerate(document.spec.services):
            supporting = behind.get(service.id, [])
            if not supporting:
                continue
            _series(document, i, supporting, report)
            for helper in supporting:
                _responsiveness(document, helper, terms, report)


def _series(document: PortfolioDocument, index: int, supporting: list[PortfolioDocument], report: LevelReport) -> None:
    """Each commitment of the service needs components whose weakest promises, multiplied, reach its target."""
    combined = Decimal(1)
    parts = []
    for helper in supporting:
        for j, component in enumerate(helper.spec.services):
            weakest = min(service_commitments(helper.spec, j), key=lambda p: p.commitment.target)
            combined *= weakest.commitment.target / 100
            origin = helper.source.origin((*weakest.loc, "target"))
            parts.append(
                f"{component.name} {weakest.commitment.target} ({helper.kind_name} {helper.spec.agreement.id}, "
                f"{origin.where if origin else helper.source.file})"
            )
    combined_pct = Pct((combined * 100).quantize(Decimal("0.0001")))
    for placed in service_commitments(document.spec, index):
        service, target = placed.service, placed.commitment.target
        if combined * 100 >= target:
            continue
        report.errors.append(
            replace(
                document.source.problem(
                    (*placed.loc, "target"),
                    f"{service.name}: the target of {target} is not supported: the components it depends on "
                    f"work in series, so together they are available only {combined_pct} of the time: "
                    + " x ".join(parts),
                    given=f"{target}",
                    expected=f"components whose combined availability reaches {target}",
                    code="unsupported-target",
                ),
                path=f"{placed.key}.target",
            )
        )


def _responsiveness(
    document: PortfolioDocument, helper: PortfolioDocument, terms: dict[str, dict[str, TermValue]], report: LevelReport
) -> None:
    upper, lower = terms[document.id], terms[helper.id]
    for key, sla in upper.items():
        if not key.startswith("responsiveness.severities[") or not key.endswith(("resolution", "response")):
            continue
        support = lower.get(key)
        if support is None:
            _missing_target(document, helper, key, sla, lower, report)
            continue
        verdict = compare(sla, support)
        if verdict.outcome != "worse":
            continue
        report.errors.append(
            _problem(
                helper,
                support,
                f"{support.label}: the {helper.kind_name} allows {support.text}, longer than the {sla.text} that "
                f"the {document.kind_name} {document.spec.agreement.id} promises, set at {where(document, sla)}; "
                "it must support the agreement above it",
                "unsupported-target",
                given=support.text,
                expected=f"at most {sla.text}",
            )
        )


def _missing_target(
    document: PortfolioDocument,
    helper: PortfolioDocument,
    key: str,
    sla: TermValue,
    lower: dict[str, TermValue],
    report: LevelReport,
) -> None:
    """The helper has the severity (it sets a response target) but leaves out the target the agreement promises."""
    severity, _, target = key.rpartition(".")
    response = lower.get(f"{severity}.response")
    if target != "resolution" or response is None:
        return
    report.errors.append(
        _problem(
            helper,
            response,
            f"{sla.label}: the {helper.kind_name} sets no resolution target, but the {document.kind_name} "
            f"{document.spec.agreement.id} promises {sla.text}, set at {where(document, sla)}; "
            "it must support the agreement above it",
            "unsupported-target",
            given="no resolution target",
            expected=f"a resolution target of at most {sla.text}",
        )
    )


# ------------------------------------------------------------------ problems


def _problem(
    document: PortfolioDocument, term: TermValue, message: str, code: str, at: Any = None, **kw: Any
) -> Problem:
    problem = document.source.problem(term.loc, message, code=code, **kw)
    if at is not None:  # an Origin: where the lower document removes the value
        problem = replace(problem, file=at.file, line=at[0], column=at[1])
    return replace(problem, path=term.key, message=f"document {document.id}: {problem.message}")


def _at_exception(
    document: PortfolioDocument, exception: dict[str, Any], message: str, code: str, severity: str = "error"
) -> Problem:
    origin = exception.get("origin")
    return Problem(
        f"document {document.id}: {message}",
        file=origin.file if origin else document.source.file,
        line=origin[0] if origin else None,
        column=origin[1] if origin else None,
        path="exceptions",
        severity=severity,
        code=code,
    )
