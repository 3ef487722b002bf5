"""Spans of real time, ``[start, end)`` in seconds since the epoch: difference and length.

Union (``merge``) and intersection are :mod:`slaforge.arithmetic.calendars`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from slaforge.arithmetic.calendars import merge

Span = tuple[int, int]  # [start, end) in seconds since the epoch


def subtract(a: Iterable[Span], b: Iterable[Span]) -> list[Span]:
    """The time of ``a`` outside ``b``, merged (one sweep over both once they are sorted)."""
    cuts = merge(b)
    out: list[Span] = []
    j = 0
    for a0, a1 in merge(a):
        while j < len(cuts) and cuts[j][1] <= a0:
            j += 1
        start = a0
        k = j
        while k < len(cuts) and cuts[k][0] < a1:
            if cuts[k][0] > start:
                out.append((start, cuts[k][0]))
            start = max(start, cuts[k][1])
            k += 1
        if start < a1:
            out.append((start, a1))
    return out


def length(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in spans)


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def local_instant(day: dt.date, minute: int, zone: ZoneInfo) -> int:
    """The epoch second of a minute of a local day (minute 1440 is the next midnight)."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    return epoch(naive.replace(tzinfo=zone))
