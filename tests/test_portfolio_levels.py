"""Portfolios: inheritance, provenance, explain, cross-level checks and fragment cycles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from portfolio_helpers import SAMPLE, copy_sample, edit, invoke, line_of, read

from slaforge.errors import SpecError
from slaforge.layers.inherit import read_portfolio
from slaforge.layers.levels import check_levels
from slaforge.spec.units import parse_duration, parse_percent

PORTFOLIO = SAMPLE / "portfolio.yaml"


def rel(path: Path) -> str:
    """As messages name files: relative to the working folder when below it."""
    text = os.path.relpath(path)
    return str(path) if text.startswith("..") else text


def problems_of(path: Path) -> str:
    """Every problem of a portfolio, read and level-checked, as the CLI prints them."""
    try:
        portfolio = read_portfolio(path)
    except SpecError as error:
        return error.format()
    report = check_levels(portfolio)
    return "\n".join(p.format() for p in [*report.errors, *report.warnings])


# ------------------------------------------------------------------ inheritance


def test_values_flow_from_corporate_to_customer_to_service() -> None:
    portfolio = read_portfolio(PORTFOLIO)
    corporate = read(SAMPLE / "corporate.yaml")
    contoso = read(SAMPLE / "customers" / "contoso.yaml")
    wan = read(SAMPLE / "services" / "wan.yaml")
    contoso_wan = read(SAMPLE / "customers" / "contoso-wan.yaml")
    spec = portfolio.documents["contoso-wan"].spec
    # set at service level
    assert spec.services[0].availability.target == parse_percent(contoso_wan["services"][0]["availability"]["target"])
    assert spec.services[0].availability.target != parse_percent(wan["availability"]["target"])
    # set at customer level, holds below
    p1 = next(s for s in spec.responsiveness.severities if s.id == "P1")
    assert p1.response == parse_duration(contoso["responsiveness"]["severities"][0]["response"])
    # set at corporate level, untouched below
    p2 = next(s for s in spec.responsiveness.severities if s.id == "P2")
    assert p2.resolution == parse_duration(corporate["responsiveness"]["severities"][1]["resolution"])
    assert spec.reporting.frequency == corporate["reporting"]["frequency"]
    # the catalogue's definition of the service, and a file it extends
    assert spec.services[0].name == wan["name"]
    maintenance = read(SAMPLE / "services" / "maintenance.yaml")
    assert spec.services[0].availability.maintenance.notice == parse_duration(
        maintenance["availability"]["maintenance"]["notice"]
    )
    # each document has its own identity, scope and level
    assert spec.agreement.id == contoso_wan["agreement"]["id"]
    assert [c.id for c in spec.customers] == ["contoso"] and [s.id for s in spec.services] == ["wan"]
    assert spec.level.value == "service"
    assert portfolio.documents["contoso-wan"].above == ("corporate", "contoso")
    corporate_spec = portfolio.documents["corporate"].spec
    assert {c.id for c in corporate_spec.customers} == {c["id"] for c in read(PORTFOLIO)["customers"]}
    fabrikam = portfolio.documents["fabrikam"].spec
    taken = {s["service"] for s in read(PORTFOLIO)["subscriptions"] if s["customer"] == "fabrikam"}
    assert {s.id for s in fabrikam.services} == taken
    assert fabrikam.reporting.frequency == "quarterly"
    # an upper document's own id is never inherited
    assert fabrikam.agreement.id != corporate_spec.agreement.id
    assert fabrikam.agreement.term == corporate_spec.agreement.term


def test_a_merged_spec_runs_every_spec_check_and_locates_in_the_file_that_wrote_it(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    contoso = path.parent / "customers" / "contoso.yaml"
    edit(contoso, "      response: 10m", "      response: 10m\n      resolution: 5m")  # resolution before response
    output = problems_of(path)
    assert (
        f"{rel(contoso)}:{line_of(contoso, 'response: 10m')}:7: error: responsiveness.severities[0].response: "
        in output
    )
    assert "documents contoso, contoso-wan, contoso-email: " in output  # one fault, reported once


def test_a_misspelt_key_in_a_fragment_is_located_there(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    corporate = path.parent / "corporate.yaml"
    edit(corporate, "    frequency: quarterly", "    frequncy: quarterly")
    output = problems_of(path)
    line = line_of(corporate, "frequncy: quarterly")
    assert f"{rel(corporate)}:{line}:5: error: reporting.review_meetings.frequncy: " in output, output
    assert "did you mean 'frequency'?" in output


def test_portfolio_file_errors_are_located(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    edit(path, "  - {customer: fabrikam, service: desk}", "  - {customer: fabrikam, servce: desk}")
    edit(path, "customer: contoso, service: email, spec:", "customer: contoso, service: e-mail, spec:")
    result = invoke("build", path, "-o", tmp_path / "out")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    line = line_of(path, "servce: desk")
    assert f"{rel(path)}:{line}:" in result.output and "unknown key 'servce'; did you mean 'service'?" in result.output  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()


def test_a_document_needs_its_own_identity(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    edit(path.parent / "customers" / "contoso-email.yaml", "  id: NW-SVC-CONTOSO-EMAIL\n", "")
    output = problems_of(path)
    assert "document contoso-email: its own spec files do not set agreement.id" in output
    assert f"{rel(path)}:{line_of(path, 'id: contoso-email')}:" in output


# ------------------------------------------------------------------ explain


def test_explain_prints_the_chain_of_overrides() -> None:
    result = invoke("explain", PORTFOLIO, "services.wan.availability.target", "--document", "contoso-wan")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    service_file = SAMPLE / "customers" / "contoso-wan.yaml"
    catalogue = SAMPLE / "services" / "wan.yaml"
    lines = result.output.splitlines()  # type: ignore[attr-defined]
    assert lines[1] == "services[wan].availability.target = 99.95%"
    assert lines[2] == f"  set at {rel(service_file)}:{line_of(service_file, 'target: 99.95%')}:7 (service level)"
    assert lines[3] == f"  overrode 99.9% at {rel(catalogue)}:{line_of(catalogue, 'target: 99.9%')}:3 (corporate level)"


def test_explain_addresses_items_by_id_or_index_and_states_exceptions() -> None:
    by_id = invoke("explain", PORTFOLIO, "responsiveness.severities.P1.response", "--document", "contoso-email")
    by_index = invoke("explain", PORTFOLIO, "responsiveness.severities[0].response", "--document", "contoso-email")
    assert by_id.output == by_index.output  # type: ignore[attr-defined]
    contoso, corporate = SAMPLE / "customers" / "contoso.yaml", SAMPLE / "corporate.yaml"
    assert f"set at {rel(contoso)}:{line_of(contoso, 'response: 10m')}:7 (customer level)" in by_id.output  # type: ignore[attr-defined]
    p1 = line_of(corporate, "response: 15m", after="id: P1")
    assert f"overrode 15m at {rel(corporate)}:{p1}:7 (corporate level)" in by_id.output  # type: ignore[attr-defined]
    inherited = invoke("explain", PORTFOLIO, "reporting.frequency", "--document", "fabrikam-desk")
    assert "reporting.frequency = quarterly" in inherited.output  # type: ignore[attr-defined]
    assert "agreed exception: Fabrikam asked for quarterly reports" in inherited.output  # type: ignore[attr-defined]
    spec = SAMPLE.parent / "managed-network.yaml"
    plain = invoke("explain", spec, "service_credits.bands[1].credit")
    assert f"set at {spec}:{line_of(spec, 'credit: 10%')}:" in plain.output  # type: ignore[attr-defined]


def test_explain_refuses_unknown_documents_and_paths() -> None:
    missing = invoke("explain", PORTFOLIO, "reporting.frequency")
    assert missing.exit_code == 1 and "--document" in missing.output and "contoso-wan" in missing.output  # type: ignore[attr-defined]
    typo = invoke("explain", PORTFOLIO, "services.wan.availability.targt", "--document", "contoso-wan")
    assert typo.exit_code == 1 and "has no 'targt'" in typo.output  # type: ignore[attr-defined]
    item = invoke("explain", PORTFOLIO, "services.voip.name", "--document", "contoso-wan")
    assert item.exit_code == 1 and "has no item 'voip' (it has wan)" in item.output  # type: ignore[attr-defined]


# ------------------------------------------------------------------ a lower level may tighten, not weaken


def test_the_sample_passes_every_cross_level_check() -> None:
    report = check_levels(read_portfolio(PORTFOLIO))
    assert report.errors == []
    assert [e.key for e in report.agreed["fabrikam"]] == ["reporting.frequency"]


def test_weakening_a_corporate_commitment_is_an_error_naming_both_sources(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    contoso = path.parent / "customers" / "contoso.yaml"
    edit(contoso, "      response: 10m", "      response: 20m")
    output = problems_of(path)
    corporate = path.parent / "corporate.yaml"
    assert (
        f"{rel(contoso)}:{line_of(contoso, 'response: 20m')}:7: error: responsiveness.severities[P1].response" in output
    )
    assert (
        f"set at {rel(corporate)}:{line_of(corporate, 'response: 15m', after='id: P1')}:7 (corporate level)" in output
    )
    assert "gives 20 minutes where the Corporate SLA NW-CORP-SLA commits to 15 minutes" in output


@pytest.mark.parametrize(
    ("file", "edits", "key"),
    [
        ("services/wan.yaml", [("  target: 99.9%", "  target: 99.9%")], None),  # unchanged: passes
        (
            "customers/contoso-email.yaml",
            [("  - id: email\n", "  - id: email\n    hours: business\n")],
            "services[email].hours",
        ),
        (
            "customers/contoso-wan.yaml",
            [("99.9%, credit: 10%", "99.9%, credit: 5%"), ("99.5%, credit: 20%", "99.5%, credit: 8%")],
            "service_credits.bands",
        ),
        (
            "customers/fabrikam.yaml",
            [("  frequency: quarterly\n", "  frequency: quarterly\n  due: 20 business days\n")],
            "reporting.due",
        ),
        ("customers/contoso.yaml", [("    fee: 38500 GBP", "    fee: 100 GBP")], None),  # fees are per customer
        (
            "customers/contoso.yaml",
            [("      response: 10m", "      response: 10m\n      update: ~")],
            "responsiveness.severities[P1].update",
        ),
    ],
)
def test_each_kind_of_weakening_fails(tmp_path: Path, file: str, edits: list[tuple[str, str]], key: str | None) -> None:
    path = copy_sample(tmp_path)
    target = path.parent / file
    for old, new in edits:
        edit(target, old, new)
    report = check_levels(read_portfolio(path))
    if key is None:
        assert report.errors == []
        return
    assert [p.path for p in report.errors] == [key], [p.format() for p in report.errors]
    assert report.errors[0].file == rel(target)


def test_an_agreed_exception_allows_the_weakening_and_the_document_states_it(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    contoso = path.parent / "customers" / "contoso.yaml"
    edit(contoso, "      response: 10m", "      response: 20m")
    edit(
        contoso,
        "services:\n",
        "exceptions:\n  - path: responsiveness.severities.P1.response\n    reason: Night shift cover agreed.\n\n"
        "services:\n",
    )
    portfolio = read_portfolio(path)
    report = check_levels(portfolio)
    assert report.errors == []
    (agreed,) = report.agreed["contoso"]
    assert (agreed.value, agreed.upper_value, agreed.reason) == (
        "20 minutes",
        "15 minutes",
        "Night shift cover agreed.",
    )


def test_an_exception_that_excuses_nothing_is_a_warning(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    contoso = path.parent / "customers" / "contoso.yaml"
    edit(contoso, "services:\n", "exceptions:\n  - {path: reporting.due, reason: none needed}\n\nservices:\n")
    report = check_levels(read_portfolio(path))
    assert report.errors == []
    (warning,) = [w for w in report.warnings if w.code == "unused-exception"]
    assert warning.file == rel(contoso) and warning.line == line_of(contoso, "reporting.due")


# ------------------------------------------------------------------ OLAs and contracts support the SLAs


def test_a_supplier_slower_than_the_sla_is_an_error_naming_both(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    uc = path.parent / "operations" / "uc-metrolink.yaml"
    edit(uc, "update: 1h, resolution: 4h", "update: 1h, resolution: 6h")
    report = check_levels(read_portfolio(path))
    corporate = path.parent / "corporate.yaml"
    texts = [p.format() for p in report.errors]
    assert report.errors and all(p.path == "responsiveness.severities[P1].resolution" for p in report.errors), texts
    assert {p.file for p in report.errors} == {rel(uc)}
    assert any(
        f"longer than the 4 hours that the Corporate SLA NW-CORP-SLA promises, set at {rel(corporate)}:"
        f"{line_of(corporate, 'resolution: 4h')}:7" in t
        for t in texts
    ), texts


def test_a_supplier_that_drops_the_resolution_target_does_not_support_the_sla(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    uc = path.parent / "operations" / "uc-metrolink.yaml"
    edit(uc, "update: 1h, resolution: 4h", "update: 1h")
    report = check_levels(read_portfolio(path))
    texts = [p.format() for p in report.errors]
    missing = [p for p in report.errors if p.path == "responsiveness.severities[P1].response" and p.file == rel(uc)]
    assert missing, texts
    assert all("sets no resolution target" in p.message and "promises 4 hours" in p.message for p in missing), texts
    assert missing[0].line == line_of(uc, "id: P1")


def test_components_in_series_must_reach_the_service_target(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    uc = path.parent / "operations" / "uc-metrolink.yaml"
    edit(uc, "target: 99.97%", "target: 99.93%")  # 99.99% x 99.93% = 99.92%: below 99.95%, above 99.9%
    edit(uc, "below: 99.97%", "below: 99.93%")
    report = check_levels(read_portfolio(path))
    (problem,) = report.errors
    service_file = path.parent / "customers" / "contoso-wan.yaml"
    ola = path.parent / "operations" / "ola-network.yaml"
    assert problem.file == rel(service_file) and problem.line == line_of(service_file, "target: 99.95%")
    assert "together they are available only 99.9200% of the time" in problem.message or "99.92" in problem.message
    assert f"{rel(uc)}:{line_of(uc, 'target: 99.93%')}" in problem.message
    assert f"{rel(ola)}:{line_of(ola, 'target: 99.99%')}" in problem.message


# ------------------------------------------------------------------ fragments


def test_a_cycle_of_extends_names_every_link(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    maintenance = path.parent / "services" / "maintenance.yaml"
    wan = path.parent / "services" / "wan.yaml"
    maintenance.write_text("extends: wan.yaml\n" + maintenance.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("build", path, "-o", tmp_path / "out", "-f", "html")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "the fragments extend each other in a cycle: " in result.output  # type: ignore[attr-defined]
    assert f"{rel(wan)}:1:1 extends {rel(maintenance)} -> {rel(maintenance)}:1:1 extends {rel(wan)}" in result.output  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()


def test_extends_paths_are_relative_to_the_referring_file(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    shared = path.parent / "shared"
    shared.mkdir()
    (path.parent / "services" / "maintenance.yaml").rename(shared / "maintenance.yaml")
    edit(path.parent / "services" / "wan.yaml", "extends: maintenance.yaml", "extends: ../shared/maintenance.yaml")
    output = problems_of(path)
    email = path.parent / "services" / "email.yaml"
    assert f"{rel(email)}:1:1: error: extends: extends 'maintenance.yaml', which does not exist" in output
    assert "wan.yaml" not in output


# ------------------------------------------------------------------ validate, and what a lower document leaves out


def test_validate_checks_a_portfolio(tmp_path: Path) -> None:
    result = invoke("validate", PORTFOLIO)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert f"ok - portfolio northwind: {len(read(PORTFOLIO)['documents'])} documents" in result.output  # type: ignore[attr-defined,index]
    path = copy_sample(tmp_path)
    edit(path.parent / "customers" / "fabrikam.yaml", "  - path: reporting.frequency\n", "  - path: reporting.due\n")
    failing = invoke("validate", path)
    assert failing.exit_code == 1  # type: ignore[attr-defined]
    fabrikam = path.parent / "customers" / "fabrikam.yaml"
    assert (
        f"{rel(fabrikam)}:{line_of(fabrikam, 'frequency: quarterly')}:3: error: reporting.frequency: "
        "document fabrikam: Service reports: the Customer SLA gives quarterly "
        "where the Corporate SLA NW-CORP-SLA commits to monthly"
    ) in failing.output  # type: ignore[attr-defined]


def test_left_out_clauses_are_referred_to_by_their_number_in_the_document_above() -> None:
    from slaforge.compose import compose
    from slaforge.library.clauses import load_library
    from slaforge.portfolio.build import PortfolioOptions, check_portfolio, plans_for

    options = PortfolioOptions()
    portfolio, report = check_portfolio(PORTFOLIO, options)
    plans = plans_for(portfolio, report, options)
    library = load_library([])
    composed = {d: compose(p.agreement, library, omit=p.omit, external=p.external) for d, p in plans.items()}
    for doc_id, plan in plans.items():
        ids = {c.id for c in composed[doc_id].clauses()}
        assert not ids & plan.omit
        for clause_id in plan.omit & set(plan.external):
            text = plan.external[clause_id]
            upper = next(
                d
                for d in portfolio.documents[doc_id].above[::-1]
                if f" {portfolio.documents[d].spec.agreement.id} " in text
            )
            assert text.startswith(f"clause {composed[upper].clause(clause_id).number} of the ")
    # the service SLA for Contoso's email overrides nothing the customer SLA says about responsiveness
    assert "responsiveness.targets" in plans["contoso-email"].omit
    assert "responsiveness.targets" not in plans["contoso"].omit  # Contoso's P1 response is its own
    assert "reliability.availability-target" not in plans["contoso-wan"].omit  # so is the WAN's target
    assert not plans["corporate"].omit


# ------------------------------------------------------------------ the three ITIL structures


SERVICE_BASED = """\
agreement:
  id: NW-SVC-EMAIL
  title: Hosted Email Service Level Agreement
  version: "1.0"
  history:
    - version: "1.0"
      date: 2027-03-01
      author: Daniel Okafor
      summary: One set of terms for every customer of hosted email.
