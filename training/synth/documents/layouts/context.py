"""What every layout needs to know about the document it draws, precomputed once."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from training.synth.documents.page import Sheet
from training.synth.documents.text import (
    COUNTRY_NAMES,
    address_lines,
    date_style,
    format_amount,
    format_date,
    language,
    page_size,
)
from training.synth.plan import Identity

T = TypeVar("T")


@dataclass(frozen=True)
class DocContext:
    """The identity a document shows plus how its issuer writes dates, amounts and addresses."""

    identity: Identity
    issued_on: int
    layout: int
    seed: int
    totals: tuple[int, int, int] | None = None

    @property
    def country(self) -> str:
        return self.identity.address.country.upper()

    @property
    def country_name(self) -> str:
        return COUNTRY_NAMES.get(self.country, self.country)

    @property
    def lang(self) -> str:
        return language(self.country)

    @property
    def currency(self) -> str:
        return self.identity.currency.upper()

    def date(self, ts: int, style: str | None = None) -> str:
        """A date in this layout's style for the country (or an explicit style)."""
        return format_date(ts, style or date_style(self.country, self.layout))

    def money(self, minor: int) -> str:
        """An amount with the country's separators, without the currency code."""
        return format_amount(minor, self.identity.currency, self.country)

    def address(self) -> list[str]:
        """The shown address as postal lines."""
        return address_lines(self.identity.address)

    def rng(self, salt: str) -> random.Random:
        """A generator that depends only on the seed and `salt` (not on the shown identity)."""
        return random.Random(f"{self.seed}|{salt}")

    def pick(self, options: Sequence[T], salt: str) -> T:
        """A deterministic choice among options."""
        return options[self.rng(salt).randrange(len(options))]

    def sheet(self, family: str) -> Sheet:
        """A blank page of the country's paper size."""
        width, height = page_size(self.country)
        return Sheet(width, height, family)

    def reference(self, salt: str, pattern: str = "AA9999999") -> str:
        """A reference number: A -> letter, 9 -> digit, anything else kept."""
        rng = self.rng(salt)
        letters, digits = "ABCDEFGHJKLMNPRSTUVWXYZ", "0123456789"
        return "".join(
            rng.choice(letters) if c == "A" else rng.choice(digits) if c == "9" else c
            for c in pattern
        )
