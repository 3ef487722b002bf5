"""ISO 4217 currency codes: the codes an amount of money may be written in.

The list is pycountry's copy of the ISO 4217 table (its version range is pinned in pyproject.toml, so
one install accepts the codes another does).  ``XTS`` (kept for testing) and ``XXX`` (no currency at
all) are codes of the table but never the currency of a fee.
"""

from __future__ import annotations

import difflib
from functools import cache

from slaforge.errors import ValueRefused

NOT_MONEY = frozenset({"XTS", "XXX"})
EXPECTED = "an ISO 4217 currency code in capitals, such as EUR, GBP or USD"


@cache
def currency_codes() -> tuple[str, ...]:
    """Every ISO 4217 code a fee or credit may be in, sorted."""
    import pycountry

    return tuple(sorted({currency.alpha_3 for currency in pycountry.currencies} - NOT_MONEY))


def checked_currency(code: str) -> str:
    """``code`` when it is an ISO 4217 code as the standard writes it (three capitals), else a ValueError
    that says what was meant."""
    codes = currency_codes()
    if code in codes:
        return code
    if code.upper() in codes:
        raise ValueRefused(f"{code!r} is written in capitals in ISO 4217: did you mean {code.upper()!r}?", EXPECTED)
    close = difflib.get_close_matches(code.upper(), codes, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueRefused(f"{code!r} is not an ISO 4217 currency code{hint}", EXPECTED)
