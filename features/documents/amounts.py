"""Money as statements print it: separators of any locale, signs, and the currency it is in."""

from __future__ import annotations

import re
from collections import Counter

ISO_CURRENCIES = frozenset(
    "EUR USD GBP CHF SEK NOK DKK PLN CZK HUF RON BGN CAD AUD NZD JPY SGD HKD INR MXN BRL ZAR "
    "AED ILS TRY THB MYR PHP IDR KRW CNY".split()
)
_SYMBOLS = (
    ("AU$", "aud"),
    ("A$", "aud"),
    ("CA$", "cad"),
    ("C$", "cad"),
    ("NZ$", "nzd"),
    ("S$", "sgd"),
    ("HK$", "hkd"),
    ("R$", "brl"),
    ("€", "eur"),
    ("£", "gbp"),
    ("$", "usd"),
    ("¥", "jpy"),
    ("₹", "inr"),
    ("zł", "pln"),
)
_CODE = "|".join(sorted(ISO_CURRENCIES))
_AMOUNT = re.compile(
    r"(?<![\w.,/])(?P<neg>[-−–(])?\s?(?P<pre>(?:[A-Z]{1,2})?[$€£¥₹]|" + _CODE + r")?\s?"
    r"(?P<num>\d{1,3}(?:[,.\u00a0\u202f' ’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?P<post>\s?(?:[$€£]|zł|" + _CODE + r"))?(?P<trail>\s?(?:-|CR\b|DR\b|Cr\b|Dr\b|\)))?"
    r"(?![\w/]|[.,]\d)"
)
_CURRENCY_LABEL = re.compile(
    r"(?:currency|w[äa]hrung|devise|monnaie|divisa|valuta|moeda)\W{0,3}(" + _CODE + r")\b", re.I
)


def parse_number(text: str) -> float | None:
    """Read `1,234.56`, `1.234,56`, `1 234,56` or `1'234.56` as a float; None if malformed."""
    digits = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    separators = [(i, ch) for i, ch in enumerate(digits) if not ch.isdigit()]
    if not separators:
        return float(digits) if digits.isdigit() else None
    last_at, last = separators[-1]
    decimals = len(digits) - last_at - 1
    others = {ch for _, ch in separators[:-1]}
    is_decimal = last in ".," and decimals in (1, 2) and last not in others
    whole = digits[:last_at] if is_decimal else digits
    whole = re.sub(r"[,.\s']", "", whole)
    if not whole.isdigit():
        return None
    if not is_decimal:
        return float(whole)
    return float(f"{whole}.{digits[last_at + 1 :]}")


def find_amount(text: str) -> float | None:
    """The first amount in `text` that reads as money: decimals, a currency or grouping."""
    for match in _AMOUNT.finditer(text):
        number = match.group("num")
        grouped = bool(re.search(r"\d[,.\s'’\u00a0\u202f]\d{3}(?!\d)", number))
        decimal = bool(re.search(r"[.,]\d{2}$", number))
        if not (decimal or grouped or match.group("pre") or match.group("post")):
            continue
        value = parse_number(number)
        if value is None:
            continue
        trail = (match.group("trail") or "").strip().upper()
        negative = match.group("neg") is not None or trail in ("-", "DR", ")")
        return -value if negative else value
    return None


def detect_currency(text: str) -> str | None:
    """The currency a document is in, as lower-case ISO 4217, or None if it does not say."""
    labelled = _CURRENCY_LABEL.search(text)
    if labelled:
        return labelled.group(1).lower()
    codes: Counter[str] = Counter(re.findall(r"\b(" + _CODE + r")\b", text))
    if codes:
        return codes.most_common(1)[0][0].lower()
    symbols: Counter[str] = Counter()
    rest = text
    for symbol, code in _SYMBOLS:
        count = rest.count(symbol)
        if count:
            symbols[code] += count
            rest = rest.replace(symbol, " ")
    if symbols:
        return symbols.most_common(1)[0][0]
    return None
