"""Who wrote a PDF and when: Producer/Creator strings, the Info dictionary, XMP, trailer /ID."""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from training.synth.documents.pdfwriter import pdf_literal
from training.synth.documents.text import utc
from training.synth.plan import DocumentSpec, ProducerClass, Tamper


@dataclass(frozen=True)
class Tool:
    """What one piece of software writes into Producer and Creator, and its usual PDF version."""

    producer: str
    creator: str | None
    version: str


TOOLS: dict[ProducerClass, tuple[Tool, ...]] = {
    ProducerClass.OFFICE: (
        Tool("Microsoft® Word for Microsoft 365", "Microsoft® Word for Microsoft 365", "1.7"),
        Tool("Microsoft® Word 2019", "Microsoft® Word 2019", "1.7"),
        Tool("LibreOffice 7.6", "Writer", "1.6"),
        Tool("macOS Version 14.4.1 (Build 23E224) Quartz PDFContext", "Pages", "1.3"),
        Tool("Skia/PDF m124 Google Docs Renderer", None, "1.4"),
    ),
    ProducerClass.GENERATOR: (
        Tool("iText® 7.2.5 ©2000-2023 iText Group NV", None, "1.7"),
        Tool("Qt 4.8.7", "wkhtmltopdf 0.12.6", "1.4"),
        Tool("Apache FOP Version 2.8", "Apache FOP Version 2.8", "1.4"),
        Tool("ReportLab PDF Library - www.reportlab.com", "(unspecified)", "1.4"),
        Tool("TCPDF 6.6.2 (http://www.tcpdf.org)", "TCPDF", "1.7"),
    ),
    ProducerClass.SCANNER: (
        Tool("Adobe PSL 1.3e for Canon", "Canon iR-ADV C5535", "1.3"),
        Tool("HP Digital Sending Device", "HP Digital Sending Device", "1.4"),
        Tool("ScanSnap Manager #iX1600", "ScanSnap Manager #iX1600", "1.4"),
        Tool("Epson Scan 2", "Epson Scan 2", "1.4"),
    ),
    ProducerClass.EDITOR: (
        Tool("Adobe Acrobat Pro (64-bit) 24.1.20643", None, "1.7"),
        Tool("Sejda PDF Editor", None, "1.6"),
        Tool("iLovePDF", None, "1.7"),
        Tool("PDFescape Online", None, "1.6"),
        Tool("Smallpdf.com", None, "1.6"),
        Tool("PDF-XChange Editor 10.1.0.380", None, "1.7"),
    ),
}
_ORIGINS = TOOLS[ProducerClass.OFFICE] + TOOLS[ProducerClass.GENERATOR]


@dataclass(frozen=True)
class Provenance:
    """The tools behind a file: the final writer, the first revision's and an unrelated one."""

    tool: Tool
    origin: Tool  # for editors the program that created the file they opened
    foreign: Tool  # a different program, whose traces a half-updated XMP keeps


def choose_provenance(spec: DocumentSpec, rng: random.Random) -> Provenance:
    """Pick vendor strings for the spec's producer class; editors keep the origin's Creator."""
    tool = rng.choice(TOOLS[spec.producer])
    foreign = rng.choice([t for t in _ORIGINS if t.producer != tool.producer])
    if spec.producer is ProducerClass.EDITOR:
        edited = Tool(tool.producer, foreign.creator or foreign.producer, tool.version)
        return Provenance(edited, foreign, foreign)
    return Provenance(tool, tool, foreign)


def mod_time(spec: DocumentSpec, rng: random.Random) -> int:
    """The ModDate: the spec's, pushed days past creation when the spec asks for a later one."""
    if Tamper.MODIFIED_AFTER_CREATION in spec.tamper and spec.modified_at <= spec.created_at:
        return spec.created_at + rng.randint(2, 90) * 86_400 + rng.randint(0, 86_399)
    return spec.modified_at


def pdf_date(ts: int) -> str:
    """D:YYYYMMDDHHmmSS+00'00' for a Unix second."""
    d = utc(ts)
    return f"D:{d:%Y%m%d%H%M%S}+00'00'"


def xmp_date(ts: int) -> str:
    """ISO 8601 as XMP writes it."""
    return f"{utc(ts):%Y-%m-%dT%H:%M:%S}+00:00"


def info_dict(tool: Tool, created: int, modified: int, title: str | None) -> str:
    """The body of the Info dictionary."""
    entries = [f"/Producer {pdf_literal(tool.producer)}"]
    if tool.creator:
        entries.append(f"/Creator {pdf_literal(tool.creator)}")
    if title:
        entries.append(f"/Title {pdf_literal(title)}")
    entries.append(f"/CreationDate ({pdf_date(created)}) /ModDate ({pdf_date(modified)})")
    return "<< " + " ".join(entries) + " >>"


def xmp_packet(
    tool: Tool, created: int, modified: int, title: str | None, document_id: bytes
) -> bytes:
    """An XMP packet carrying the same producer, tool and dates as the Info dictionary."""
    doc_uuid = uuid.UUID(bytes=document_id)
    instance = uuid.UUID(bytes=hashlib.md5(document_id + str(modified).encode()).digest())
    creator_tool = tool.creator or tool.producer
    title_xml = ""
    if title:
        title_xml = (
            '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{quoteattr(title)[1:-1]}</rdf:li></rdf:Alt></dc:title>"
        )
    xml = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        f" pdf:Producer={quoteattr(tool.producer)}/>\n"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        f' xmp:CreateDate="{xmp_date(created)}" xmp:ModifyDate="{xmp_date(modified)}"'
        f' xmp:MetadataDate="{xmp_date(modified)}" xmp:CreatorTool={quoteattr(creator_tool)}/>\n'
        '<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        f' xmpMM:DocumentID="uuid:{doc_uuid}" xmpMM:InstanceID="uuid:{instance}"/>\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:format>application/pdf</dc:format>{title_xml}</rdf:Description>\n"
        "</rdf:RDF>\n</x:xmpmeta>\n" + " " * 256 + '\n<?xpacket end="w"?>'
    )
    return xml.encode("utf-8")


def metadata_stream(packet: bytes) -> bytes:
    """The Metadata stream object body (left uncompressed, as XMP readers expect)."""
    head = f"<< /Type /Metadata /Subtype /XML /Length {len(packet)} >>\nstream\n".encode()
    return head + packet + b"\nendstream"


def trailer_ids(spec: DocumentSpec) -> tuple[bytes, bytes]:
    """The trailer /ID pair: derived from the seed; the second differs after a foreign save."""
    first = hashlib.md5(f"{spec.seed}|{spec.kind}|{spec.filename}|{spec.created_at}".encode())
    if Tamper.TRAILER_ID_MISMATCH not in spec.tamper:
        return first.digest(), first.digest()
    second = hashlib.md5(first.digest() + f"{spec.modified_at}|resaved".encode())
    return first.digest(), second.digest()
