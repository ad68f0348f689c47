"""Which kind of onboarding document a file is, from its wording, its fields and its layout.

Each kind has weighted cues in several languages; cues in the title (the largest type on the
first page) count double. Scanned pages carry no text, so layout decides: a single image-only
page shaped like a card or a passport page is an identity scan, any other scan stays unknown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import islice

from features.documents.evidence import DocumentKind
from features.documents.layout import PageLayout
from features.documents.places import has_iban
from features.documents.text_view import DocumentText

_MIN_SCORE = 3.0
_COMBINING = re.compile(r"[\u0300-\u036f]")


def _cues(*weighted: tuple[float, str]) -> tuple[tuple[float, re.Pattern[str]], ...]:
    return tuple(
        (weight, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")) for weight, pattern in weighted
    )


_CUES: dict[DocumentKind, tuple[tuple[float, re.Pattern[str]], ...]] = {
    "registration_certificate": _cues(
        (4, r"certificate of (?:incorporation|formation|organi[sz]ation|registration|good standing)"
            r"|articles of (?:incorporation|organi[sz]ation)|handelsregisterauszug"
            r"|auszug aus dem handelsregister|extrait (?:k ?bis|d'immatriculation)|kbis"
            r"|visura camerale|uittreksel (?:handelsregister|kvk)|certidao permanente"
            r"|nota simple|company registration|business registration|gewerbeanmeldung"
            r"|(?:extract|excerpt) (?:from|of) the (?:commercial |trade |companies |business )?"
            r"regist(?:er|ry)(?: of (?:companies|enterprises|commerce))?"),
        (2, r"incorporated|incorporation|companies house|regist(?:rar|er|ry) of companies"
            r"|register of enterprises|secretary of state"
            r"|handelsregister|registergericht|amtsgericht|registre du commerce|greffe"
            r"|immatricul\w+|registro mercantil|registro (?:delle )?imprese|kamer van koophandel"
            r"|chamber of commerce|companies act|trade register|commercial register|gewerbeamt"),
        (1, r"company number|registration number|registered office|hr[ab]|rcs|kvk|crn"
            r"|limited company|private company|share capital|stammkapital|capital social"
            r"|directors?|geschaftsfuhrer|gerant|good standing|entity"),
    ),
    "tax_id_letter": _cues(
        (4, r"employer identification number|taxpayer identification number|tax identification"
            r"|vat registration|certificate of vat registration|steuernummer|umsatzsteuer"
            r"|ust-?id\w*|numero (?:de )?tva|tva intracommunautaire|unique taxpayer reference"
            r"|partita iva|codice fiscale|numero de identificacion fiscal|btw-?(?:nummer|id)"
            r"|btw-?identificatienummer|omzetbelasting|numero fiscal|steuerliche erfassung"
            r"|goods and services tax|business number|cp ?575|147c"),
        (2, r"internal revenue service|irs|department of the treasury|hm revenue|hmrc|finanzamt"
            r"|bundeszentralamt fur steuern|impots|finances publiques|dgfip|agencia tributaria"
            r"|agenzia delle entrate|belastingdienst|belastingkantoor|revenue agency|tax office"
            r"|tax authority|tax registry|tax registration|finanzverwaltung|service des impots"
            r"|steuerliche erfassung|ein|tin|utr|vat|tva|nif|cif|gst|abn|siren|siret"),
        (1, r"tax|taxpayer|steuer|fiscal|revenue|assigned|zugeteilt|attribue"),
    ),
    "bank_statement": _cues(
        (4, r"(?:bank|account|current account|checking account|savings account) statement"
            r"|statement of account|kontoauszug|releve (?:de compte|bancaire|d'identite bancaire)"
            r"|extracto (?:bancario|de cuenta)|estratto conto|rekeningafschrift|bankafschrift"
            r"|extrato bancario"),
        (2, r"opening balance|closing balance|balance (?:brought|carried) forward|new balance"
            r"|previous balance|(?:beginning|ending) balance|total (?:credits|debits|deposits"
            r"|withdrawals)|money (?:in|out)|paid (?:in|out)|kontostand|anfangssaldo|endsaldo"
            r"|solde (?:initial|final|precedent|nouveau)|nouveau solde|saldo (?:inicial|final"
            r"|iniziale|finale|alt|neu)|statement period|sort code|routing number"),
        (1, r"iban|bic|swift|account number|kontonummer|balance|saldo|solde|deposits?"
            r"|withdrawals?|gutschrift|lastschrift|overdraft|transactions?|debit|credit"),
    ),
    "proof_of_address": _cues(
        (4, r"utility bill|council tax|proof of (?:address|residence)|certificate of residence"
            r"|meldebescheinigung|justificatif de domicile|attestation de (?:domicile|residence)"
            r"|quittance de loyer|tenancy agreement|lease agreement|rental agreement"
            r"|certificado de empadronamiento|stromrechnung|gasrechnung|wasserrechnung"
            r"|business rates|rates demand|bail commercial|contrat de bail|gewerbemietvertrag"
            r"|mietvertrag|huurovereenkomst|contrato de arrendamiento|contratto di locazione"
            r"|avis de (?:cotisation|taxe|taxe fonciere)|cotisation fonciere|taxe fonciere"
            r"|taxe d'habitation|grundsteuerbescheid|energienota|jahresabrechnung"
            r"|gemeentelijke belastingen|aanslag gemeentelijke|grundbesitzabgaben\w*|grundsteuer\w*"
            r"|abgabenbescheid|property tax|municipal tax|impuesto sobre bienes inmuebles"),
        (2, r"electricity|gas|water|energy|broadband|internet|telephone|mobile|kwh|meter"
            r"|tariff|billing period|amount due|supply address|service address|landlord|tenant"
            r"|rent|strom|abrechnung|zahlerstand|verbrauch|facture|electricite|eau|loyer"
            r"|factura|bolletta|luce|energia|rechnung|nebenkosten|residence|resident|bail"
            r"|bailleur|preneur|locataire|loyer|locaux|vermieter|mieter|miete|mietobjekt"
            r"|verhuurder|huurder|huurprijs|huur|arrendatario|inquilino|landlord|tenant|lease"
            r"|ratepayer|rates|energie|factuur|klantnummer|verbruik|leveringsadres|te betalen"
            r"|strom|gas|abschlag|zahlerstand|redevable|cotisation|etablissement|municipal"
            r"|gemeente|stadt|municipality|mairie|ayuntamiento|comune|kassenzeichen"
            r"|aanslagnummer|aanslag|eigentumer|nutzer|gebruiker|grundstuck|object|borough"),
        (1, r"bill|invoice|due date|pay by|direct debit|customer number|kundennummer"
            r"|numero client|property|household|insurance|usage"),
    ),
    "identity_scan": _cues(
        (4, r"passport|passeport|reisepass|pasaporte|passaporto|paspoort|identity card"
            r"|national identity|personalausweis|carte (?:nationale )?d'identite"
            r"|documento nacional de identidad|carta d'identita|identiteitskaart"
            r"|driver'?s? licen[cs]e|driving licen[cs]e|fuhrerschein|permis de conduire"
            r"|residence permit|aufenthaltstitel"),
        (2, r"date of birth|geburtsdatum|date de naissance|fecha de nacimiento|place of birth"
            r"|nationality|nationalite|staatsangehorigkeit|nacionalidad|given names?"
            r"|surname|vorname|prenoms?|date of expiry|valid until|gultig bis"),
        (1, r"sex|sexe|geschlecht|height|eyes|signature|holder|issuing authority|behorde"),
    ),
}  # fmt: skip
_MRZ = re.compile(r"^(?=[A-Z0-9]*<)[A-Z0-9<]{28,44}$", re.M)


def classify(doc: DocumentText, pages: Sequence[PageLayout]) -> DocumentKind:
    """The most likely document kind, or `unknown` when no kind's cues are strong enough."""
    if pages and all(page.scan_like for page in pages):
        return _scanned_kind(pages)
    text = fold(doc.text)
    title = fold(_title(doc))
    scores = {kind: _score(cues, text, title) for kind, cues in _CUES.items()}
    if _MRZ.search(doc.text.replace(" ", "")):
        scores["identity_scan"] += 6
    if has_iban(doc.text) and len(re.findall(r"\d[.,]\d{2}(?!\d)", doc.text)) >= 6:
        scores["bank_statement"] += 2
    kind, best = max(scores.items(), key=lambda item: item[1])
    return kind if best >= _MIN_SCORE else "unknown"


