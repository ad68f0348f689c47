"""Page layouts per document kind; each kind offers three and a spec picks one by number."""

from __future__ import annotations

from collections.abc import Callable

from training.synth.documents.layouts import (
    bank_statement,
    identity,
    proof_of_address,
    registration,
    tax_letter,
)
from training.synth.documents.layouts.context import DocContext
from training.synth.documents.page import Page
from training.synth.plan import DocumentKind

Layout = Callable[[DocContext], tuple[Page, ...]]

LAYOUTS: dict[DocumentKind, tuple[Layout, ...]] = {
    DocumentKind.REGISTRATION_CERTIFICATE: registration.LAYOUTS,
    DocumentKind.TAX_ID_LETTER: tax_letter.LAYOUTS,
    DocumentKind.BANK_STATEMENT: bank_statement.LAYOUTS,
    DocumentKind.PROOF_OF_ADDRESS: proof_of_address.LAYOUTS,
    DocumentKind.IDENTITY_SCAN: identity.LAYOUTS,
}

TITLES = {
    DocumentKind.REGISTRATION_CERTIFICATE: "Certificate of Registration",
    DocumentKind.TAX_ID_LETTER: "Tax Identification Notice",
    DocumentKind.BANK_STATEMENT: "Account Statement",
    DocumentKind.PROOF_OF_ADDRESS: "Proof of Address",
    DocumentKind.IDENTITY_SCAN: "Scan",
}


def layout_count(kind: DocumentKind) -> int:
    """How many layouts a kind has (specs' layout numbers are taken modulo this)."""
    return len(LAYOUTS[kind])


def build_pages(kind: DocumentKind, ctx: DocContext) -> tuple[Page, ...]:
    """Draw the document's pages with the layout `ctx.layout` selects."""
    layouts = LAYOUTS[kind]
    return layouts[ctx.layout % len(layouts)](ctx)
