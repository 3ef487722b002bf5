"""Small text helpers every floor may use: lists in a sentence, dates as a contract writes them, counts."""

from __future__ import annotations

import datetime as dt
import re
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


def cut(text: str, limit: int = 200) -> str:
    """``text`` as it may be quoted in a message: at most ``limit`` characters, the cut said so."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters in all)"


# C0 and C1 controls (but tab and line feed), DEL, and the marks that reorder what a terminal shows
_UNPRINTABLE = {
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
}
_SURROGATE = re.compile("[\ud800-\udfff]")  # found by a regular expression: a 17 MB report prints in 0.1 s
_ESCAPES = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _UNPRINTABLE}


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters and escape sequences written as ``\\x1b``.

    A spec value, a file name or a message can hold an escape sequence that would recolour, clear or
    retitle the terminal; printed through this, it shows as the characters it is made of.  Surrogates
    that cannot be printed are written as ``\\udxxx`` too.
    """
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text.translate(_ESCAPES))