def fold(text: str) -> str:
    """Lower-case `text` and drop accents, so cues match however an issuer spells them."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _COMBINING.sub("", decomposed).replace("ß", "ss")


def _score(cues: tuple[tuple[float, re.Pattern[str]], ...], text: str, title: str) -> float:
    score = 0.0
    for weight, pattern in cues:
        hits = sum(1 for _ in islice(pattern.finditer(text), 3))  # more than 3 count as 3
        if hits:
            score += weight * min(hits, 3) ** 0.5
        if title and pattern.search(title):
            score += weight
    return score


def _title(doc: DocumentText) -> str:
    """The largest type among the first page's lines: where issuers name the document."""
    first_page = [placed.line for placed in doc.lines if placed.page == 0]
    if not first_page:
        return ""
    largest = max(line.size for line in first_page)
    return "\n".join(line.text for line in first_page if line.size >= 0.9 * largest)


def _scanned_kind(pages: Sequence[PageLayout]) -> DocumentKind:
    """A lone scanned page shaped like an ID card or passport page is an identity scan.

    Without OCR a scanned statement or certificate cannot be told apart, so it stays unknown.
    """
    if len(pages) != 1:
        return "unknown"
    page = pages[0]
    card_shaped = page.image_aspect > 1.15 or page.image_cover < 0.6
    return "identity_scan" if card_shaped else "unknown"
