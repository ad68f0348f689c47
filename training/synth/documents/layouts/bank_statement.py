"""Business bank statements: holder, currency, balances and a transactions table over 1-2 pages."""

from __future__ import annotations

import random
from collections.abc import Callable

from training.synth.documents.layouts.context import DocContext
from training.synth.documents.page import Page, Sheet, text_width

WORDING = {
    "en": ("Business Account Statement", "Account holder", "Account number", "Currency",
           "Statement period", "Statement date", "Opening balance", "Total credits",
           "Total debits", "Closing balance", "Date", "Description", "Debit", "Credit", "Balance",
           "Page", "Balance brought forward", "Balance carried forward"),
    "de": ("Kontoauszug Geschäftskonto", "Kontoinhaber", "Kontonummer", "Währung",
           "Abrechnungszeitraum", "Auszugsdatum", "Anfangssaldo", "Summe Gutschriften",
           "Summe Belastungen", "Endsaldo", "Datum", "Buchungstext", "Soll", "Haben", "Saldo",
           "Seite", "Alter Kontostand", "Neuer Kontostand"),
    "nl": ("Rekeningafschrift zakelijk", "Rekeninghouder", "Rekeningnummer", "Valuta",
           "Periode", "Datum afschrift", "Beginsaldo", "Totaal bij", "Totaal af", "Eindsaldo",
           "Datum", "Omschrijving", "Af", "Bij", "Saldo", "Pagina", "Vorig saldo",
           "Nieuw saldo"),
    "fr": ("Relevé de compte professionnel", "Titulaire du compte", "Numéro de compte", "Devise",
           "Période", "Date du relevé", "Solde initial", "Total des crédits", "Total des débits",
           "Solde final", "Date", "Libellé", "Débit", "Crédit", "Solde", "Page",
           "Solde précédent", "Nouveau solde"),
}  # fmt: skip
_KEYS = (
    "title",
    "holder",
    "account",
    "currency",
    "period",
    "stmt_date",
    "opening",
    "credits",
    "debits",
    "closing",
    "date",
    "desc",
    "debit",
    "credit",
    "balance",
    "page",
    "brought",
    "carried",
)
CREDITS = (
    "CARD SETTLEMENT {ref}",
    "STRIPE PAYOUT {ref}",
    "INCOMING TRANSFER {ref}",
    "SEPA CREDIT {ref}",
)
DEBITS = (
    "DIRECT DEBIT {ref}",
    "CARD PURCHASE {ref}",
    "ACCOUNT FEE",
    "OUTGOING TRANSFER {ref}",
    "SUPPLIER PAYMENT {ref}",
    "PAYROLL {ref}",
)
_DAY = 86_400
Head = Callable[[Sheet, DocContext, dict[str, str]], float]


def labels(ctx: DocContext) -> dict[str, str]:
    """The statement's labels in the country's language."""
    return dict(zip(_KEYS, WORDING[ctx.lang], strict=True))


def totals(ctx: DocContext) -> tuple[int, int, int]:
    """(opening, closing, total credits) in minor units: the spec's, or plausible ones."""
    if ctx.totals is not None:
        return ctx.totals
    rng = ctx.rng("bank-totals")
    opening = rng.randint(50_000, 5_000_000)
    credits = rng.randint(100_000, 3_000_000)
    return opening, opening + credits - rng.randint(0, opening + credits), credits


def _split(total: int, count: int, rng: random.Random) -> list[int]:
    if total <= 0 or count <= 0:
        return []
    count = min(count, total)
    cuts = sorted(rng.sample(range(1, total), count - 1)) if count > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def transactions(ctx: DocContext) -> list[tuple[int, str, int]]:
    """(time, description, signed amount) rows over the month before the statement date."""
    opening, closing, credits = totals(ctx)
    # Separate generators keep the row count and dates fixed when only the amounts change.
    counts = ctx.rng("bank-counts")
    n_credits, n_debits = counts.randint(3, 16), counts.randint(3, 20)
    rows: list[tuple[int, tuple[str, ...]]]
    rows = [(c, CREDITS) for c in _split(credits, n_credits, ctx.rng("bank-credits"))]
    debits = _split(opening + credits - closing, n_debits, ctx.rng("bank-debits"))
    rows += [(-d, DEBITS) for d in debits]
    rng = ctx.rng("bank-rows")
    start = ctx.issued_on - 30 * _DAY
    dated = [
        (
            start + rng.randint(0, 30 * _DAY - 1),
            rng.choice(texts).format(ref=rng.randint(100000, 999999)),
            amount,
        )
        for amount, texts in rows
    ]
    return sorted(dated)


def _fit(text: str, font: str, size: float, width: float) -> str:
    while text and text_width(text, font, size) > width:
        text = text[:-1]
    return text


