"""How providers name the files they upload: per kind and country, or a device's default."""

from __future__ import annotations

import datetime as dt

import numpy as np

from training.synth.choice import pick, randint
from training.synth.plan import DocumentKind

_BY_KIND: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.REGISTRATION_CERTIFICATE: (
        "certificate_of_incorporation.pdf",
        "Certificate of Incorporation.pdf",
        "company_registration.pdf",
        "{slug}_registration.pdf",
        "incorporation-cert.pdf",
        "business_license.pdf",
        "{slug} - certificate.pdf",
        "registration.pdf",
    ),
    DocumentKind.TAX_ID_LETTER: (
        "tax_id_confirmation.pdf",
        "tax-letter.pdf",
        "{slug}_tax_id.pdf",
        "TaxID.pdf",
        "tax registration {year}.pdf",
    ),
    DocumentKind.BANK_STATEMENT: (
        "bank_statement.pdf",
        "Statement_{mon}{year}.pdf",
        "statement-{year}-{mm}.pdf",
        "eStatement_{ymd}.pdf",
        "{bank}_statement.pdf",
        "account_statement_{mm}_{year}.pdf",
    ),
    DocumentKind.PROOF_OF_ADDRESS: (
        "utility_bill.pdf",
        "proof_of_address.pdf",
        "electricity_bill_{mon}.pdf",
        "internet_bill.pdf",
        "lease_agreement.pdf",
        "{slug}_address.pdf",
    ),
    DocumentKind.IDENTITY_SCAN: (
        "passport.pdf",
        "id_front.pdf",
        "drivers_license.pdf",
        "ID.pdf",
        "passport_scan.pdf",
        "{first}_{last}_id.pdf",
    ),
}
_BY_COUNTRY: dict[tuple[str, DocumentKind], tuple[str, ...]] = {
    ("US", DocumentKind.TAX_ID_LETTER): ("EIN_letter.pdf", "CP575.pdf", "IRS_CP575_{slug}.pdf"),
    ("US", DocumentKind.REGISTRATION_CERTIFICATE): ("articles_of_organization.pdf",),
    ("GB", DocumentKind.TAX_ID_LETTER): ("HMRC_UTR_letter.pdf", "VAT_certificate.pdf"),
    ("GB", DocumentKind.PROOF_OF_ADDRESS): ("council_tax_{year}.pdf",),
    ("DE", DocumentKind.REGISTRATION_CERTIFICATE): (
        "Handelsregisterauszug.pdf",
        "HR-Auszug_{slug}.pdf",
    ),
    ("DE", DocumentKind.TAX_ID_LETTER): ("Steuernummer_Bescheid.pdf",),
    ("FR", DocumentKind.REGISTRATION_CERTIFICATE): ("Kbis_{slug}.pdf", "extrait-kbis.pdf"),
    ("FR", DocumentKind.TAX_ID_LETTER): ("avis_situation_sirene.pdf",),
    ("NL", DocumentKind.REGISTRATION_CERTIFICATE): ("KvK-uittreksel.pdf",),
    ("AU", DocumentKind.TAX_ID_LETTER): ("ABN_registration.pdf",),
    ("ES", DocumentKind.TAX_ID_LETTER): ("modelo_036.pdf",),
    ("IT", DocumentKind.REGISTRATION_CERTIFICATE): ("visura_camerale.pdf",),
}
_DEVICE = (
    "scan_{n}.pdf",
    "IMG_{n}.pdf",
    "document.pdf",
    "doc{k}.pdf",
    "Scan {date}.pdf",
    "upload_{hex}.pdf",
    "Document {k}.pdf",
    "CamScanner {date} {hm}.pdf",
)


def draw_filename(
    rng: np.random.Generator,
    kind: DocumentKind,
    *,
    country: str,
    scanned: bool,
    when: int,
    values: dict[str, str],
) -> str:
    """A file name for one upload; scans often keep the device's default name."""
    day = dt.datetime.fromtimestamp(when, dt.UTC)
    if rng.random() < (0.45 if scanned else 0.15):
        template = pick(rng, _DEVICE)
    else:
        options = _BY_KIND[kind] + _BY_COUNTRY.get((country, kind), ()) * 2
        template = pick(rng, options)
    return template.format(
        n=f"{randint(rng, 1, 9999):04d}",
        k=randint(rng, 1, 9),
        hex=f"{randint(rng, 0, 1 << 32):08x}",
        date=day.strftime("%Y-%m-%d"),
        hm=day.strftime("%H.%M"),
        year=day.strftime("%Y"),
        mm=day.strftime("%m"),
        mon=day.strftime("%b"),
        ymd=day.strftime("%Y%m%d"),
        **values,
    )


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name (2).pdf`-style variants until it is not in `taken`; records it."""
    stem, dot, ext = name.rpartition(".")
    candidate, copy = name, 2
    while candidate.lower() in taken:
        candidate = f"{stem} ({copy}).{ext}" if dot else f"{name} ({copy})"
        copy += 1
    taken.add(candidate.lower())
    return candidate
