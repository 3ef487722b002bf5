"""One party registry for the whole portfolio: every party has one identity in every document.

The portfolio file lists the provider, the customers, the internal teams and the suppliers once.
A document's spec files may add contacts to a party, but they cannot give it another name,
address or company number, nor bring in a party the registry does not know: the same customer
would then appear in two documents as two different companies.  Each such problem is located at
the value the fragment wrote and names the registry's line.

Within the registry itself, two entries with the same company registration or the same legal name
are one party, and must agree on the other.
"""

from __future__ import annotations

from typing import Any

from slaforge.errors import Problem
from slaforge.spec.fragments import LayeredSourceMap, Origin
from slaforge.spec.source import Loc, SourceMap

IDENTITY = ("name", "short_name", "address", "registration")
GROUPS = ("customers", "teams", "suppliers")


def _where(origin: Any) -> str:
    return f"{origin.file}:{origin[0]}:{origin[1]}" if isinstance(origin, Origin) else "the portfolio file"


def document_party_problems(
    registry: dict[str, Any],
    registry_positions: dict[Loc, Any],
    data: dict[str, Any],
    source: LayeredSourceMap,
    document: str,
) -> list[Problem]:
    """Where a document's merged ``provider`` and ``customers`` differ from what the registry gave it.

    ``registry`` is the data as the portfolio layer left it (the parties taken from the registry),
    ``data`` the document's data after every fragment."""
    problems: list[Problem] = []
    known = {c.get("id"): (i, c) for i, c in enumerate(registry.get("customers") or []) if isinstance(c, dict)}
    pairs: list[tuple[Loc, Loc, dict[str, Any], Any]] = []
    if isinstance(data.get("provider"), dict) and isinstance(registry.get("provider"), dict):
        pairs.append((("provider",), ("provider",), registry["provider"], data["provider"]))
    for i, customer in enumerate(data.get("customers") or []):
        if not isinstance(customer, dict):
            continue
        if customer.get("id") not in known:
            problems.append(
                source.problem(
                    ("customers", i, "id"),
                    f"document {document}: customer {customer.get('id')!r} is not in the portfolio's party "
                    "registry: list it under customers in the portfolio file (each party is written once there)",
                    given=str(customer.get("id")),
                    expected="one of: " + (", ".join(str(k) for k in known) or "(no customers)"),
                    code="unregistered-party",
                )
            )
            continue
        j, registered = known[customer["id"]]
        pairs.append((("customers", i), ("customers", j), registered, customer))
    for at, registered_at, registered, merged in pairs:
        for key in IDENTITY:
            mine, theirs = merged.get(key), registered.get(key)
            if mine == theirs:
                continue
            registered_origin = registry_positions.get((*registered_at, key)) or registry_positions.get(registered_at)
            party = registered.get("id")
            problems.append(
                source.problem(
                    (*at, key),
                    f"document {document}: the {key.replace('_', ' ')} of {party} differs from the portfolio's "
                    f"party registry ({_where(registered_origin)}: {theirs!r}); a party has one identity in "
                    "every document: change it in the registry, or remove it here",
                    given=str(mine),
                    expected=str(theirs),
                    code="party-identity",
                )
            )
    return problems


def registry_problems(parties: dict[str, list[Any]], source: SourceMap) -> list[Problem]:
    """Two registry entries that are one party (same registration or same legal name) but disagree.

    ``parties`` maps a group (``provider``, ``customers``, ``teams``, ``suppliers``) to its entries."""
    entries: list[tuple[Loc, Any]] = []
    for group, items in parties.items():
        if group == "provider":
            entries.extend((("provider",), item) for item in items)
        else:
            entries.extend(((group, i), item) for i, item in enumerate(items))
    problems: list[Problem] = []
    reported: set[tuple[Loc, str]] = set()
    for key, others in (("registration", ("name", "address")), ("name", ("registration", "address"))):
        first: dict[str, tuple[Loc, Any]] = {}
        for at, party in entries:
            value = getattr(party, key)
            if not value:
                continue
            normal = " ".join(str(value).split()).casefold()
            if normal not in first:
                first[normal] = (at, party)
                continue
            earlier_at, earlier = first[normal]
            for field in others:
                if getattr(party, field) == getattr(earlier, field) or (at, field) in reported:
                    continue
                reported.add((at, field))
                line, column = source.locate((*earlier_at, field))
                problems.append(
                    source.problem(
                        (*at, field),
                        f"{party.id} has the {key} of {earlier.id} ({source.file}:{line}:{column}) but another "
                        f"{field}: one party is listed twice; list it once, or correct the {key}",
                        given=str(getattr(party, field)),
                        expected=str(getattr(earlier, field)),
                        code="party-identity",
                    )
                )
    return problems
