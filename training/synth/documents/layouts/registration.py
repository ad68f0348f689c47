"""Business registration certificates and register extracts, three layouts in four languages."""

from __future__ import annotations

from training.synth.documents.layouts.context import DocContext
from training.synth.documents.page import Page

WORDING = {
    "en": {
        "cert": "Certificate of Incorporation", "extract": "Extract from the Register of Companies",
        "confirm": "Confirmation of Registration", "number": "Company number",
        "name": "Company name", "form": "Legal form", "form_value": "Private limited company",
        "address": "Registered office", "incorporated": "Date of incorporation",
        "status": "Status", "active": "Active", "rep": "Director", "issued": "Date of issue",
        "certify": "hereby certifies that",
        "after": "is this day incorporated as a private company limited by shares, and that the "
                 "situation of its registered office is as stated below.",
        "confirm_text": "We confirm that the company named below has been entered in the register "
                        "and that the particulars shown are those held on the date of issue.",
        "registrar": "Registrar of Companies", "page": "Page",
    },
    "de": {
        "cert": "Eintragungsbescheinigung", "extract": "Aktueller Ausdruck aus dem Handelsregister",
        "confirm": "Bestätigung der Eintragung", "number": "Registernummer", "name": "Firma",
        "form": "Rechtsform", "form_value": "Gesellschaft mit beschränkter Haftung",
        "address": "Geschäftsanschrift", "incorporated": "Tag der ersten Eintragung",
        "status": "Status", "active": "eingetragen", "rep": "Geschäftsführer",
        "issued": "Abruf vom", "certify": "bescheinigt hiermit, dass die Gesellschaft",
        "after": "im Handelsregister Abteilung B eingetragen ist und ihren Sitz unter der "
                 "nachstehenden Anschrift hat.",
        "confirm_text": "Wir bestätigen, dass die nachstehend bezeichnete Gesellschaft im "
                        "Handelsregister eingetragen ist. Die Angaben entsprechen dem Stand am "
                        "Tag des Abrufs.",
        "registrar": "Registergericht", "page": "Seite",
    },
    "nl": {
        "cert": "Bewijs van inschrijving", "extract": "Uittreksel Handelsregister",
        "confirm": "Bevestiging van inschrijving", "number": "KvK-nummer",
        "name": "Statutaire naam", "form": "Rechtsvorm", "form_value": "Besloten Vennootschap",
        "address": "Bezoekadres", "incorporated": "Datum oprichting", "status": "Status",
        "active": "Ingeschreven", "rep": "Bestuurder", "issued": "Datum uittreksel",
        "certify": "verklaart dat", "after": "is ingeschreven in het Handelsregister met het "
                                             "hieronder vermelde adres.",
        "confirm_text": "Hierbij bevestigen wij dat de onderstaande rechtspersoon is ingeschreven "
                        "in het Handelsregister. De gegevens zijn bijgewerkt tot de datum van "
                        "dit uittreksel.",
        "registrar": "De registrateur", "page": "Pagina",
    },
    "fr": {
        "cert": "Certificat d'immatriculation", "extract": "Extrait Kbis",
        "confirm": "Attestation d'immatriculation", "number": "Numéro d'identification",
        "name": "Dénomination", "form": "Forme juridique",
        "form_value": "Société à responsabilité limitée", "address": "Adresse du siège",
        "incorporated": "Date d'immatriculation", "status": "Situation", "active": "Active",
        "rep": "Gérant", "issued": "Date de délivrance", "certify": "certifie que la société",
        "after": "est immatriculée au registre du commerce et des sociétés, son siège étant "
                 "situé à l'adresse ci-dessous.",
        "confirm_text": "Le greffier atteste que la personne morale désignée ci-dessous est "
                        "immatriculée et que les renseignements sont à jour à la date de "
                        "délivrance.",
        "registrar": "Le Greffier", "page": "Page",
    },
}  # fmt: skip


def issuer(ctx: DocContext) -> tuple[str, str]:
    """The fictional registry and its office line for the shown country."""
    city = ctx.identity.address.city
    state = ctx.identity.address.state or "Delaware"
    return {
        "GB": ("National Companies Registry", "Crown Way, Cardiff - England and Wales"),
        "IE": ("Companies Registration Bureau", "Parnell Square, Dublin"),
        "US": (f"Office of the Secretary of State, {state}", "Division of Business Filings"),
        "DE": (f"Amtsgericht {city}", "Registergericht - Handelsregister B"),
        "AT": (f"Landesgericht {city}", "Firmenbuchgericht"),
        "NL": ("Kamer voor Ondernemingen", "Nationaal Handelsregister"),
        "FR": (f"Greffe du Tribunal de Commerce de {city}", "Registre du Commerce et des Sociétés"),
        "AU": ("Australian Business & Securities Registry", "Corporations Register"),
        "CA": ("Corporations Registry Canada", "Business Corporations Directorate"),
    }.get(ctx.country, (f"{ctx.country_name} Business Registry", "Register of Companies"))