"""


def test_a_service_document_without_a_customer_is_service_based_for_every_customer(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    (path.parent / "services" / "email-sla.yaml").write_text(SERVICE_BASED, encoding="utf-8")
    edit(
        path,
        "  - {id: corporate, kind: corporate, spec: corporate.yaml}\n",
        "  - {id: corporate, kind: corporate, spec: corporate.yaml}\n"
        "  - {id: email, kind: service, service: email, spec: services/email-sla.yaml}\n",
    )
    portfolio = read_portfolio(path)
    document = portfolio.documents["email"]
    takers = [s["customer"] for s in read(path)["subscriptions"] if s["service"] == "email"]
    assert len(takers) == 2
    assert [c.id for c in document.spec.customers] == takers  # every customer of the service, same terms
    assert [s.id for s in document.spec.services] == ["email"]
    assert document.spec.structure == "service-based" and document.spec.level.value == "service"
    assert document.above == ("corporate",)
    assert portfolio.documents["contoso-email"].spec.structure == "multi-level"
    assert not check_levels(portfolio).errors


def test_a_service_based_document_for_a_service_nobody_takes_is_an_error(tmp_path: Path) -> None:
    path = copy_sample(tmp_path)
    (path.parent / "services" / "email-sla.yaml").write_text(SERVICE_BASED, encoding="utf-8")
    edit(path, "  - {customer: contoso, service: email}\n", "")
    edit(path, "  - {customer: fabrikam, service: email}\n", "")
    edit(
        path,
        "  - {id: contoso-email, kind: service, customer: contoso, service: email, "
        "spec: customers/contoso-email.yaml}\n",
        "",
    )
    edit(
        path,
        "  - {id: corporate, kind: corporate, spec: corporate.yaml}\n",
        "  - {id: corporate, kind: corporate, spec: corporate.yaml}\n"
        "  - {id: email, kind: service, service: email, spec: services/email-sla.yaml}\n",
    )
    problems = problems_of(path)
    assert f"{rel(path)}:{line_of(path, 'id: email, kind: service')}:" in problems
    assert "no customer takes service email, so a service-based SLA for it binds nobody" in problems


def test_a_portfolio_without_documents_is_told_what_a_portfolio_lacks(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.yaml"
    path.write_text(
        "slaforge: 1\nportfolio: {id: x, title: X}\nprovider: {id: p, name: P, address: A}\n"
        "customers: [{id: c, name: C, address: A}]\nservices: []\n",
        encoding="utf-8",
    )
    result = invoke("validate", path)
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 1, output  # type: ignore[attr-defined]
    assert f"{rel(path)}:1:1: error: documents: required key 'documents' is missing" in output
    assert "unknown key 'portfolio'" not in output  # not mistaken for a spec
