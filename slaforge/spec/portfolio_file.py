"""The portfolio file: provider, customers, services, subscriptions and the documents to produce.

Example::

    slaforge: 1
    portfolio: {id: northwind, title: Northwind Networks service level agreements}
    provider: {id: northwind, name: Northwind Networks Ltd, address: ...}
    customers: [{id: contoso, name: Contoso Logistics plc, address: ...}]
    teams: [{id: noc, name: Network Operations, address: ..., internal: true}]
    suppliers: [{id: metrolink, name: Metrolink Fibre Ltd, address: ...}]
    services: [{id: wan, spec: services/wan.yaml}]
    subscriptions: [{customer: contoso, service: wan, tier: Gold}]
    documents:
      - {id: corporate, kind: corporate, spec: corporate.yaml}
      - {id: contoso, kind: customer, customer: contoso, spec: customers/contoso.yaml}
      - {id: contoso-wan, kind: service, customer: contoso, service: wan, spec: customers/contoso-wan.yaml}
      - {id: ola-noc, kind: ola, provider: noc, customer: service-management, supports: [wan], spec: ola/noc.yaml}
      - {id: uc-metrolink, kind: underpinning, supplier: metrolink, supports: [wan], spec: uc/metrolink.yaml}

Paths are relative to the portfolio file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from slaforge.spec.models import Identifier, Party

PORTFOLIO_KEY = "portfolio"  # a spec has no such key, so it alone tells a portfolio file from a spec


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(StrEnum):
    corporate = "corporate"
    customer = "customer"
    service = "service"
    ola = "ola"
    underpinning = "underpinning"


# the spec level a document's clauses are chosen for (how the texts name a kind: the theme's labels)
SPEC_LEVELS = {
    Kind.corporate: "corporate",
    Kind.customer: "customer",
    Kind.service: "service",
    Kind.ola: "service",
    Kind.underpinning: "service",
}


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class PortfolioInfo(_Model):
    id: Identifier = Field(description="Short name of the portfolio")
    title: str = Field(min_length=1, description="Title of the index page")


class CatalogueService(_Model):
    id: Identifier = Field(description="Service id used by subscriptions and documents")
    spec: str = Field(description="Fragment file holding the service's definition (a services item)")


class Subscription(_Model):
    customer: Identifier = Field(description="The customer's id")
    service: Identifier = Field(description="The service's id")
    tier: str | None = Field(None, description="Tier the customer takes, e.g. Gold")


class DocumentEntry(_Model):
    id: Identifier = Field(description="Document id inside the portfolio (also its folder name)")
    kind: Kind = Field(description="corporate, customer, service, ola or underpinning")
    spec: list[str] = Field(min_length=1, description="Fragment file(s), merged in order")
    customer: Identifier | None = Field(
        None,
        description="customer documents: the customer; service documents: the customer, or none for a "
        "service-based SLA that binds every customer of the service on the same terms",
    )
    service: Identifier | None = Field(None, description="service documents: the service")
    provider: Identifier | None = Field(None, description="ola: the team that provides")
    supplier: Identifier | None = Field(None, description="underpinning: the supplier")
    supports: list[Identifier] = Field(
        default_factory=list, description="ola and underpinning: the services whose SLAs they support"
    )
    names_customers: bool | list[Identifier] = Field(
        False,
        description="ola and underpinning: name the customers whose SLAs they support - true for every one, or "
        "a list of customer ids; by default a document for an internal team or a supplier names no customer",
    )

    _spec_list = field_validator("spec", mode="before")(lambda cls, v: _as_list(v))


class PortfolioFile(_Model):
    slaforge: Literal[1] = Field(1, description="Version of the slaforge file format (1)")
    portfolio: PortfolioInfo = Field(description="The portfolio's id and title")
    provider: Party = Field(description="The provider of every service")
    customers: list[Party] = Field(description="Every customer of the portfolio", min_length=1)
    teams: list[Party] = Field(default_factory=list, description="Internal teams that are parties to OLAs")
    suppliers: list[Party] = Field(default_factory=list, description="Suppliers that are parties to contracts")
    services: list[CatalogueService] = Field(min_length=1, description="The service catalogue")
    subscriptions: list[Subscription] = Field(
        description="Which customer takes which service (and tier)", default_factory=list
    )
    documents: list[DocumentEntry] = Field(
        description="The agreements of the portfolio and the fragment files that make each", min_length=1
    )


def is_portfolio_data(data: Any) -> bool:
    return isinstance(data, dict) and PORTFOLIO_KEY in data


# ------------------------------------------------------------------ validation


def validate_portfolio_file(data: Any, source: Any) -> PortfolioFile:
    """The portfolio model of ``data``, or :class:`SpecError` with every problem, located."""
    from pydantic import ValidationError

    from slaforge.errors import Problems, SpecError
    from slaforge.spec.problems import problems_from_pydantic

    if not is_portfolio_data(data):
        raise SpecError(
            "not a portfolio file",
            [source.problem((), "a portfolio is a mapping with 'portfolio' at the top", code="not-portfolio")],
        )
    try:
        file = PortfolioFile.model_validate(data)
    except ValidationError as exc:
        raise Problems(problems_from_pydantic(exc, source, PortfolioFile)).exception() from None
    Problems(check_references(file, source)).raise_errors()
    return file


def check_references(file: PortfolioFile, source: Any) -> list[Any]:
    """Every id a portfolio names exists, each document has what its kind needs, no duplicates."""
    problems: list[Any] = []
    customers = [c.id for c in file.customers]
    services = [s.id for s in file.services]
    teams = [t.id for t in file.teams]
    suppliers = [s.id for s in file.suppliers]

    def need(loc: tuple[Any, ...], value: str | None, valid: list[str], what: str, role: str) -> None:
        if value is None:
            problems.append(source.problem(loc[:-1], f"a {role} names its {what}: add '{loc[-1]}'", code="missing"))
        elif value not in valid:
            problems.append(
                source.problem(
                    loc,
                    f"no {what} called {value!r}",
                    given=value,
                    expected="one of: " + (", ".join(valid) or f"(the portfolio lists no {what}s)"),
                    code="unknown-reference",
                )
            )

    for group, ids in (("customers", customers), ("services", services), ("teams", teams), ("suppliers", suppliers)):
        for i, value in enumerate(ids):
            if ids.index(value) != i:
                problems.append(source.problem((group, i, "id"), f"duplicate id {value!r}", code="duplicate-id"))
    for i, doc in enumerate(file.documents):
        if doc.names_customers and doc.kind not in (Kind.ola, Kind.underpinning):
            problems.append(
                source.problem(
                    ("documents", i, "names_customers"),
                    f"document {doc.id}: names_customers is for an ola or underpinning document; a "
                    f"{doc.kind.value} document names its customers as parties",
                    given=str(doc.names_customers),
                    code="not-applicable",
                )
            )
        if isinstance(doc.names_customers, list):
            for j, name in enumerate(doc.names_customers):
                need(("documents", i, "names_customers", j), name, customers, "customer", "document")
    taken: set[tuple[str, str]] = set()
    for i, sub in enumerate(file.subscriptions):
        need(("subscriptions", i, "customer"), sub.customer, customers, "customer", "subscription")
        need(("subscriptions", i, "service"), sub.service, services, "service", "subscription")
        taken.add((sub.customer, sub.service))
    seen: dict[Any, int] = {}
    for i, doc in enumerate(file.documents):
        at = ("documents", i)
        if doc.id in seen:
            problems.append(source.problem((*at, "id"), f"duplicate document id {doc.id!r}", code="duplicate-id"))
        seen.setdefault(doc.id, i)
        key: Any = None
        if doc.kind == Kind.corporate:
            key = "corporate"
        elif doc.kind == Kind.customer:
            need((*at, "customer"), doc.customer, customers, "customer", "customer SLA")
            key = ("customer", doc.customer)
        elif doc.kind == Kind.service and doc.customer is None:  # service-based: every customer of the service
            need((*at, "service"), doc.service, services, "service", "service SLA")
            key = ("service", None, doc.service)
            if doc.service in services and not any(s.service == doc.service for s in file.subscriptions):
                problems.append(
                    source.problem(
                        (*at, "service"),
                        f"no customer takes service {doc.service}, so a service-based SLA for it binds nobody",
                        expected=f"subscriptions: [{{customer: ..., service: {doc.service}}}]",
                        code="no-subscription",
                    )
                )
        elif doc.kind == Kind.service:
            need((*at, "customer"), doc.customer, customers, "customer", "service SLA")
            need((*at, "service"), doc.service, services, "service", "service SLA")
            key = ("service", doc.customer, doc.service)
            if doc.customer in customers and doc.service in services and (doc.customer, doc.service) not in taken:
                problems.append(
                    source.problem(
                        (*at, "service"),
                        f"customer {doc.customer} does not take service {doc.service}: add a subscription",
                        expected=f"subscriptions: [{{customer: {doc.customer}, service: {doc.service}}}]",
                        code="no-subscription",
                    )
                )
        elif doc.kind == Kind.ola:
            need((*at, "provider"), doc.provider, teams, "team", "OLA")
            need((*at, "customer"), doc.customer, teams, "team", "OLA")
        elif doc.kind == Kind.underpinning:
            need((*at, "supplier"), doc.supplier, suppliers, "supplier", "underpinning contract")
        if doc.kind in (Kind.ola, Kind.underpinning):
            if not doc.supports:
                problems.append(source.problem(at, f"document {doc.id}: name the services it supports", code="missing"))
            for j, service in enumerate(doc.supports):
                need((*at, "supports", j), service, services, "service", "document")
        if key is not None and key in seen and seen[key] != i:
            problems.append(
                source.problem(at, f"document {doc.id} duplicates document {file.documents[seen[key]].id}", code="dup")
            )
        if key is not None:
            seen.setdefault(key, i)
    return problems
