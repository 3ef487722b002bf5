"""The numbers of a document's sections and clauses: decided once, by one rule, for every document.

Sections follow the library's category order and are numbered 1, 2, 3 ... (a category none of
whose clauses the document includes gets no number); the clauses of a section follow the
library's clause order and are numbered 1.1, 1.2 ...  :func:`~slaforge.compose.assembly.compose`
numbers every document with :func:`number_clauses`, and a portfolio cites a clause that a lower
document leaves to an upper one ("clause 5.2 of the Corporate SLA") by the number this same
function gives it in the upper document.
"""

from __future__ import annotations

from collections.abc import Iterable

from slaforge.library.clauses import Library


def number_clauses(library: Library, clause_ids: Iterable[str]) -> dict[str, str]:
    """Section (category) and clause ids -> their numbers, for a document that includes ``clause_ids``."""
    wanted = set(clause_ids)
    chosen = [clause for clause in library.ordered() if clause.id in wanted]
    numbers: dict[str, str] = {}
    sections = 0
    for category in library.categories:
        items = [clause for clause in chosen if clause.meta.category == category.id]
        if not items:
            continue
        sections += 1
        numbers[category.id] = str(sections)
        for index, clause in enumerate(items, start=1):
            numbers[clause.id] = f"{sections}.{index}"
    return numbers
