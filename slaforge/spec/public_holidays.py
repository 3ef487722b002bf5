"""Named public-holiday calendars (the ``holidays`` package) and how holiday names are compared.

``public_holidays: {country: GB, subdivision: ENG}`` names a calendar the ``holidays`` package keeps;
its names are read in English whatever the machine's locale (the package otherwise follows
``LANG``), so the same spec gives the same words and dates everywhere.  The package's data is
pinned by the version range in ``pyproject.toml``.

Two names are the same holiday when their word sets are equal after lower-casing, dropping what
is in brackets and the words of :data:`IGNORED`, and applying the aliases of
``slaforge/data/holiday-aliases.yaml``: "Early May bank holiday" is "May Day", "Christmas Day
(substitute day)" is "Christmas Day (observed)"; "Christmas closure" is another holiday.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

from dateutil.easter import easter
from ruamel.yaml import YAML

# the country's own English first (Canada's "Labour Day", Australia's en_AU), then these, in this order;
# a country without any keeps the package's own default
ENGLISH = ("en_GB", "en_IE", "en_US")
IGNORED = frozenset({"bank", "holiday", "public", "day", "the", "of", "early", "late"})
ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "holiday-aliases.yaml"
MOVABLE_FEASTS = {  # days after Western Easter Sunday
    "Good Friday": -2,
    "Easter Monday": 1,
    "Ascension Day": 39,
    "Whit Monday": 50,
}


@cache
def _aliases() -> dict[str, str]:
    data = YAML(typ="safe").load(ALIASES_FILE.read_text(encoding="utf-8"))
    return {str(k).lower(): str(v).lower() for k, v in (data or {}).items()}


def holiday_key(name: str) -> frozenset[str]:
    """The words that identify a holiday's name (see the module's docstring)."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name.lower().replace("\u2019", "'"))
    words = (w.removesuffix("'s").removesuffix("s'") for w in re.findall(r"[a-z0-9']+", text))
    aliases = _aliases()
    return frozenset(aliases.get(w, w) for w in words if w and w not in IGNORED)


def same_holiday(a: str, b: str) -> bool:
    key = holiday_key(a)
    return bool(key) and key == holiday_key(b)


@cache
def countries() -> dict[str, tuple[str, ...]]:
    """Every country code the package knows, with its subdivision codes."""
    import holidays

    return {code: tuple(subdivisions) for code, subdivisions in holidays.list_supported_countries().items()}


@cache
def categories(country: str) -> tuple[str, ...]:
    import holidays

    return tuple(holidays.country_holidays(country).supported_categories)


@cache
def named_holidays(
    country: str, subdivision: str | None, kinds: tuple[str, ...], year: int
) -> tuple[tuple[dt.date, str], ...]:
    """The holidays of a named calendar in one year, in date order, with their English names."""
    import holidays

    calendar = holidays.country_holidays(country, subdiv=subdivision)
    languages = calendar.supported_languages or ()
    own = (f"en_{country}",)
    language = next((lang for lang in (*own, *ENGLISH) if lang in languages), None)
    days = holidays.country_holidays(
        country, subdiv=subdivision, years=year, categories=kinds, language=language or calendar.default_language
    )
    out: list[tuple[dt.date, str]] = []
    for day in sorted(days):
        for name in sorted(days.get_list(day)):  # two holidays on one day are two entries
            out.append((day, name))
    return tuple(out)


def western_easter_feasts(year: int) -> dict[str, dt.date]:
    """The movable feasts of Western Easter in a year (checked even without a named calendar)."""
    sunday = easter(year)
    return {name: sunday + dt.timedelta(days=offset) for name, offset in MOVABLE_FEASTS.items()}
