"""render_document: one DocumentSpec -> the bytes of the file the provider uploaded."""

from __future__ import annotations

import random
from dataclasses import replace

from training.synth.documents.assemble import Revision, assemble
from training.synth.documents.breakage import not_pdf, truncate
from training.synth.documents.layouts import TITLES, build_pages
from training.synth.documents.layouts.bank_statement import totals as statement_totals
from training.synth.documents.layouts.context import DocContext
from training.synth.documents.metadata import choose_provenance, mod_time, trailer_ids
from training.synth.documents.page import ImageOp, Page, TextOp
from training.synth.documents.scan import rasterize
from training.synth.documents.tamper import (
    mix_fonts,
    original_identity,
    original_totals,
    touch_up,
    type_over,
)
from training.synth.plan import Breakage, DocumentKind, DocumentSpec, ProducerClass, Tamper

_TEXT_EDITS = (Tamper.INCREMENTAL_EDIT, Tamper.MIXED_FONTS, Tamper.TOUCHUP_TEXT_EDIT)
_DAY = 86_400


def render_document(spec: DocumentSpec) -> bytes:
    """The uploaded file for `spec`: a PDF with the spec's content, metadata and tamper traces,
    or the broken file its `breakage` names. Same spec, same bytes.
    """
    rng = random.Random(f"{spec.seed}|{spec.kind}|file")
    if spec.breakage is Breakage.EMPTY:
        return b""
    if spec.breakage is Breakage.NOT_PDF:
        return not_pdf(spec, rng)
    data, first_xref = _render_pdf(spec, rng)
    if spec.breakage is Breakage.TRUNCATED:
        return truncate(data, first_xref, rng)
    return data


def _scan(page: Page, rng: random.Random) -> Page:
    """The page as one image, remembering where its editable field was."""
    image = rasterize(page, rng)
    overlay = page.ops[page.target] if page.target is not None else None
    assert overlay is None or isinstance(overlay, TextOp)
    op = ImageOp(0.0, 0.0, page.width, page.height, image)
    return Page(page.width, page.height, (op,), None, overlay)


def _pages(spec: DocumentSpec, rng: random.Random) -> tuple[tuple[Page, ...], tuple[Page, ...]]:
    """(original, final) pages; they differ only when the file was edited."""
    ctx = DocContext(spec.shown, spec.issued_on, spec.layout, spec.seed, spec.statement_totals)
    final = build_pages(spec.kind, ctx)
    edits = any(t in spec.tamper for t in _TEXT_EDITS)
    if spec.scanned or spec.kind is DocumentKind.IDENTITY_SCAN:
        if spec.kind is not DocumentKind.IDENTITY_SCAN:
            final = tuple(_scan(page, rng) for page in final)
        original = final
        if edits:  # text can only be changed on a scan by typing over it
            final = tuple(type_over(page) for page in final)
    elif Tamper.INCREMENTAL_EDIT in spec.tamper:
        genuine = replace(ctx, identity=original_identity(spec.shown, rng))
        if spec.kind is DocumentKind.BANK_STATEMENT:
            genuine = replace(genuine, totals=original_totals(statement_totals(ctx), rng))
        original = build_pages(spec.kind, genuine)
        if len(original) != len(final):  # tiny totals can change the row count; keep pages aligned
            original = final
    else:
        original = final
    if Tamper.MIXED_FONTS in spec.tamper:
        final = tuple(mix_fonts(page, rng) for page in final)
    if Tamper.TOUCHUP_TEXT_EDIT in spec.tamper:
        final = tuple(touch_up(page) for page in final)
    return original, final


def _render_pdf(spec: DocumentSpec, rng: random.Random) -> tuple[bytes, int]:
    prov = choose_provenance(spec, rng)
    modified = mod_time(spec, rng)
    original, final = _pages(spec, rng)
    created = spec.created_at
    xmp_tool, xmp_dates = prov.tool, (created, modified)
    if Tamper.INFO_XMP_MISMATCH in spec.tamper:
        # The writer refreshed Info but left the packet another program wrote.
        stale = created if modified != created else created - rng.randint(1, 30) * _DAY
        xmp_tool, xmp_dates = prov.foreign, (min(created, stale), stale)
    ids = trailer_ids(spec)
    last = Revision(final, prov.tool, (created, modified), xmp_tool, xmp_dates, ids)
    title = TITLES[spec.kind] if spec.producer is not ProducerClass.SCANNER else None
    if Tamper.INCREMENTAL_EDIT not in spec.tamper:
        return assemble(last, None, prov.tool.version, title)
    origin = prov.origin
    first = Revision(
        original, origin, (created, created), origin, (created, created), (ids[0], ids[0])
    )
    return assemble(first, last, prov.tool.version, title)
