"""Dates as documents print them: ISO, day-first or month-first numerals, and month names.

Numeric slash dates are ambiguous; a document's own unambiguous dates decide its convention,
and US cues (dollar amounts, EIN, state + ZIP) break the tie, as a reader would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "janvier", "janv", "enero", "ene", "gennaio", "januari",
        "janeiro", "jänner", "jaenner"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero",
        "febbraio", "februari", "fevereiro"),
    3: ("march", "mar", "märz", "maerz", "marz", "mrz", "mars", "marzo", "maart", "março",
        "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maggio", "mei", "maio"),
    6: ("june", "jun", "juni", "juin", "junio", "giugno", "junho"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "julho"),
    8: ("august", "aug", "août", "aout", "agosto", "augustus"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "settembre", "setembro"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "outubro"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre",
         "dicembre", "dezembro"),
}  # fmt: skip
_MONTH_OF = {name: number for number, names in _MONTHS.items() for name in names}
_MONTH = "|".join(sorted((re.escape(name) for name in _MONTH_OF), key=len, reverse=True))
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|\.|º)?"
_DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"(?P<iy>(?:19|20)\d\d)[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})"
    rf"|(?P<na>\d{{1,2}})(?P<sep>[./-])(?P<nb>\d{{1,2}})(?P=sep)(?P<ny>(?:19|20)?\d\d)"
    rf"|(?P<td>\d{{1,2}}){_DAY_SUFFIX}[\s-]*(?:de\s+|day\s+of\s+)?(?P<tm>{_MONTH})"
    rf"\.?,?[\s/-]*(?:de\s+|a\.?\s?d\.?\s*)?"
    rf"(?P<ty>(?:19|20)\d\d)"
    rf"|(?P<um>{_MONTH})\.?\s+(?P<ud>\d{{1,2}}){_DAY_SUFFIX},?\s+(?P<uy>(?:19|20)\d\d)"
    rf")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
_SLASH = re.compile(r"(?<![\w/.-])(\d{1,2})[/-](\d{1,2})[/-](?:19|20)?\d\d(?![\w/-])")
_US_CUES = re.compile(
    r"\$\s?\d|\bUSD\b|\bEIN\b|\bIRS\b|Internal Revenue|United States|\bU\.S\.A?\b"
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
)


@dataclass(frozen=True)
class PrintedDate:
    """A date found in text: its span in the text and UTC midnight in Unix seconds."""

    start: int
    end: int
    seconds: int


def prefers_month_first(text: str) -> bool:
    """Whether the document writes numeric dates month first (US style)."""
    day_first = month_first = 0
    for first, second in _SLASH.findall(text):
        if int(first) > 12 >= int(second):
            day_first += 1
        elif int(second) > 12 >= int(first):
            month_first += 1
    if day_first != month_first:
        return month_first > day_first
    return bool(_US_CUES.search(text))


def find_dates(text: str, *, month_first: bool = False) -> list[PrintedDate]:
    """Every valid calendar date in `text`, in order of appearance."""
    found: list[PrintedDate] = []
    for match in _DATE.finditer(text):
        ymd = _ymd(match, month_first)
        if ymd is None:
            continue
        try:
            moment = datetime(*ymd, tzinfo=UTC)
        except ValueError:
            continue
        found.append(PrintedDate(match.start(), match.end(), int(moment.timestamp())))
    return found


def _ymd(match: re.Match[str], month_first: bool) -> tuple[int, int, int] | None:
    group = match.group
    if group("iy"):
        return int(group("iy")), int(group("im")), int(group("id"))
    if group("na"):
        first, second = int(group("na")), int(group("nb"))
        year = _full_year(group("ny"))
        if group("sep") != "." and (month_first or first <= 12 < second) and second <= 31:
            if first <= 12:
                return year, first, second
        return year, second, first
    if group("tm"):
        return int(group("ty")), _month(group("tm")), int(group("td"))
    if group("um"):
        return int(group("uy")), _month(group("um")), int(group("ud"))
    return None


def _month(name: str) -> int:
    return _MONTH_OF[name.lower().rstrip(".")]


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year
