"""What the synthetic marketplace decides before it renders anything.

The generator first draws a `ProviderPlan` per connected account (who the provider really is,
what it claims, which risk archetype drives it); renderers then turn a plan into a Stripe
Account object, transactions and onboarding PDFs. Keeping the decisions in plain frozen
dataclasses lets each renderer be tested alone and run in any worker process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Archetype(StrEnum):
    """Why a provider behaves as it does; `GOOD` covers every honest provider."""

    GOOD = "good"
    FORGED_DOCUMENTS = "forged_documents"
    BUST_OUT = "bust_out"
    CARD_TESTING = "card_testing"
    COLLUSION_RING = "collusion_ring"
    REFUND_ABUSE = "refund_abuse"
    INDUSTRY_MISREPRESENTATION = "industry_misrepresentation"
    PAYOUT_ACCOUNT_RISK = "payout_account_risk"


class DocumentKind(StrEnum):
    REGISTRATION_CERTIFICATE = "registration_certificate"
    TAX_ID_LETTER = "tax_id_letter"
    BANK_STATEMENT = "bank_statement"
    PROOF_OF_ADDRESS = "proof_of_address"
    IDENTITY_SCAN = "identity_scan"


class ProducerClass(StrEnum):
    """The family of software that wrote a PDF, as its Producer/Creator metadata shows."""

    OFFICE = "office"  # Word, LibreOffice, Pages exporting a document
    SCANNER = "scanner"  # a scanner or multifunction printer (image-only pages)
    EDITOR = "editor"  # a consumer PDF editor (Acrobat, Sejda, iLovePDF, PDFescape...)
    GENERATOR = "generator"  # a library behind an issuer's portal (iText, wkhtmltopdf, FOP...)


class Tamper(StrEnum):
    """Traces that editing a genuine document leaves; renderers must produce each one faithfully."""

    INCREMENTAL_EDIT = "incremental_edit"  # an appended revision (new xref section + /Prev)
    TOUCHUP_TEXT_EDIT = "touchup_text_edit"  # Acrobat's `/TouchUp_TextEdit` marked content
    MIXED_FONTS = "mixed_fonts"  # one line or amount set in two fonts
    INFO_XMP_MISMATCH = "info_xmp_mismatch"  # Info dictionary and XMP disagree (producer / dates)
    TRAILER_ID_MISMATCH = "trailer_id_mismatch"  # the two trailer /ID strings differ after a save
    MODIFIED_AFTER_CREATION = "modified_after_creation"  # ModDate well after CreationDate


class Breakage(StrEnum):
    """Ways an uploaded file fails to be a readable PDF."""

    TRUNCATED = "truncated"
    EMPTY = "empty"
    NOT_PDF = "not_pdf"


@dataclass(frozen=True)
class Address:
    line1: str
    city: str
    postal_code: str
    country: str  # ISO 3166-1 alpha-2
    state: str | None = None


@dataclass(frozen=True)
class Identity:
    """Facts about a business (or sole trader) as a document or the Stripe account states them."""

    legal_name: str
    registration_number: str
    tax_id: str
    address: Address
    incorporated_on: int  # Unix seconds
    representative: str  # the person who onboarded it
    currency: str  # lower-case ISO 4217
    bank_name: str
    bank_last4: str


@dataclass(frozen=True)
class DocumentSpec:
    """One onboarding file to render: what it shows, how it was made, how it was tampered with."""

    kind: DocumentKind
    filename: str
    shown: Identity  # the identity printed on the document (may differ from the account's)
    issued_on: int  # Unix seconds, the date printed on the document
    created_at: int  # Unix seconds, the PDF's CreationDate
    modified_at: int  # Unix seconds, the PDF's ModDate (== created_at when never edited)
    producer: ProducerClass
    layout: int  # which of the kind's layouts (renderers take it modulo their layout count)
    scanned: bool = False  # image-only pages, as a scanner would produce
    tamper: frozenset[Tamper] = field(default_factory=frozenset)
    breakage: Breakage | None = None
    # Bank statements: opening/closing balance and total credits in minor units.
    statement_totals: tuple[int, int, int] | None = None
    seed: int = 0  # renderer-level randomness (fonts, jitter, vendor strings)
