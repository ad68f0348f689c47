"""Onboarding PDFs -> typed evidence (fields and forensic traces) -> document features."""

from features.documents.api import parse_document, parse_documents
from features.documents.document_features import document_features
from features.documents.evidence import DocumentEvidence, ParseLimits
from features.documents.feature_specs import DOCUMENT_FEATURES
from features.documents.workers import ParsersBusy

__all__ = [
    "DOCUMENT_FEATURES",
    "DocumentEvidence",
    "ParseLimits",
    "ParsersBusy",
    "document_features",
    "parse_document",
    "parse_documents",
]
