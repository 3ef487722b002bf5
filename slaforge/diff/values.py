"""Typed comparison of two specs: every changed value, with its path, its units and its direction.

The walk follows the pydantic models field by field.  List items are matched
by their natural key (a service's or severity's ``id``, a history entry's
``version``, an escalation ``level``, a per-event credit's ``event``...), never
by index, so reordering a list or inserting an item above another is no
change to the others.  Items without a key (credit bands, time windows) are
matched by equal content first and the rest paired in order.

Values print as the spec's own unit types print them (``99.95%``, ``2h``,
``GBP 250``), and two spellings of one value (``4h`` and ``240m``, ``99.9`` and
``99.90%``) are the same value.  Whether a change is better or worse for the
customer is read from :mod:`slaforge.terms.direction`, keyed by the field's
path without list keys (``responsiveness.severities.resolution``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from slaforge.arithmetic.credits import describe_band
from slaforge.arithmetic.downtime import allowed_downtime_seconds, format_seconds
from slaforge.spec.calendars import TimeWindow
from slaforge.spec.lengths import compare_lengths, same_length
from slaforge.spec.models import CreditBand, HistoryEntry, Omission, Spec
from slaforge.spec.units import Duration, Money
from slaforge.terms.direction import Better, better

Direction = Literal["better", "worse", "neutral"]
ValueKind = Literal["changed", "added", "removed"]

# spec keys the comparison leaves to others: where clause files live (not agreement text), the
# chosen clause positions (reported as clause changes), the spec format number
IGNORED = {"clause_dirs", "positions", "slaforge"}

# natural keys of list items, tried in order; a key is used when it is unique in both versions
ITEM_KEYS = ("id", "version", "level", "event", "role", "kind", "date", "clause")


@dataclass(frozen=True)
class ValueChange:
    """One changed value of the spec."""

    path: str  # services[wan].availability.target
    label: str  # Managed WAN › availability › target
    kind: ValueKind
    old: str | None  # as the spec's unit types print it: 99.9%, 4h, GBP 250
    new: str | None
    direction: Direction
    field: str  # the path without list keys: services.availability.target
    note: str | None = None  # e.g. what a new availability target allows as downtime
    # other spellings of the values, to find them in clause text (4 hours for 4h)
    old_forms: tuple[str, ...] = ()
    new_forms: tuple[str, ...] = ()


def compare_values(old: Spec, new: Spec) -> list[ValueChange]:
    walk = _Walk()
    walk.model(old, new, "", "", "")
    return walk.changes


@dataclass(frozen=True)
class _Where:
    path: str
    label: str
    field: str


class _Walk:
    def __init__(self) -> None:
        self.changes: list[ValueChange] = []

    def model(self, old: BaseModel, new: BaseModel, path: str, label: str, field: str) -> None:
        for name in type(new).model_fields:
            if not path and name in IGNORED:
                continue
            self.value(
                getattr(old, name),
                getattr(new, name),
                _join(path, name),
                _join_label(label, name.replace("_", " ")),
                _join(field, name),
            )

    def value(self, old: Any, new: Any, path: str, label: str, field: str) -> None:
        if same(old, new):
            return
        where = _Where(path, label, field)
        if old is None or new is None:
            present = new if old is None else old
            kind: ValueKind = "added" if old is None else "removed"
            if isinstance(present, list | dict) and not present:
                return
            self.add(where, kind, old, new)
            return
        if isinstance(old, BaseModel) and isinstance(new, BaseModel) and type(old) is type(new):
            self.model(old, new, path, label, field)
        elif isinstance(old, dict) and isinstance(new, dict):
            self.mapping(old, new, where)
        elif isinstance(old, list) and isinstance(new, list):
            self.sequence(old, new, where)
        else:
            self.add(where, "changed", old, new)

    def mapping(self, old: dict[str, Any], new: dict[str, Any], where: _Where) -> None:
        for key in [*old, *(k for k in new if k not in old)]:
            item_path, item_label = (
                f"{where.path}[{key}]",
                _join_label(where.label, _name_of(new.get(key, old.get(key)), key)),
            )
            if key not in new:
                self.add(_Where(item_path, item_label, where.field), "removed", old[key], None)
            elif key not in old:
                self.add(_Where(item_path, item_label, where.field), "added", None, new[key])
            else:
                self.value(old[key], new[key], item_path, item_label, where.field)

    def sequence(self, old: list[Any], new: list[Any], where: _Where) -> None:
        if not any(isinstance(x, BaseModel) for x in [*old, *new]):
            self.scalars(old, new, where)
            return
        for a, b, key in match_items(old, new):
            label = _join_label(where.label, _name_of(b if b is not None else a, key))
            item = _Where(f"{where.path}[{key}]", label, where.field)
            if a is None:
                self.add(item, "added", None, b)
            elif b is None:
                self.add(item, "removed", a, None)
            else:
                self.value(a, b, item.path, item.label, item.field)

    def scalars(self, old: list[Any], new: list[Any], where: _Where) -> None:
        remaining = list(new)
        gone = []
        for item in old:
            hit = next((i for i, x in enumerate(remaining) if same(x, item)), None)
            if hit is None:
                gone.append(item)
            else:
                remaining.pop(hit)
        for item in gone:
            self.add(where, "removed", item, None)
        for item in remaining:
            self.add(where, "added", None, item)
        if not gone and not remaining:  # the same items in another order
            self.add(where, "changed", old, new)

    def add(self, where: _Where, kind: ValueKind, old: Any, new: Any) -> None:
        note = None
        if where.field in ("services.availability.target", "services.commitments.target") and kind == "changed":
            note = f"downtime allowed: {_downtime(old)} -> {_downtime(new)}"
        self.changes.append(
            ValueChange(
                path=where.path,
                label=where.label,
                kind=kind,
                old=None if old is None else show(old),
                new=None if new is None else show(new),
                direction=direction(where.field, kind, old, new),
                field=where.field,
                note=note,
                old_forms=forms(old),
                new_forms=forms(new),
            )
        )


def _downtime(target: Decimal) -> str:
    return f"{format_seconds(allowed_downtime_seconds(target, 30 * 86400))} in 30 days"


# ------------------------------------------------------------------ matching list items


def match_items(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[Any, Any, str]]:
    """Pairs (old item or None, new item or None, key shown in the path), in the new order."""
    key = _natural_key(old, new)
    if key is not None:
        olds = {_key_text(getattr(a, key)): a for a in old}
        news = {_key_text(getattr(b, key)) for b in new}
        pairs = [(olds.get(_key_text(getattr(b, key))), b, _key_text(getattr(b, key))) for b in new]
        pairs += [(a, None, k) for k, a in olds.items() if k not in news]
        return pairs
    # no key: equal items first, then the rest in order; the path shows the place in the new list
    unmatched_old = list(range(len(old)))
    pairs_by_new: dict[int, int] = {}
    for j, b in enumerate(new):
        hit = next((i for i in unmatched_old if same(old[i], b)), None)
        if hit is not None:
            unmatched_old.remove(hit)
            pairs_by_new[j] = hit
    # then each remaining new item with the remaining old item it shares most set values with
    for j in [j for j in range(len(new)) if j not in pairs_by_new]:
        scored = [(_shared(old[i], new[j]), -i, i) for i in unmatched_old]
        best = max(scored, default=None)
        if best is not None and best[0] > 0:
            pairs_by_new[j] = best[2]
            unmatched_old.remove(best[2])
    out: list[tuple[Any, Any, str]] = [
        (old[pairs_by_new[j]] if j in pairs_by_new else None, b, str(j)) for j, b in enumerate(new)
    ]
    out += [(old[i], None, f"{i} of the old list") for i in unmatched_old]
    return out


def _shared(old: BaseModel, new: BaseModel) -> int:
    """How many set fields two items have in common."""
    if type(old) is not type(new):
        return 0
    return sum(
        1
        for name in type(new).model_fields
        if getattr(new, name) not in (None, [], {}) and same(getattr(old, name), getattr(new, name))
    )


def _natural_key(old: Sequence[Any], new: Sequence[Any]) -> str | None:
    items = [*old, *new]
    if not items or not all(isinstance(x, BaseModel) for x in items):
        return None
    for key in ITEM_KEYS:
        if not all(key in type(x).model_fields for x in items):
            continue
        for group in (old, new):
            values = [_key_text(getattr(x, key)) for x in group]
            if len(set(values)) != len(values):
                break
        else:
            return key
    return None


def _key_text(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


# ------------------------------------------------------------------ values


def same(old: Any, new: Any) -> bool:
    """Equal as values: 4h is 240m, 99.9 is 99.90%; models and lists compare item by item."""
    if isinstance(old, Duration) and isinstance(new, Duration):
        return same_length(old, new)
    if isinstance(old, BaseModel) and isinstance(new, BaseModel):
        if type(old) is not type(new):
            return False
        return all(same(getattr(old, n), getattr(new, n)) for n in type(old).model_fields)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    return (type(old) is type(new) and old == new) or (_numeric(old) and _numeric(new) and old == new)


def _numeric(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def show(value: Any) -> str:
    """A value as the agreement would quote it."""
    if isinstance(value, Duration):
        return value.short()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(show(v) for v in value) if value else "none"
    if isinstance(value, CreditBand):
        return f"{describe_band(value)}: {value.credit}"
    if isinstance(value, TimeWindow):
        return value.describe()
    if isinstance(value, Omission):
        return f"{value.clause}: {value.reason}"
    if isinstance(value, HistoryEntry):
        return f"version {value.version} of {value.date.isoformat()} by {value.author}"
    if isinstance(value, BaseModel):
        return _summary(value)
    if isinstance(value, dict):
        return ", ".join(str(k) for k in value)
    return str(value)


def _summary(model: BaseModel) -> str:
    """A one-line description of a whole item that came or went."""
    data = {n: getattr(model, n) for n in type(model).model_fields}
    head = [str(_key_text(data[k])) for k in ("id", "version", "level", "event", "kind", "role") if data.get(k)]
    for name in ("name", "title", "role", "summary", "detail", "address"):
        text = data.get(name)
        if isinstance(text, str) and text and text not in head:
            head.append(text)
            break
    if head:
        return " ".join(head[:1]) + (f" ({head[1]})" if len(head) > 1 else "")
    parts = [f"{n.replace('_', ' ')} {show(v)}" for n, v in data.items() if v not in (None, [], {}, False)]
    return "; ".join(parts[:3])


def forms(value: Any) -> tuple[str, ...]:
    """Ways the clause text may print a value (4h as 4 hours, third-party as third party)."""
    if isinstance(value, CreditBand):
        return (describe_band(value),)
    if isinstance(value, HistoryEntry):
        return (" ".join(value.summary.split()[:5]),)
    if value is None or isinstance(value, list | dict | BaseModel):
        return ()
    texts = [show(value), str(value)]
    if isinstance(value, Enum):
        texts += [str(value.value), str(value.value).replace("-", " ")]
    return tuple(dict.fromkeys(t for t in texts if t))


def _name_of(item: Any, key: str) -> str:
    name = getattr(item, "name", None)
    if isinstance(name, str) and name and name != key and not key.isdigit():
        return f"{key} {name}" if any(ch.isdigit() for ch in key) else name  # "P1 Critical", "Managed WAN"
    if isinstance(item, CreditBand):
        return f"band {describe_band(item)}"
    return str(key) if not key.isdigit() else f"item {int(key) + 1}"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _join_label(label: str, name: str) -> str:
    return f"{label} \u203a {name}" if label else name


# ------------------------------------------------------------------ direction


def direction(field: str, kind: ValueKind, old: Any, new: Any) -> Direction:
    """Better, worse or neutral for the customer: an item that came or went, a flag, a value that grew."""
    way = better(field)
    if kind != "changed":
        grew = kind == "added"
        if way is Better.more:
            return "better" if grew else "worse"
        if way is Better.fewer:
            return "worse" if grew else "better"
        return "neutral"
    if isinstance(old, bool) and isinstance(new, bool):
        if way is Better.true:
            return "better" if new else "worse"
        if way is Better.false:
            return "worse" if new else "better"
        return "neutral"
    up = _increase(old, new)
    if up is None or way not in (Better.higher, Better.lower):
        return "neutral"
    return "better" if up == (way is Better.higher) else "worse"


def _increase(old: Any, new: Any) -> bool | None:
    """True when ``new`` is more than ``old``, None when they cannot be compared."""
    if isinstance(old, Duration) and isinstance(new, Duration):
        order = compare_lengths(new, old)
        return None if not order else order > 0
    elif isinstance(old, Money) and isinstance(new, Money):
        if old.currency != new.currency:
            return None
        a, b = old.amount, new.amount
    elif _numeric(old) and _numeric(new):
        a, b = Decimal(old), Decimal(new)
    else:
        return None
    if a == b:
        return None
    return b > a


def tally(changes: Iterable[ValueChange]) -> dict[str, int]:
    counts = {"better": 0, "worse": 0, "neutral": 0}
    for change in changes:
        counts[change.direction] += 1
    return counts