def _certificate(ctx: DocContext) -> tuple[Page, ...]:
    w = WORDING[ctx.lang]
    ident = ctx.identity
    s = ctx.sheet("times")
    mid, left, width = s.width / 2, 80.0, s.width - 160
    name, office = issuer(ctx)
    s.box(40, 40, s.width - 80, s.height - 80, None, 2.0)
    s.box(46, 46, s.width - 92, s.height - 92, None, 0.6)
    s.text(mid, 110, name, 15, "bold", align="center")
    s.text(mid, 128, office, 10, "italic", align="center")
    s.text(mid, 185, w["cert"].upper(), 21, "bold", align="center")
    s.text(mid, 215, f"{w['number']}: {ident.registration_number}", 12, align="center")
    y = s.para(left, 262, f"{w['registrar']} {w['certify']}", width, 12, align="center")
    y = s.para(left, y + 14, ident.legal_name, width, 16, "bold", target=True, align="center")
    y = s.para(left, y + 10, w["after"], width, 12, align="center")
    y += 20
    for line in ctx.address():
        s.text(mid, y, line, 12, align="center")
        y += 16
    y += 20
    s.text(mid, y, f"{w['incorporated']}: {ctx.date(ident.incorporated_on)}", 12, align="center")
    s.text(left, s.height - 190, f"{w['issued']}: {ctx.date(ctx.issued_on)}", 11)
    s.line(s.width - 260, s.height - 170, s.width - 80, s.height - 170, 0.6)
    s.text(s.width - 170, s.height - 156, w["registrar"], 10, "italic", align="center")
    code = ctx.reference("reg-auth", "9999-AAAA-9999")
    s.text(mid, s.height - 70, f"{name} - {code}", 8, align="center")
    return (s.page(),)


def _extract(ctx: DocContext) -> tuple[Page, ...]:
    w = WORDING[ctx.lang]
    ident = ctx.identity
    s = ctx.sheet("helvetica")
    name, office = issuer(ctx)
    s.box(50, 50, s.width - 100, 56, 0.88, 0)
    s.text(62, 72, name, 13, "bold")
    s.text(62, 92, office, 9)
    s.text(s.width - 62, 72, w["extract"], 11, "bold", align="right")
    pairs = [
        (w["number"], ident.registration_number),
        (w["name"], ident.legal_name),
        (w["form"], w["form_value"]),
        (w["address"], ", ".join(ctx.address())),
        (w["incorporated"], ctx.date(ident.incorporated_on)),
        (w["status"], w["active"]),
        (w["rep"], ident.representative),
    ]
    if ctx.layout % 2:
        pairs.insert(0, pairs.pop(1))  # some registries lead with the name
    y = s.rows(62, 140, pairs, 150, s.width - 274, 10, target_label=w["name"], rule=True)
    s.text(62, y + 20, f"{w['issued']}: {ctx.date(ctx.issued_on)}", 9)
    s.text(62, s.height - 50, ctx.reference("reg-doc", "Doc-ID 99999999-AA"), 8)
    s.text(s.width - 62, s.height - 50, f"{w['page']} 1/1", 8, align="right")
    return (s.page(),)


def _confirmation(ctx: DocContext) -> tuple[Page, ...]:
    w = WORDING[ctx.lang]
    ident = ctx.identity
    s = ctx.sheet("courier")
    name, office = issuer(ctx)
    left, width = 60.0, s.width - 120
    s.text(left, 70, name.upper(), 11, "bold")
    s.text(left, 84, office, 9)
    s.text(s.width - 60, 70, ctx.date(ctx.issued_on), 10, align="right")
    s.text(s.width - 60, 84, ctx.reference("reg-ref", "REF AA/999999"), 9, align="right")
    y = 130.0
    for line in [ident.legal_name, *ctx.address()]:
        s.text(left, y, line, 10)
        y += 13
    s.text(left, y + 30, w["confirm"].upper(), 13, "bold")
    y = s.para(left, y + 56, w["confirm_text"], width, 10)
    y += 14
    facts = [
        (w["name"], ident.legal_name),
        (w["number"], ident.registration_number),
        (w["incorporated"], ctx.date(ident.incorporated_on)),
        (w["address"], ", ".join(ctx.address())),
        (w["rep"], ident.representative),
    ]
    y = s.rows(left, y, facts, 190, width - 190, 10, label_style="regular", target_label=w["name"])
    s.text(left, y + 40, w["registrar"], 10)
    s.text(left, y + 54, f"{w['issued']}: {ctx.date(ctx.issued_on)}", 10)
    return (s.page(),)


LAYOUTS = (_certificate, _extract, _confirmation)
