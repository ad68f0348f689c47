"""The names, types, directions and meanings of the document features, in vector order."""

from __future__ import annotations

from features.documents.evidence import ERROR_REASONS, DocumentKind
from features.spec import FeatureSpec, FeatureType, Monotone

SUPPLIED_KINDS: tuple[DocumentKind, ...] = (
    "registration_certificate",
    "tax_id_letter",
    "bank_statement",
    "proof_of_address",
    "identity_scan",
)


def _spec(name: str, type_: FeatureType, monotone: Monotone, description: str) -> FeatureSpec:
    return FeatureSpec(name, type_, "documents", monotone, description)


DOCUMENT_FEATURES: tuple[FeatureSpec, ...] = (
    _spec("doc_count", "int", 0, "Onboarding files the provider uploaded, readable or not."),
    *(
        _spec(f"doc_has_{kind}", "bool", 0, f"A readable {kind.replace('_', ' ')} was supplied.")
        for kind in SUPPLIED_KINDS
    ),
    _spec("doc_unknown_kind_count", "int", 0, "Readable files of no recognised kind."),
    _spec("doc_pages_total", "int", 0, "Pages across all uploaded files."),
    _spec("doc_error_count", "int", 1, "Files that could not be read, for any reason."),
    *(
        _spec(f"doc_error_{reason}", "int", 1, f"Files rejected as {reason.replace('_', ' ')}.")
        for reason in ERROR_REASONS
    ),
    _spec(
        "doc_name_match_min",
        "float",
        -1,
        "Worst similarity (0-1) of a printed legal name or account holder to the account's "
        "business, company or individual name.",
    ),
    _spec("doc_name_match_mean", "float", -1, "Mean of those name similarities."),
    _spec(
        "doc_cross_name_match_min",
        "float",
        -1,
        "Worst similarity between names printed on different documents.",
    ),
    _spec(
        "doc_registration_number_match",
        "float",
        -1,
        "Share of printed registration numbers equal to one the account export carries.",
    ),
    _spec(
        "doc_tax_id_match",
        "float",
        -1,
        "Share of printed tax numbers equal to one the account export carries.",
    ),
    _spec(
        "doc_number_conflict",
        "bool",
        1,
        "Two documents print different registration numbers or different tax numbers.",
    ),
    _spec(
        "doc_address_match_min",
        "float",
        -1,
        "Worst similarity (0-1) of a printed address to the account's company, individual or "
        "support address.",
    ),
    _spec(
        "doc_postcode_match_share",
        "float",
        -1,
        "Share of printed addresses that contain one of the account's postcodes.",
    ),
    _spec(
        "doc_country_mismatch_count",
        "int",
        1,
        "Documents whose address or IBAN points to another country than the account's.",
    ),
    _spec(
        "doc_currency_mismatch",
        "bool",
        1,
        "A bank statement is in a currency the account neither defaults to nor pays out in.",
    ),
    _spec(
        "doc_issued_in_future_count",
        "int",
        1,
        "Documents whose printed issue date lies after the scoring time.",
    ),
    _spec(
        "doc_registration_recent",
        "bool",
        1,
        "A registration certificate dates from less than 30 days before the account was created.",
    ),
    _spec(
        "doc_incorporation_date_mismatch",
        "bool",
        1,
        "The printed incorporation date differs from the account's company registration date.",
    ),
    _spec(
        "doc_proof_of_address_age_days",
        "float",
        0,
        "Days between the newest proof of address's issue date and the scoring time.",
    ),
    _spec(
        "doc_statement_balance_gap",
        "float",
        1,
        "Largest relative gap between a statement's closing balance and opening balance plus "
        "credits minus debits.",
    ),
    _spec("doc_editor_share", "float", 1, "Share of files last written by a PDF editor."),
    _spec("doc_scanner_share", "float", 0, "Share of files written by a scanner or scan app."),
    _spec(
        "doc_unknown_producer_share",
        "float",
        0,
        "Share of files whose producing software is unknown or blank.",
    ),
    _spec(
        "doc_incremental_updates_max",
        "int",
        1,
        "Most revisions appended to one file after its first save (linearization excluded).",
    ),
    _spec(
        "doc_info_xmp_mismatch_any",
        "bool",
        1,
        "A file's Info dictionary and XMP metadata disagree on producer, creator or dates.",
    ),
    _spec(
        "doc_trailer_id_mismatch_any",
        "bool",
        1,
        "A file's trailer ID pair differs, as saving over an original leaves it.",
    ),
    _spec(
        "doc_touchup_any",
        "bool",
        1,
        "A file carries Acrobat TouchUp text-edit marks.",
    ),
    _spec(
        "doc_mixed_font_lines_max",
        "int",
        1,
        "Most lines in one file set in mixed typefaces or near-equal sizes.",
    ),
    _spec(
        "doc_modified_after_created_days_max",
        "float",
        1,
        "Largest gap in days between a file's creation and last modification.",
    ),
    _spec(
        "doc_created_after_issued_days_max",
        "float",
        0,
        "Largest gap in days between a document's printed issue date and its file's creation.",
    ),
    _spec(
        "doc_timestamps_in_future_count",
        "int",
        1,
        "File creation or modification stamps later than the scoring time.",
    ),
    _spec(
        "doc_scan_overlay_any",
        "bool",
        1,
        "A scanned page carries a few words of live text typed over the image.",
    ),
    _spec(
        "doc_image_only_page_share",
        "float",
        0,
        "Share of pages that are images without a text layer (scans).",
    ),
)
