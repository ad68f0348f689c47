"""The identity and money fields a document prints, chosen by what kind of document it is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from features.documents import labels
from features.documents.addresses import address_blocks, labelled_address
from features.documents.amounts import detect_currency, find_amount
from features.documents.evidence import DocumentKind
from features.documents.identifiers import (
    find_registration_pattern,
    find_tax_id_pattern,
    parse_identifier,
    parse_name,
    parse_tax_id,
)
from features.documents.names import (
    certified_name,
    labelled_person_name,
    legal_form_name,
    mrz_name,
)
from features.documents.places import infer_country
from features.documents.printed_dates import find_dates, prefers_month_first
from features.documents.text_view import DocumentText

_MAX_FIELD_CHARS = 200


@dataclass(frozen=True)
class PrintedFields:
    """Fields read from a document's text; None where the document does not show them."""

    legal_name: str | None = None
    registration_number: str | None = None
    tax_id: str | None = None
    issued_on: int | None = None
    incorporated_on: int | None = None
    address: str | None = None
    country: str | None = None
    holder: str | None = None
    currency: str | None = None
    opening_balance: float | None = None
    closing_balance: float | None = None
    total_credits: float | None = None
    total_debits: float | None = None


def extract_fields(doc: DocumentText, kind: DocumentKind) -> PrintedFields:
    """Read the fields `kind` documents carry; bank-statement money fields only for statements."""
    month_first = prefers_month_first(doc.text)
    blocks = address_blocks(doc)
    addressee = blocks[0].name if blocks else None
    address = labelled_address(doc) or (blocks[0].text if blocks else None)
    holder: str | None = None
    if kind == "identity_scan":
        legal_name = mrz_name(doc) or labelled_person_name(doc)
    elif kind == "bank_statement":
        holder = doc.find(labels.HOLDER, parse_name) or addressee or legal_form_name(doc)
        legal_name = doc.find(labels.NAME, parse_name)
    elif kind == "proof_of_address":
        legal_name = (
            doc.find(labels.HOLDER, parse_name)
            or doc.find(labels.NAME, parse_name)
            or addressee
            or legal_form_name(doc)
        )
    else:
        legal_name = (
            doc.find(labels.NAME, parse_name)
            or certified_name(doc)
            or legal_form_name(doc)
            or addressee
        )
    fields = PrintedFields(
        legal_name=legal_name,
        registration_number=(
            doc.find(labels.REGISTRATION, parse_identifier) or find_registration_pattern(doc.text)
        ),
        tax_id=doc.find(labels.TAX_ID, parse_tax_id) or find_tax_id_pattern(doc.text),
        issued_on=_issue_date(doc, month_first),
        incorporated_on=doc.find(
            labels.INCORPORATION_DATE, lambda text: _first_date(text, month_first)
        ),
        address=address,
        country=(infer_country(address) if address else None) or infer_country(doc.text),
        holder=holder,
    )
    fields = _clipped(fields)
    if kind != "bank_statement":
        return fields
    return replace(
        fields,
        currency=detect_currency(doc.text),
        opening_balance=doc.find(labels.OPENING_BALANCE, find_amount),
        closing_balance=doc.find(labels.CLOSING_BALANCE, find_amount),
        total_credits=doc.find(labels.TOTAL_CREDITS, find_amount),
        total_debits=doc.find(labels.TOTAL_DEBITS, find_amount),
    )


def _issue_date(doc: DocumentText, month_first: bool) -> int | None:
    """The labelled issue date, else a bare "Date" cell's, else the latest date not of birth,
    expiry or payment due.

    Documents print older dates (incorporation, statement start, transactions) beside the
    issue date, rarely newer ones, so the latest date is the safest guess without a label.
    """

    def parse(text: str) -> int | None:
        return _first_date(text, month_first)

    labelled = doc.find(labels.ISSUE_DATE, parse, skip=labels.NOT_ISSUE_DATE)
    if labelled is None:
        labelled = doc.find(labels.BARE_DATE, parse, below=False)
    if labelled is not None:
        return labelled
    latest: int | None = None
    for placed in doc.lines:
        if labels.NOT_ISSUE_DATE.search(placed.text):
            continue
        for found in find_dates(placed.text, month_first=month_first):
            latest = found.seconds if latest is None else max(latest, found.seconds)
    return latest


def _clipped(fields: PrintedFields) -> PrintedFields:
    """Cap every printed string: evidence holds short facts, never paragraphs of text."""
    changes: dict[str, Any] = {
        name: value[:_MAX_FIELD_CHARS]
        for name, value in vars(fields).items()
        if isinstance(value, str) and len(value) > _MAX_FIELD_CHARS
    }
    return replace(fields, **changes) if changes else fields


def _first_date(text: str, month_first: bool) -> int | None:
    found = find_dates(text, month_first=month_first)
    return found[0].seconds if found else None
