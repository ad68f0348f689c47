"""Turn pages and provenance into PDF bytes: one revision, or two when an editor saved on top."""

from __future__ import annotations

from dataclasses import dataclass

from training.synth.documents.metadata import Tool, info_dict, metadata_stream, xmp_packet
from training.synth.documents.page import ImageOp, Page, RasterImage
from training.synth.documents.pdfwriter import (
    ObjectTable,
    append_update,
    content_stream,
    pages_fonts,
    stream_object,
    write_pdf,
)


@dataclass(frozen=True)
class Revision:
    """What one save wrote: the pages and the metadata as Info and XMP state them."""

    pages: tuple[Page, ...]
    info_tool: Tool
    info_dates: tuple[int, int]  # CreationDate, ModDate
    xmp_tool: Tool
    xmp_dates: tuple[int, int]
    ids: tuple[bytes, bytes]


def _image_object(image: RasterImage) -> bytes:
    head = (
        f"<< /Type /XObject /Subtype /Image /Width {image.width} /Height {image.height} "
        f"/ColorSpace /{image.colorspace} /BitsPerComponent 8 /Filter /{image.filter} "
        f"/Length {len(image.data)} >>\nstream\n"
    )
    return head.encode("latin-1") + image.data + b"\nendstream"


def _font_object(font: str) -> str:
    return f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>"


def _images(revisions: list[Revision]) -> dict[int, RasterImage]:
    found: dict[int, RasterImage] = {}
    for revision in revisions:
        for page in revision.pages:
            for op in page.ops:
                if type(op) is ImageOp:
                    found.setdefault(id(op.image), op.image)
    return found


def assemble(
    first: Revision, update: Revision | None, version: str, title: str | None
) -> tuple[bytes, int]:
    """The file's bytes and the offset of its first xref section (where a cut makes it unreadable).

    With `update`, the first revision is written whole and the update appended incrementally:
    changed content streams, a new Info dictionary and XMP packet, and a trailer with /Prev.
    """
    revisions = [first] if update is None else [first, update]
    table = ObjectTable()
    fonts = pages_fonts(p for r in revisions for p in r.pages)
    font_names = {font: f"F{i + 1}" for i, font in enumerate(fonts)}
    font_refs = [f"/{font_names[font]} {table.add(_font_object(font))} 0 R" for font in fonts]
    images = _images(revisions)
    image_names = {key: f"Im{i + 1}" for i, key in enumerate(images)}
    image_refs = [
        f"/{image_names[key]} {table.add(_image_object(img))} 0 R" for key, img in images.items()
    ]
    resources = table.add(
        f"<< /ProcSet [/PDF /Text /ImageB /ImageC] /Font << {' '.join(font_refs)} >> "
        f"/XObject << {' '.join(image_refs)} >> >>"
    )
    tree = table.reserve()
    kids, contents = [], []
    for page in first.pages:
        content = table.add(stream_object(content_stream(page, font_names, image_names)))
        contents.append(content)
        kids.append(
            table.add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {page.width:g} {page.height:g}] "
                f"/Resources {resources} 0 R /Contents {content} 0 R >>"
            )
        )
    table.put(
        tree, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    )
    packet = xmp_packet(first.xmp_tool, *first.xmp_dates, title, first.ids[0])
    meta = table.add(metadata_stream(packet))
    catalog = table.add(f"<< /Type /Catalog /Pages {tree} 0 R /Metadata {meta} 0 R >>")
    info = table.add(info_dict(first.info_tool, *first.info_dates, title))
    data, xref_at = write_pdf(version, table, catalog, info, first.ids)
    if update is None:
        return data, xref_at
    changed: dict[int, bytes] = {}
    for num, old, new in zip(contents, first.pages, update.pages, strict=True):
        if new.ops != old.ops:
            changed[num] = stream_object(content_stream(new, font_names, image_names))
    changed[info] = info_dict(update.info_tool, *update.info_dates, title).encode("latin-1")
    packet = xmp_packet(update.xmp_tool, *update.xmp_dates, title, update.ids[0])
    changed[meta] = metadata_stream(packet)
    size = table.count + 1
    return append_update(data, xref_at, changed, size, catalog, info, update.ids), xref_at
