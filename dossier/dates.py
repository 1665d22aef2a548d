"""Explicit dates written in an article's text, at the precision they are given.

Month names come from CLDR (babel) for the article's language plus English, so a
new language needs no code. Only explicit dates count ("28. März 2019",
"March 28, 2019", "2019-03-28", "28.03.2019", "März 2019"): relative words such as
"yesterday" or "Donderdag" are never turned into a date, and nothing defaults to today.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from dossier.models import PartialDate

_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)"
_NUMERIC = [
    re.compile(rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
    re.compile(rf"\b{_DAY}\.\s?(?P<month>[01]?\d)\.\s?{_YEAR}\b"),
]


@lru_cache(maxsize=64)
def month_names(lang: str) -> dict[str, int]:
    """Lower-cased month name or abbreviation → month number, for `lang` and English."""
    names: dict[str, int] = {}
    for code in dict.fromkeys([lang, "en"]):
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    name = name.lower().rstrip(".")
                    if len(name) >= 3:
                        names.setdefault(name, number)
    return names


@lru_cache(maxsize=64)
def _patterns(lang: str) -> list[re.Pattern[str]]:
    names = month_names(lang)
    months = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    # Every name has three letters or more, each one of the names' letters at its place: looking at
    # them first skips most words without trying every name (that was most of the search's time).
    first_letters = "".join(f"[{re.escape(''.join(sorted({name[i] for name in names})))}]" for i in range(3))
    month = rf"(?P<month>(?={first_letters})(?:{months}))\.?"
    return [
        *_NUMERIC,
        re.compile(rf"\b{_DAY}(?:\.|er|e|st|nd|rd|th)?\s+(?:de\s+)?{month}\s+(?:de\s+)?{_YEAR}\b", re.I),
        re.compile(rf"\b{month}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I),
        re.compile(rf"\b{month}\s+(?:de\s+)?{_YEAR}\b", re.I),
    ]


_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


def prepare(lang: str) -> None:
    """Load what finding dates in `lang` takes (month names, patterns), so that workers forked
    afterwards share it instead of each loading it at its first date."""
    _patterns(lang)


def find_date(text: str, lang: str | None) -> PartialDate | None:
    """The first explicit date in `text`, or None."""
    if not _ANY_YEAR.search(text):
        return None  # every pattern needs a year: most lines are done here
    best: tuple[int, PartialDate] | None = None
    for pattern in _patterns(lang or "en"):
        for match in pattern.finditer(text):
            found = _to_date(match, lang or "en")
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), found)
            if found:
                break
    return best[1] if best else None


def first_date(texts: Iterable[str], lang: str | None) -> PartialDate | None:
    for text in texts:
        found = find_date(text, lang)
        if found:
            return found
    return None


def _to_date(match: re.Match[str], lang: str) -> PartialDate | None:
    parts = match.groupdict()
    month_text = parts["month"]
    month = int(month_text) if month_text.isdigit() else month_names(lang).get(month_text.lower().rstrip("."))
    day = int(parts["day"]) if parts.get("day") else None
    if month is None:
        return None
    try:
        dt.date(int(parts["year"]), month, day or 1)  # rejects 31.02. and month 13
    except ValueError:
        return None
    return PartialDate(int(parts["year"]), month, day)
