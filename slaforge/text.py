"""Small text helpers every floor may use: lists in a sentence, dates as a contract writes them, counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any


class LongDate(dt.date):
    """A date that prints as a contract writes it: 1 April 2027."""

    def __str__(self) -> str:
        return f"{self.day} {self:%B %Y}"


def long_date(day: dt.date) -> str:
    """``2027-04-01`` -> ``1 April 2027``."""
    return str(LongDate(day.year, day.month, day.day))


def and_list(items: Iterable[Any], word: str = "and") -> str:
    texts = [str(i) for i in items]
    if len(texts) <= 1:
        return "".join(texts)
    return f"{', '.join(texts[:-1])} {word} {texts[-1]}"


def in_sentence(text: Any) -> str:
    """A list item as its author wrote it, without the closing punctuation the clause supplies: "Keep
    contacts up to date." -> "Keep contacts up to date".  Trims and drops one trailing full stop or
    semicolon; never changes the case of a letter, so "KvK 24387719" and "Edge Functions" stay as written.
    """
    phrase = str(text).strip()
    if phrase.endswith((".", ";")):
        phrase = phrase[:-1].rstrip()
    return phrase


def format_decimal(value: Decimal) -> str:
    """``Decimal('99.950')`` -> ``'99.95'``; ``Decimal('100')`` -> ``'100'``."""
    return format(value.normalize(), "f")


def count(n: int, noun: str) -> str:
    """``count(1, "problem")`` -> ``1 problem``; ``count(3, "problem")`` -> ``3 problems``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
