"""Values with units, as users write them in a spec.

- :class:`Percent`: ``99.95%`` (or a bare number) -> exact :class:`~decimal.Decimal`.
- :class:`Duration`: ``15m``, ``4h``, ``2 business days``, ``8 business hours``, ``3 months``,
  ISO 8601 ``PT4H`` / ``P2D`` / ``P3M``; clock time unless the word *business* says otherwise.
  Months and years are calendar lengths (``P1M`` from 31 January ends at the end of February), in
  whole numbers, never a number of days: :mod:`slaforge.spec.lengths` adds and compares them.
- :class:`Money`: ``12000 EUR``, ``EUR 12,000.00`` or ``{amount: 12000, currency: EUR}``.

Each parses with a message that says what was expected, and prints back in a
form a contract can quote.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from slaforge.spec.currencies import checked_currency, currency_codes
from slaforge.text import format_decimal


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not a number") from exc
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    if value and value.adjusted() >= LARGEST_DIGITS:
        raise ValueError(
            f"a number of more than {LARGEST_DIGITS} digits before the point is larger than any agreement needs"
        )
    return value


LARGEST_DIGITS = 15  # digits before the decimal point of an amount, a percentage or a count of units


# ---------------------------------------------------------------- percentages


class Pct(Decimal):
    """An exact percentage that prints as ``99.95%``; compares and computes as a Decimal."""

    def __str__(self) -> str:
        return format_percent(self)

    def __repr__(self) -> str:
        return f"Pct('{format_decimal(self)}')"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else super().__format__(spec)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            parse_percent,
            serialization=core_schema.plain_serializer_function_ser_schema(format_percent, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": ["string", "number"], "pattern": r"^\s*\d+(\.\d+)?\s*%?\s*$", "examples": ["99.95%"]}


def parse_percent(value: Any) -> Pct:
    if isinstance(value, Pct):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a percentage such as 99.95%")
    if isinstance(value, int | float | Decimal):
        return Pct(_decimal(str(value)))  # str(): the digits as written; NaN and infinity are refused
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            text = text[:-1].strip()
        if "," in text:
            # '99,95%' is a decimal comma, not a thousands separator: never read it as 9995%
            raise ValueError("a comma is not a decimal point: write a percentage such as 99.95%")
        return Pct(_decimal(text))
    raise ValueError("expected a percentage such as 99.95%")


def format_percent(value: Decimal) -> str:
    return f"{format_decimal(value)}%"


Percent = Pct


# ---------------------------------------------------------------- durations

_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "w": 604800,
    "week": 604800,
}
CALENDAR_UNITS = ("month", "year")  # no fixed number of seconds: a month is 28 to 31 days


def _in_minutes(amount: Decimal, unit: str) -> Decimal:
    """Whole seconds divided once: 30 s is exactly 0.5 min (not 30 x 0.01666...)."""
    return amount * _UNIT_SECONDS[unit] / 60


_UNIT_WORDS = {
    "s": "second",
    "sec": "second",
    "secs": "second",
    "second": "second",
    "seconds": "second",
    "m": "minute",
    "min": "minute",
    "mins": "minute",
    "minute": "minute",
    "minutes": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "d": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "week": "week",
    "weeks": "week",
    "mo": "month",
    "month": "month",
    "months": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
}
_DURATION = re.compile(
    r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<business>business\s+|working\s+)?"
    r"(?P<unit>[a-z]+)\s*$",
    re.IGNORECASE,
)
_ISO_CALENDAR = re.compile(r"^P(?=\d)(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?$")
_ISO = re.compile(
    r"^P(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def _any_case(word: str) -> str:
    """``min`` -> ``[mM][iI][nN]``: JSON Schema patterns (ECMA-262) have no case-insensitive flag."""
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else ch for ch in word)


_POSITIVE = r"(0*[1-9]\d*(\.\d+)?|0*\.\d*[1-9]\d*|0+\.0*[1-9]\d*)"
_WHOLE = r"0*[1-9]\d*"
_ISO_PART = r"\d+(\.\d+)?"


def _words(calendar: bool, business: bool = False) -> str:
    """The unit words of fixed (or calendar) lengths, longest first; with ``business``, those it goes with."""
    units = ("minute", "hour", "day", "week") if business else CALENDAR_UNITS if calendar else _UNIT_SECONDS
    words = sorted((w for w, unit in _UNIT_WORDS.items() if (unit in CALENDAR_UNITS) == calendar and unit in units),
                   key=lambda w: (-len(w), w))  # fmt: skip
    return "|".join(_any_case(word) for word in words)


_BUSINESS = f"(?:{_any_case('business')}|{_any_case('working')})"
# what parse_duration accepts, for editors: a positive amount and a unit word (whole months and years),
# or ISO 8601 either in years and months or in weeks, days and time
DURATION_PATTERN = (
    rf"^\s*(?:{_POSITIVE}\s*(?:{_words(False)})"
    rf"|{_POSITIVE}\s*{_BUSINESS}\s+(?:{_words(False, business=True)})"
    rf"|{_WHOLE}\s*(?:{_words(True)})"
    rf"|[pP](?=\d)(?:\d+[yY])?(?:\d+[mM])?"
    rf"|[pP](?=.)(?:{_ISO_PART}[wW])?(?:{_ISO_PART}[dD])?"
    rf"(?:[tT](?=.)(?:{_ISO_PART}[hH])?(?:{_ISO_PART}[mM])?(?:{_ISO_PART}[sS])?)?)\s*$"
)
DURATION_EXPECTED = (
    "a duration such as 15m, 4h, 2 business days, 8 business hours, 3 months or ISO 8601 PT4H / P2D / P3M"
)


@dataclass(frozen=True, order=False)
class Duration:
    """An amount of time.  ``business`` durations count only within service hours."""

    amount: Decimal  # in ``unit``
    unit: str  # "second" | "minute" | "hour" | "day" | "week" | "month" | "year"
    business: bool = False

    @property
    def calendar(self) -> bool:
        """Months and years: a length on the calendar, not a number of minutes."""
        return self.unit in CALENDAR_UNITS

    @property
    def months(self) -> int:
        """The calendar months of a month or year duration (a year is 12 of them)."""
        if not self.calendar:
            raise CalendarLength(f"{self} is a fixed length, not a number of calendar months")
        return int(self.amount) * (12 if self.unit == "year" else 1)

    @property
    def minutes(self) -> Decimal:
        """Clock minutes (for business durations: business minutes, a business day = 8 h).  A month or a
        year has none: its length depends on where on the calendar it starts."""
        if self.calendar:
            raise CalendarLength(f"{self} is calendar time: its length in minutes depends on when it starts")
        if self.business and self.unit == "day":
            return self.amount * 8 * 60
        if self.business and self.unit == "week":
            return self.amount * 5 * 8 * 60
        return _in_minutes(self.amount, self.unit)

    def business_minutes(self, business_day_minutes: Decimal) -> Decimal:
        """Length in business minutes, given how long a business day is."""
        if self.calendar:
            raise CalendarLength(f"{self} is calendar time, not business time")
        if self.unit == "day":
            return self.amount * business_day_minutes
        if self.unit == "week":
            return self.amount * 5 * business_day_minutes
        return _in_minutes(self.amount, self.unit)

    def __str__(self) -> str:
        amount = format_decimal(self.amount)
        unit = self.unit if self.amount == 1 else self.unit + "s"
        return f"{amount} {'business ' if self.business else ''}{unit}"

    def short(self) -> str:
        amount = format_decimal(self.amount)
        if self.business:
            return str(self)
        suffix = {"second": "s", "minute": "m", "hour": "h", "day": "d", "week": "w"}.get(self.unit)
        return f"{amount}{suffix}" if suffix else str(self)

    def comparable(self, other: Duration) -> bool:
        """Whether the two count on one clock (both business time or both not); a month and a number of days
        are comparable only through the calendar (:func:`slaforge.spec.lengths.compare_lengths`)."""
        return self.business == other.business


class CalendarLength(TypeError):
    """A month or a year asked for a fixed number of minutes: a mistake in slaforge, never in a spec."""


def parse_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected {DURATION_EXPECTED}")
    if isinstance(value, int | float):
        raise ValueError(f"a bare number has no unit: write {value}m, {value}h or {value} business days")
    if not isinstance(value, str):
        raise ValueError(f"expected {DURATION_EXPECTED}")
    text = value.strip()
    match = _DURATION.match(text)
    if match:
        unit = _UNIT_WORDS.get(match["unit"].lower())
        if unit is None:
            close = difflib.get_close_matches(match["unit"].lower(), _UNIT_WORDS, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown unit {match['unit']!r}: expected {DURATION_EXPECTED}{hint}")
        if match["business"] and unit not in ("minute", "hour", "day", "week"):
            raise ValueError(f"'business' goes with minutes, hours, days or weeks, not {unit}s")
        amount = _decimal(match["n"])
        if amount <= 0:
            raise ValueError("a duration must be longer than zero")
        if unit in CALENDAR_UNITS and amount != amount.to_integral_value():
            raise ValueError(f"months and years are counted whole: write {format_decimal(amount)} {unit}s in a "
                             "smaller unit, e.g. weeks or days")  # fmt: skip
        return _bounded(Duration(amount, unit, business=bool(match["business"])))
    calendar = _ISO_CALENDAR.match(text.upper())
    if calendar:
        years, months = int(calendar["y"] or 0), int(calendar["mo"] or 0)
        if not years and not months:
            raise ValueError("a duration must be longer than zero")
        if months:
            return _bounded(Duration(Decimal(years * 12 + months), "month"))
        return _bounded(Duration(Decimal(years), "year"))
    if re.match(r"^P(\d+(\.\d+)?[YM])+", text.upper()):
        raise ValueError(
            "months and years are calendar time and days or hours a fixed length: write one or the other "
            "(P1Y6M, P30D), in whole months and years"
        )
    iso = _ISO.match(text.upper())
    if iso and any(iso.groupdict().values()):
        parts = {k: _decimal(v) for k, v in iso.groupdict().items() if v}
        if not any(parts.values()):
            raise ValueError("a duration must be longer than zero")
        if len(parts) == 1:
            ((key, amount),) = parts.items()
            unit = {"w": "week", "d": "day", "h": "hour", "m": "minute", "s": "second"}[key]
            return _bounded(Duration(amount, unit))
        minutes = sum(amount * _UNIT_SECONDS[key] for key, amount in parts.items()) / 60
        return _bounded(Duration(minutes, "minute"))
    raise ValueError(f"expected {DURATION_EXPECTED}")


LONGEST_YEARS = 100  # no term, deadline, notice or window of an agreement is longer
_APPROXIMATE_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.44}
_APPROXIMATE_DAYS["year"] = 365.25


def _bounded(duration: Duration) -> Duration:
    """``duration``, when it is no longer than an agreement could mean (a business day counted as a day)."""
    days = float(duration.amount) * _APPROXIMATE_DAYS.get(duration.unit, 365.25)
    if duration.business and duration.unit == "hour":
        days *= 3  # a business day has a few hours: 24 business hours are about three days
    if days > LONGEST_YEARS * 365.25:
        raise ValueError(f"a duration of more than {LONGEST_YEARS} years is longer than any agreement runs")
    return duration


DurationValue = Annotated[
    Duration,
    BeforeValidator(parse_duration),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN, "examples": ["15m", "4h", "2 business days", "PT4H"]}
    ),
]


# ---------------------------------------------------------------- money

_MONEY_AFTER = re.compile(r"^\s*(?P<n>-?[\d,_]+(?:\.\d+)?)\s*(?P<cur>[A-Za-z]{3})\s*$")
_MONEY_BEFORE = re.compile(r"^\s*(?P<cur>[A-Za-z]{3})\s*(?P<n>-?[\d,_]+(?:\.\d+)?)\s*$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
# what parse_money accepts, for editors: no minus sign, a comma only between thousands, an ISO 4217 code
_AMOUNT = r"(?:\d{1,3}(?:,\d{3})+|[\d_]+)(?:\.\d+)?"


def money_pattern() -> str:
    codes = "|".join(currency_codes())
    return rf"^\s*(?:{_AMOUNT}\s*(?:{codes})|(?:{codes})\s*{_AMOUNT})\s*$"


MONEY_EXPECTED = "an amount with an ISO 4217 currency, such as 12000 EUR or GBP 1,500.00"


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        quantised = self.amount.quantize(Decimal("0.01"))
        text = f"{int(quantised):,}" if quantised == quantised.to_integral() else f"{quantised:,.2f}"
        return f"{self.currency} {text}"


def parse_money(value: Any) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, dict):
        if set(value) != {"amount", "currency"}:
            raise ValueError(f"expected {MONEY_EXPECTED} (or a mapping with amount and currency)")
        return parse_money(f"{value['amount']} {value['currency']}")
    if isinstance(value, str):
        match = _MONEY_AFTER.match(value) or _MONEY_BEFORE.match(value)
        if match:
            if "," in match["n"] and not _THOUSANDS.match(match["n"]):
                # '1,50 EUR' is a decimal comma: never read it as 150
                raise ValueError("a comma only separates thousands, as in 1,500.00: write decimals with a point")
            amount = _decimal(match["n"])
            if amount < 0:
                raise ValueError("an amount of money may not be negative")
            if amount == 0:
                raise ValueError("an amount of zero has no use here: leave the value out instead")
            return Money(amount, checked_currency(match["cur"]))
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"{value} has no currency: write it as, e.g., {value} EUR")
    raise ValueError(f"expected {MONEY_EXPECTED}")


def money_schema() -> dict[str, Any]:
    """The one JSON Schema definition of an amount of money (``$defs/Money`` in every schema)."""
    return {
        "description": f"An amount of money: {MONEY_EXPECTED}",
        "anyOf": [
            {"type": "string", "pattern": money_pattern(), "examples": ["12000 EUR", "GBP 1,500.00"]},
            {
                "type": "object",
                "properties": {
                    "amount": {"type": ["number", "string"], "description": "The amount, e.g. 1500.00"},
                    "currency": {
                        "type": "string",
                        "enum": list(currency_codes()),
                        "description": "ISO 4217 currency code, in capitals, e.g. EUR",
                    },
                },
                "required": ["amount", "currency"],
                "additionalProperties": False,
            },
        ],
    }


# pydantic cannot refer to a definition it does not make: the schema module puts ``$defs/Money`` in its place
MONEY_MARKER = {"x-slaforge-value": "money"}
MoneyValue = Annotated[
    Money,
    BeforeValidator(parse_money),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema(MONEY_MARKER),
]
