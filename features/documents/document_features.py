"""Document features of one account: what was supplied, whether it agrees, how it was made."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from features.documents.evidence import ERROR_REASONS, DocumentEvidence
from features.documents.feature_specs import DOCUMENT_FEATURES, SUPPLIED_KINDS
from features.documents.matching import (
    account_addresses,
    account_names,
    account_numbers,
    address_similarity,
    address_text,
    individual_names,
    name_similarity,
    numbers_match,
    postcode_in,
    registration_date,
)

_DAY = 86_400
_RECENT_REGISTRATION_DAYS = 30
NAN = math.nan


def document_features(
    account: Mapping[str, Any], evidence: Sequence[DocumentEvidence], as_of: int
) -> dict[str, float]:
    """The DOCUMENT_FEATURES vector for one account as of `as_of`; NaN where not observable.

    Pure: reads the Stripe Account mapping and the already-parsed evidence only.
    """
    readable = [item for item in evidence if item.error is None]
    values: dict[str, float] = {
        "doc_count": float(len(evidence)),
        "doc_unknown_kind_count": float(sum(item.kind == "unknown" for item in readable)),
        "doc_error_count": float(len(evidence) - len(readable)),
        "doc_pages_total": float(sum(item.pages for item in evidence)),
    }
    for kind in SUPPLIED_KINDS:
        values[f"doc_has_{kind}"] = float(any(item.kind == kind for item in readable))
    for reason in ERROR_REASONS:
        values[f"doc_error_{reason}"] = float(sum(item.error == reason for item in evidence))
    values.update(_consistency(account, readable, as_of))
    values.update(_forensics(readable, as_of))
    return {spec.name: values[spec.name] for spec in DOCUMENT_FEATURES}


def _consistency(
    account: Mapping[str, Any], docs: Sequence[DocumentEvidence], as_of: int
) -> dict[str, float]:
    names = account_names(account)
    addresses = account_addresses(account)
    known_addresses = [address_text(address) for address in addresses]
    postcodes = [str(address.get("postal_code") or "") for address in addresses]
    # An identity document names the person who onboarded, not the business: it is compared
    # with the account's individual only, and left out of the document-to-document check.
    people = [item.legal_name for item in docs if item.kind == "identity_scan" and item.legal_name]
    printed_names = [
        name
        for item in docs
        if item.kind != "identity_scan"
        for name in (item.legal_name, item.holder)
        if name
    ]
    name_scores = _present(name_similarity(name, names) for name in printed_names)
    name_scores += _present(name_similarity(name, individual_names(account)) for name in people)
    address_scores = _present(
        address_similarity(item.address, known_addresses) for item in docs if item.address
    )
    postcode_hits = _present(postcode_in(item.address, postcodes) for item in docs if item.address)
    country = str(account.get("country") or "").upper()
    doc_countries = [item.country for item in docs if item.country]
    currencies = _account_currencies(account)
    statement_currencies = [
        item.currency for item in docs if item.kind == "bank_statement" and item.currency
    ]
    issued = [item.issued_on for item in docs if item.issued_on is not None]
    return {
        "doc_name_match_min": min(name_scores, default=NAN),
        "doc_name_match_mean": _mean(name_scores),
        "doc_cross_name_match_min": _cross_name_min(printed_names),
        "doc_registration_number_match": _number_match(docs, account, "registration"),
        "doc_tax_id_match": _number_match(docs, account, "tax"),
        "doc_number_conflict": _number_conflict(docs),
        "doc_address_match_min": min(address_scores, default=NAN),
        "doc_postcode_match_share": _mean([float(hit) for hit in postcode_hits]),
        "doc_country_mismatch_count": (
            float(sum(code != country for code in doc_countries))
            if country and doc_countries
            else NAN
        ),
        "doc_currency_mismatch": (
            float(any(code not in currencies for code in statement_currencies))
            if currencies and statement_currencies
            else NAN
        ),
        "doc_issued_in_future_count": (
            float(sum(day > as_of + _DAY for day in issued)) if issued else NAN
        ),
        "doc_registration_recent": _registration_recent(account, docs),
        "doc_incorporation_date_mismatch": _incorporation_mismatch(account, docs),
        "doc_proof_of_address_age_days": _min_age(docs, "proof_of_address", as_of),
        "doc_statement_balance_gap": max(
            _present(_balance_gap(item) for item in docs), default=NAN
        ),
    }


def _forensics(docs: Sequence[DocumentEvidence], as_of: int) -> dict[str, float]:
    def share(test: Callable[[DocumentEvidence], bool]) -> float:
        return _mean([float(test(item)) for item in docs])

    def any_of(values: list[bool | None]) -> float:
        seen = [value for value in values if value is not None]
        return float(any(seen)) if seen else NAN

    edits = [
        (item.modified_at - item.created_at) / _DAY
        for item in docs
        if item.modified_at is not None and item.created_at is not None
    ]
    issued_gaps = [
        (item.created_at - item.issued_on) / _DAY
        for item in docs
        if item.created_at is not None and item.issued_on is not None
    ]
    stamps = [
        stamp for item in docs for stamp in (item.created_at, item.modified_at) if stamp is not None
    ]
    pages = sum(item.pages for item in docs)
    return {
        "doc_editor_share": share(lambda item: item.producer_class == "editor"),
        "doc_scanner_share": share(lambda item: item.producer_class == "scanner"),
        "doc_unknown_producer_share": share(lambda item: item.producer_class == "unknown"),
        "doc_incremental_updates_max": max(
            (float(i.incremental_updates) for i in docs), default=NAN
        ),
        "doc_info_xmp_mismatch_any": any_of([item.info_xmp_mismatch for item in docs]),
        "doc_trailer_id_mismatch_any": any_of([item.trailer_id_mismatch for item in docs]),
        "doc_touchup_any": any_of([item.touchup_text_edit for item in docs]),
        "doc_mixed_font_lines_max": max((float(i.mixed_font_lines) for i in docs), default=NAN),
        "doc_modified_after_created_days_max": max((max(0.0, gap) for gap in edits), default=NAN),
        "doc_created_after_issued_days_max": max(issued_gaps, default=NAN),
        "doc_timestamps_in_future_count": (
            float(sum(stamp > as_of + _DAY for stamp in stamps)) if stamps else NAN
        ),
        "doc_scan_overlay_any": any_of([item.scan_overlay_pages > 0 for item in docs]),
        "doc_image_only_page_share": (
            sum(item.image_only_pages for item in docs) / pages if pages else NAN
        ),
    }


def _present(values: Any) -> list[Any]:
    return [value for value in values if value is not None]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else NAN


def _cross_name_min(names: Sequence[str]) -> float:
    scores = _present(
        name_similarity(left, [right]) for i, left in enumerate(names) for right in names[i + 1 :]
    )
    return min(scores, default=NAN)


def _number_match(docs: Sequence[DocumentEvidence], account: Mapping[str, Any], kind: str) -> float:
    known = account_numbers(account, kind)
    printed = [item.registration_number if kind == "registration" else item.tax_id for item in docs]
    pairs = [any(numbers_match(number, k) for k in known) for number in printed if number]
    return _mean([float(hit) for hit in pairs]) if known and pairs else NAN


def _number_conflict(docs: Sequence[DocumentEvidence]) -> float:
    observed = False
    for numbers in (
        [item.registration_number for item in docs if item.registration_number],
        [item.tax_id for item in docs if item.tax_id],
    ):
        if len(numbers) < 2:
            continue
        observed = True
        if any(not numbers_match(numbers[0], other) for other in numbers[1:]):
            return 1.0
    return 0.0 if observed else NAN


def _registration_recent(account: Mapping[str, Any], docs: Sequence[DocumentEvidence]) -> float:
    created = account.get("created")
    if not isinstance(created, int | float):
        return NAN
    dates = [
        day
        for item in docs
        if item.kind == "registration_certificate"
        for day in (item.incorporated_on or item.issued_on,)
        if day is not None
    ]
    if not dates:
        return NAN
    return float(any(created - day < _RECENT_REGISTRATION_DAYS * _DAY for day in dates))


def _incorporation_mismatch(account: Mapping[str, Any], docs: Sequence[DocumentEvidence]) -> float:
    registered = registration_date(account)
    printed = [item.incorporated_on for item in docs if item.incorporated_on is not None]
    if registered is None or not printed:
        return NAN
    return float(any(abs(day - registered) > _DAY for day in printed))


def _min_age(docs: Sequence[DocumentEvidence], kind: str, as_of: int) -> float:
    ages = [
        (as_of - item.issued_on) / _DAY
        for item in docs
        if item.kind == kind and item.issued_on is not None
    ]
    return min(ages, default=NAN)


def _balance_gap(item: DocumentEvidence) -> float | None:
    """Relative gap between the closing balance and opening + credits - debits."""
    parts = (item.opening_balance, item.closing_balance, item.total_credits, item.total_debits)
    if item.kind != "bank_statement" or any(part is None for part in parts):
        return None
    opening, closing, credits, debits = (float(part or 0.0) for part in parts)
    expected = opening + abs(credits) - abs(debits)
    return abs(expected - closing) / max(1.0, abs(closing), abs(opening))


def _account_currencies(account: Mapping[str, Any]) -> set[str]:
    currencies = {str(account.get("default_currency") or "").lower()}
    external = account.get("external_accounts")
    if isinstance(external, Mapping):
        for item in external.get("data") or []:
            if isinstance(item, Mapping) and item.get("currency"):
                currencies.add(str(item["currency"]).lower())
    return currencies - {""}
