"""Which family of software wrote a PDF, judged from its Producer and Creator strings."""

from __future__ import annotations

import re

from features.documents.evidence import ProducerClass

# Ordered: the first rule matching one string names that string's family. Specific Adobe
# products come before the generic "acrobat" editor rule because Adobe ships all four kinds.
_PATTERNS: tuple[tuple[ProducerClass, str], ...] = (
    ("office", r"pdfmaker|microsoft.*(word|excel|powerpoint|office|365)|libreoffice"),
    ("generator", r"distiller|acrobat\s*web\s*capture"),
    (
        "scanner",
        r"\bscan|canon|epson|xerox|ricoh|kyocera|brother|konica|minolta|lexmark|sharp\s*mx"
        r"|\bhp\b.*(digital\s*sending|officejet|laserjet|smart|mfp)|fujitsu|paperport"
        r"|naps2|finereader|\bocr\b|mfp|multifunction|imagerunner|bizhub|workcentre"
        r"|versalink|\blens\b|genius\s*scan|camscanner|scanbot|tiny\s*scanner",
    ),
    (
        "editor",
        r"acrobat|sejda|ilovepdf|pdfescape|smallpdf|foxit|nitro|pdfelement|wondershare"
        r"|pdf-?xchange|pdffiller|soda\s*pdf|pdf\s*expert|pdf\s*candy|docfly|xodo|kami\b"
        r"|canva|photoshop|gimp|inkscape|illustrator|affinity|pdf\s*studio|pdf24"
        r"|pdf\s*architect|pdfsam|master\s*pdf|qoppa|preview|pixelmator|pdf\s*editor"
        r"|docusign|adobe\s*express|bluebeam|able2extract|pdfzorro|sodapdf|formswift",
    ),
    (
        "office",
        r"\bword\b|excel|powerpoint|openoffice|\bwriter\b|\bcalc\b|\bpages\b|keynote"
        r"|numbers|google\s*docs|wps\s*(office|writer)|onlyoffice|abiword|kingsoft",
    ),
    (
        "generator",
        r"itext|wkhtmltopdf|\bfop\b|reportlab|pdfkit|prince|tcpdf|fpdf|mpdf|dompdf"
        r"|weasyprint|\bqt\b|chromium|chrome|skia|puppeteer|playwright|jasper|crystal"
        r"|pdfsharp|pdf-lib|aspose|ghostscript|\bbfo\b|pdflib|telerik|syncfusion|questpdf"
        r"|openpdf|pdftex|luatex|xetex|dvipdf|cairo|quartz|pdf\s*library|pdfium|pypdf"
        r"|pdfbox|pdfjs|html\s*to\s*pdf|docraptor|gotenberg|ironpdf|winnovative|evo\s*pdf"
        r"|pdfcrowd|birt|sap|oracle|report",
    ),
)
_RULES = tuple((family, re.compile(pattern, re.I)) for family, pattern in _PATTERNS)
_PRECEDENCE: tuple[ProducerClass, ...] = ("editor", "scanner", "office", "generator")


def classify_producer(producer: str, creator: str) -> ProducerClass:
    """Name the producing software's family; an editor anywhere in the chain wins.

    Editing tools usually keep the original Creator and stamp their own Producer (or the
    reverse), so each string is classified alone and the most telling family is kept.
    """
    found = {_classify_one(text) for text in (producer, creator) if text.strip()}
    for family in _PRECEDENCE:
        if family in found:
            return family
    return "unknown"


def _classify_one(text: str) -> ProducerClass:
    for family, pattern in _RULES:
        if pattern.search(text):
            return family
    return "unknown"
