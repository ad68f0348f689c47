"""Render the synthetic marketplace's onboarding files (PDFs, scans, broken uploads) from specs."""

from training.synth.documents.render import render_document
from training.synth.documents.samples import sample_identity, sample_spec
from training.synth.documents.text import to_pdf_text

__all__ = ["render_document", "sample_identity", "sample_spec", "to_pdf_text"]
