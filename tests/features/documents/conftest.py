"""Shared fixtures for the document parser tests (builders live in pdf_builders.py)."""

from __future__ import annotations

import pytest
from pdf_builders import draw_pdf, row


@pytest.fixture(scope="session")
def plain_pdf() -> bytes:
    """An ordinary one-page letter, valid in every way."""
    return draw_pdf([row("Northwind Analytics Ltd"), row("Thank you for your order.")])
