"""Spans of real time, ``[start, end)`` in seconds since the epoch: difference and length.

Union (``merge``) and intersection are :mod:`slaforge.arithmetic.calendars`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from slaforge.arithmetic.calendars import merge

Span = tuple[int, int]  # [start, end) in seconds since the epoch


def subtract(a: list[Span], b: list[Span]) -> list[Span]:
    out = []
    for a0, a1 in a:
        pieces = [(a0, a1)]
        for b0, b1 in b:
            pieces = [p for x0, x1 in pieces for p in ((x0, min(x1, b0)), (max(x0, b1), x1)) if p[1] > p[0]]
        out.extend(pieces)
    return merge(out)


def length(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in spans)


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def local_instant(day: dt.date, minute: int, zone: ZoneInfo) -> int:
    """The epoch second of a minute of a local day (minute 1440 is the next midnight)."""
    naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)
    return epoch(naive.replace(tzinfo=zone))