def _table(
    s: Sheet,
    ctx: DocContext,
    rows: list[tuple[int, str, int]],
    y: float,
    balance: int,
    cols: tuple[float, ...],
    size: float,
    lab: dict[str, str],
) -> tuple[float, int]:
    """Draw header and rows; columns are x of date, description, and right edges of amounts."""
    x_date, x_desc, x_debit, x_credit, x_bal = cols
    for x, key, align in (
        (x_date, "date", "left"),
        (x_desc, "desc", "left"),
        (x_debit, "debit", "right"),
        (x_credit, "credit", "right"),
        (x_bal, "balance", "right"),
    ):
        s.text(x, y, lab[key], size, "bold", align=align)
    s.line(x_date, y + 4, x_bal, y + 4, 0.6)
    y += size * 1.7
    for ts, text, amount in rows:
        balance += amount
        s.text(x_date, y, ctx.date(ts), size)
        s.text(x_desc, y, _fit(text, s.font(), size, x_debit - x_desc - 60), size)
        s.text(x_debit if amount < 0 else x_credit, y, ctx.money(abs(amount)), size, align="right")
        s.text(x_bal, y, ctx.money(balance), size, align="right")
        y += size * 1.55
    return y, balance


def _pages(
    ctx: DocContext, family: str, head: Head, first_rows: int, size: float
) -> tuple[Page, ...]:
    lab = labels(ctx)
    opening, closing, credits = totals(ctx)
    rows = transactions(ctx)
    s = ctx.sheet(family)
    y = head(s, ctx, lab)
    right = s.width - 50
    cols = (50.0, 50 + 5.6 * size, right - 180, right - 95, right)
    chunks = [rows[:first_rows], rows[first_rows:]] if len(rows) > first_rows else [rows]
    pages = []
    balance = opening
    for number, chunk in enumerate(chunks, start=1):
        if number > 1:
            s = ctx.sheet(family)
            y = 70.0
        y, balance = _table(s, ctx, chunk, y, balance, cols, size, lab)
        if number == len(chunks):
            debits = opening + credits - closing
            summary = [
                (lab["opening"], opening),
                (lab["credits"], credits),
                (lab["debits"], max(debits, 0)),
                (lab["closing"], closing),
            ]
            y += 14
            for label, value in summary:
                s.text(right - 260, y, label, size + 0.5, "bold")
                s.text(
                    right,
                    y,
                    ctx.money(value),
                    size + 0.5,
                    align="right",
                    target=label == lab["closing"],
                )
                y += size * 1.7
        s.text(right, s.height - 36, f"{lab['page']} {number}/{len(chunks)}", 7, align="right")
        pages.append(s.page())
    return tuple(pages)


def _holder_block(s: Sheet, ctx: DocContext, x: float, y: float, size: float) -> float:
    # Nothing shares these lines, so a wrapped name still reads as one run of text.
    y = s.para(x, y, ctx.identity.legal_name, s.width - 2 * x, size + 1, "bold")
    for line in ctx.address():
        s.text(x, y, line, size)
        y += size * 1.35
    return y


def _info(ctx: DocContext, lab: dict[str, str]) -> list[tuple[str, str]]:
    start = ctx.issued_on - 30 * _DAY
    return [
        (lab["holder"], ctx.identity.legal_name),
        (lab["account"], f"**** **** {ctx.identity.bank_last4}"),
        (lab["currency"], ctx.currency),
        (lab["period"], f"{ctx.date(start)} - {ctx.date(ctx.issued_on)}"),
        (lab["stmt_date"], ctx.date(ctx.issued_on)),
    ]


def _modern_head(s: Sheet, ctx: DocContext, lab: dict[str, str]) -> float:
    s.text(50, 62, ctx.identity.bank_name, 17, "bold")
    s.text(s.width - 50, 62, lab["title"], 11, align="right")
    s.box(s.width - 260, 76, 210, 78, 0.94, 0)
    info_y = 92.0
    for label, value in _info(ctx, lab)[1:]:
        s.text(s.width - 250, info_y, label, 8, "bold")
        s.text(s.width - 60, info_y, value, 8, align="right")
        info_y += 16
    return _holder_block(s, ctx, 50, 176, 9) + 18


def _classic_head(s: Sheet, ctx: DocContext, lab: dict[str, str]) -> float:
    s.text(s.width / 2, 60, ctx.identity.bank_name.upper(), 15, "bold", align="center")
    s.text(s.width / 2, 80, lab["title"].upper(), 11, align="center")
    s.line(50, 92, s.width - 50, 92, 1.0)
    y = s.rows(50, 116, _info(ctx, lab), 150, s.width - 250, 9.5, label_style="italic")
    y = s.para(200, y, ", ".join(ctx.address()), s.width - 250, 9.5)
    return y + 20


def _printout_head(s: Sheet, ctx: DocContext, lab: dict[str, str]) -> float:
    s.text(50, 56, f"{ctx.identity.bank_name} - {lab['title']}".upper(), 10, "bold")
    s.line(50, 64, s.width - 50, 64, 0.5)
    info_y = 84.0
    for label, value in _info(ctx, lab)[1:]:
        s.text(s.width - 300, info_y, f"{label}: {value}", 8.5)
        info_y += 12
    return _holder_block(s, ctx, 50, info_y + 14, 8.5) + 18


def _modern(ctx: DocContext) -> tuple[Page, ...]:
    return _pages(ctx, "helvetica", _modern_head, 22, 8.5)


def _classic(ctx: DocContext) -> tuple[Page, ...]:
    return _pages(ctx, "times", _classic_head, 20, 9.5)


def _printout(ctx: DocContext) -> tuple[Page, ...]:
    return _pages(ctx, "courier", _printout_head, 24, 8)


LAYOUTS = (_modern, _classic, _printout)
