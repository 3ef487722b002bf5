"""Merging located data: one layer of plain spec data over another, every value keeping where it was written.

Mappings merge key by key; a list whose items all carry an ``id`` (services, severities,
customers, policies) merges item by item by id (new ids are appended); any other list (credit
bands, time windows, ...) is replaced whole; ``~`` (null) removes a key.  The merged data keeps a
map from each of its locs to the position where its value was written (in whichever file or
layer), so that every problem of the merged spec is located where the user wrote it.  Offers
merge tiers over a base this way, and portfolios each level over the one above.
"""

from __future__ import annotations

from typing import Any

from slaforge.errors import Problem
from slaforge.spec.source import Loc, SourceMap, dotted


class Merger:
    """Builds merged data and its positions; ``out`` maps merged locs to offer-file positions."""

    def __init__(self, source: SourceMap, out: dict[Loc, tuple[int, int]], problems: list[Problem]) -> None:
        self.source = source
        self.out = out
        self.problems = problems

    def take(self, value: Any, src: Loc, dst: Loc) -> Any:
        """A copy of ``value`` (read at ``src`` in the offer file) placed at ``dst``."""
        position = self.source.positions.get(src)
        if position:
            self.out[dst] = position
        if isinstance(value, dict):
            return {k: self.take(v, (*src, k), (*dst, k)) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [self.take(v, (*src, i), (*dst, i)) for i, v in enumerate(value)]
        return value

    def drop(self, dst: Loc) -> None:
        for loc in [loc for loc in self.out if loc[: len(dst)] == dst]:
            del self.out[loc]

    def merge(self, base: Any, over: Any, src: Loc, dst: Loc) -> Any:
        if isinstance(base, dict) and isinstance(over, dict):
            result = dict(base)
            for key, value in over.items():
                if value is None:
                    result.pop(key, None)
                    self.drop((*dst, key))
                elif key in base:
                    result[key] = self.merge(base[key], value, (*src, key), (*dst, key))
                else:
                    result[key] = self.take(value, (*src, key), (*dst, key))
            return result
        if _is_id_list(base) and isinstance(over, list):
            return self._merge_by_id(base, over, src, dst)
        self.drop(dst)
        return self.take(over, src, dst)

    def _merge_by_id(self, base: list[Any], over: list[Any], src: Loc, dst: Loc) -> list[Any]:
        result = list(base)
        ids = [item["id"] for item in base]
        for i, item in enumerate(over):
            if not (isinstance(item, dict) and "id" in item):
                self.problems.append(
                    self.source.problem(
                        (*src, i),
                        f"the items of {dotted(dst)} are merged by id: give the id of the item to change",
                        given=repr(item) if not isinstance(item, dict) else "an item without 'id'",
                        expected="a mapping with 'id', e.g. {id: " + str(ids[0]) + ", ...}",
                        code="tier-merge",
                    )
                )
                continue
            if item["id"] in ids:
                index = ids.index(item["id"])
                result[index] = self.merge(base[index], item, (*src, i), (*dst, index))
            else:
                result.append(self.take(item, (*src, i), (*dst, len(result))))
                ids.append(item["id"])
        return result


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) and "id" in i for i in value)
