"""Spec and clause mutations with known ground truth, for the comparison tests.

A mutation edits a copy of a sample spec (through ruamel, so the rest of the
file stays as it was) or adds a clause file to the new version's own clause
folder (an override of a built-in clause with the same id: reworded, moved to
another place, or switched off; or a new clause).  Each records what a
reviewer must be told: the value paths that changed and the clause changes.

The clause text a test compares independently is :func:`clause_texts`: the
plain words of each clause, cross-references as their target id, numbers left
out (they are not part of a clause's words).
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from slaforge.document import (
    BulletList,
    DefinitionList,
    Document,
    Inline,
    ListItem,
    NumberedList,
    Paragraph,
    SignatureBlock,
    Table,
)

ROOT = Path(__file__).resolve().parent.parent
CLAUSES = ROOT / "clauses"
BASE = ROOT / "samples" / "managed-network.yaml"


def yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096
    y.preserve_quotes = True
    return y


def read(path: Path = BASE) -> Any:
    return yaml().load(path.read_text(encoding="utf-8"))


def dump(data: Any) -> str:
    buffer = io.StringIO()
    yaml().dump(data, buffer)
    return buffer.getvalue()


@dataclass
class Truth:
    values: set[str] = field(default_factory=set)  # value paths
    clauses: set[tuple[str, str]] = field(default_factory=set)  # (kind, clause id)


# ------------------------------------------------------------------ value mutations


def _severity(data: Any, sid: str) -> Any:
    return next(s for s in data["responsiveness"]["severities"] if s["id"] == sid)


def _band(data: Any, credit: str) -> tuple[int, Any]:
    return next((i, b) for i, b in enumerate(data["service_credits"]["bands"]) if str(b["credit"]) == credit)


def m_target(data: Any, rng: random.Random) -> set[str]:
    target = rng.choice(["99.96%", "99.97%", "99.98%"])
    data["services"][0]["availability"]["target"] = target
    index, band = _band(data, "5%")
    band["below"] = target  # the top band ends at the target, as the checks require
    return {"services[wan].availability.target", f"service_credits.bands[{index}].below"}


def m_resolution(data: Any, rng: random.Random) -> set[str]:
    _severity(data, "P1")["resolution"] = rng.choice(["2h", "3h", "6h"])
    return {"responsiveness.severities[P1].resolution"}


def m_response(data: Any, rng: random.Random) -> set[str]:
    _severity(data, "P2")["response"] = rng.choice(["20m", "25m", "1h"])
    return {"responsiveness.severities[P2].response"}


def m_attainment(data: Any, rng: random.Random) -> set[str]:
    _severity(data, "P3")["attainment"] = rng.choice(["85%", "92%", "95%"])
    return {"responsiveness.severities[P3].attainment"}


def m_band_credit(data: Any, rng: random.Random) -> set[str]:
    index, band = _band(data, "10%")
    band["credit"] = rng.choice(["12%", "15%"])
    return {f"service_credits.bands[{index}].credit"}


def m_cap(data: Any, rng: random.Random) -> set[str]:
    data["service_credits"]["caps"]["per_window"] = rng.choice(["40%", "50%"])
    return {"service_credits.caps.per_window"}


def m_claim_deadline(data: Any, rng: random.Random) -> set[str]:
    data["service_credits"]["claim"]["deadline"] = rng.choice(["45 days", "60 days"])
    return {"service_credits.claim.deadline"}


def m_exclusion(data: Any, rng: random.Random) -> set[str]:
    data["services"][0]["availability"]["exclusions"].append("third-party")
    return {"services[wan].availability.exclusions"}


def m_restriction(data: Any, rng: random.Random) -> set[str]:
    data["restrictions"].append({"kind": rng.choice(["over-quota", "beta-features"])})
    kind = data["restrictions"][-1]["kind"]
    return {f"restrictions[{kind}]"}


def m_interval(data: Any, rng: random.Random) -> set[str]:
    data["monitoring"]["interval"] = rng.choice(["5m", "30s"])
    return {"monitoring.interval"}


def m_report_due(data: Any, rng: random.Random) -> set[str]:
    data["reporting"]["due"] = rng.choice(["5 business days", "15 business days"])
    return {"reporting.due"}


def m_escalation(data: Any, rng: random.Random) -> set[str]:
    data["escalation"][1]["after"] = rng.choice(["3h", "5h"])
    return {"escalation[2].after"}


def m_contact(data: Any, rng: random.Random) -> set[str]:
    data["customers"][0]["contacts"][1]["email"] = f"cio{rng.randint(1, 99)}@contoso-logistics.com"
    return {"customers[contoso].contacts[escalation-contact].email"}


def m_scope(data: Any, rng: random.Random) -> set[str]:
    data["services"][0]["scope"].insert(0, "Quarterly capacity planning reviews for every site")
    return {"services[wan].scope"}


VALUE_MUTATIONS = [
    m_target,
    m_resolution,
    m_response,
    m_attainment,
    m_band_credit,
    m_cap,
    m_claim_deadline,
    m_exclusion,
    m_restriction,
    m_interval,
    m_report_due,
    m_escalation,
    m_contact,
    m_scope,
]


# ------------------------------------------------------------------ clause mutations


def builtin(clause_id: str) -> str:
    category, name = clause_id.split(".")
    return (CLAUSES / category / f"{name}.md").read_text(encoding="utf-8")


def front(text: str, key: str, value: str) -> str:
    """``text`` with one front-matter key set."""
    head, _, body = text.partition("\n---\n")
    lines = [line for line in head.splitlines() if not line.startswith(f"{key}:")]
    lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n" + body


def reword(text: str, rng: random.Random) -> str:
    """Replace one word of the standard wording (outside Jinja and markup) with another."""
    head, _, body = text.partition("\n---\n")
    standard = body.split("\n:: position ")[0]
    rest = body[len(standard) :]
    candidates = [m for m in re.finditer(r"(?<![\w{%|\[#.-])(shall|any|each|the|within|all|in)(?![\w}%|\]])", standard)]
    plain = [m for m in candidates if not _inside_markup(standard, m.start())]
    match = rng.choice(plain)
    replacement = {"shall": "must", "any": "every", "each": "every", "the": "that", "within": "inside"}.get(
        match.group(1), "throughout"
    )
    return head + "\n---\n" + standard[: match.start()] + replacement + standard[match.end() :] + rest


def _inside_markup(text: str, at: int) -> bool:
    for opening, closing in (("{{", "}}"), ("{%", "%}"), ("[[", "]]"), ("{#", "#}")):
        start = text.rfind(opening, 0, at)
        if start != -1 and text.find(closing, start) > at:
            return True
    line_start = text.rfind("\n", 0, at) + 1
    return text[line_start:at].lstrip().startswith(("|", "Table"))


NEW_CLAUSE = """---
id: {category}.added-{n}
title: Additional undertaking {n}
category: {category}
order: {order}
levels: [corporate, customer, service]
params: [provider]
---
The Provider ({{{{ provider.name }}}}) shall keep a written record of every request made under this clause
and shall give the Customer a copy of that record on request, free of charge.
"""


def write_clause(folder: Path, clause_id: str, text: str) -> None:
    category, name = clause_id.split(".")
    path = folder / category / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ independent clause text


def clause_texts(document: Document) -> dict[str, str]:
    """Each clause's title and words; cross-references as ``<target>``; no numbers or labels."""
    return {
        clause.id: "\n".join([clause.title, *(_block_text(b) for b in clause.blocks)]) for clause in document.clauses()
    }


def _inline(runs: Inline) -> str:
    return "".join(f"<{r.xref}>" if r.xref else r.text for r in runs)


def _items(items: tuple[ListItem, ...]) -> str:
    return "\n".join(_inline(i.runs) + ("\n" + _items(i.children) if i.children else "") for i in items)


def _block_text(block: object) -> str:
    match block:
        case Paragraph():
            return _inline(block.runs)
        case NumberedList() | BulletList():
            return _items(block.items)
        case Table():
            rows = [block.header, *block.rows]
            return f"{block.caption}\n" + "\n".join(" | ".join(_inline(c) for c in row) for row in rows)
        case DefinitionList():
            return "\n".join(f"{d.term}: {_inline(d.runs)}" for d in block.items)
        case SignatureBlock():
            return repr(block.signatories)
    raise TypeError(type(block).__name__)
