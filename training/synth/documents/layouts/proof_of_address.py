"""Proofs of address: a utility bill, a council tax letter and a commercial lease."""

from __future__ import annotations

from training.synth.documents.layouts.context import DocContext
from training.synth.documents.page import Page

WORDING = {
    "en": {
        "bill": "Electricity Bill", "account": "Account number", "bill_date": "Bill date",
        "period": "Billing period", "supply": "Supply address", "customer": "Customer",
        "standing": "Standing charge", "usage": "Energy used", "vat": "VAT", "due": "Amount due",
        "pay_by": "Please pay by", "council": "{city} City Council",
        "council_title": "Business Rates Demand Notice", "council_text":
            "This notice is issued to {name} as the ratepayer for the property shown below. "
            "The amount payable for the year is set out in this notice.",
        "property": "Property", "ref": "Reference", "lease": "Commercial Lease Agreement",
        "lease_text": "This agreement is made on {date} between {landlord} (the Landlord) and "
                      "{name} (the Tenant) for the premises described below.",
        "premises": "Premises", "term": "Term: 36 months from the date of this agreement.",
        "rent": "Monthly rent", "landlord": "Landlord", "tenant": "Tenant",
        "supplier": "Northgrid Energy",
    },
    "de": {
        "bill": "Stromrechnung", "account": "Kundennummer", "bill_date": "Rechnungsdatum",
        "period": "Abrechnungszeitraum", "supply": "Lieferanschrift", "customer": "Kunde",
        "standing": "Grundpreis", "usage": "Arbeitspreis", "vat": "USt.", "due": "Rechnungsbetrag",
        "pay_by": "Fällig am", "council": "Stadt {city} - Steueramt",
        "council_title": "Grundbesitzabgabenbescheid", "council_text":
            "Dieser Bescheid ergeht an {name} als Eigentümer bzw. Nutzer des nachstehend "
            "bezeichneten Grundstücks.",
        "property": "Grundstück", "ref": "Kassenzeichen", "lease": "Gewerbemietvertrag",
        "lease_text": "Dieser Vertrag wird am {date} zwischen {landlord} (Vermieter) und {name} "
                      "(Mieter) über die nachstehend bezeichneten Räume geschlossen.",
        "premises": "Mietobjekt", "term": "Mietdauer: 36 Monate ab Vertragsbeginn.",
        "rent": "Monatliche Miete", "landlord": "Vermieter", "tenant": "Mieter",
        "supplier": "Stadtwerke Nordstrom",
    },
    "nl": {
        "bill": "Energienota", "account": "Klantnummer", "bill_date": "Factuurdatum",
        "period": "Periode", "supply": "Leveringsadres", "customer": "Klant",
        "standing": "Vastrecht", "usage": "Verbruik", "vat": "Btw", "due": "Te betalen",
        "pay_by": "Betalen voor", "council": "Gemeente {city}",
        "council_title": "Aanslag gemeentelijke belastingen", "council_text":
            "Deze aanslag is opgelegd aan {name} als gebruiker van het hieronder vermelde object.",
        "property": "Object", "ref": "Aanslagnummer", "lease": "Huurovereenkomst bedrijfsruimte",
        "lease_text": "Deze overeenkomst is op {date} gesloten tussen {landlord} (verhuurder) en "
                      "{name} (huurder) betreffende de hieronder vermelde bedrijfsruimte.",
        "premises": "Gehuurde", "term": "Duur: 36 maanden vanaf de ingangsdatum.",
        "rent": "Huurprijs per maand", "landlord": "Verhuurder", "tenant": "Huurder",
        "supplier": "Polder Energie",
    },
    "fr": {
        "bill": "Facture d'électricité", "account": "Référence client", "bill_date": "Date",
        "period": "Période de facturation", "supply": "Adresse de fourniture",
        "customer": "Client", "standing": "Abonnement", "usage": "Consommation", "vat": "TVA",
        "due": "Montant à payer", "pay_by": "À régler avant le", "council": "Mairie de {city}",
        "council_title": "Avis de cotisation foncière des entreprises", "council_text":
            "Le présent avis est adressé à {name}, redevable pour l'établissement ci-dessous.",
        "property": "Établissement", "ref": "Référence de l'avis", "lease": "Bail commercial",
        "lease_text": "Le présent bail est conclu le {date} entre {landlord} (le bailleur) et "
                      "{name} (le preneur) pour les locaux désignés ci-dessous.",
        "premises": "Locaux", "term": "Durée : 36 mois à compter de la prise d'effet.",
        "rent": "Loyer mensuel", "landlord": "Bailleur", "tenant": "Preneur",
        "supplier": "Énergie Rhône-Littoral",
    },
}  # fmt: skip
_LANDLORDS = (
    "Harbour Lane Properties",
    "Westgate Estates",
    "Meridian Real Estate Holdings",
    "Oakfield Commercial Lettings",
)
_DAY = 86_400


def _utility_bill(ctx: DocContext) -> tuple[Page, ...]:
    w = WORDING[ctx.lang]
    ident = ctx.identity
    s = ctx.sheet("helvetica")
    rng = ctx.rng("utility")
    s.box(0, 0, s.width, 70, 0.85, 0)
    s.text(50, 44, w["supplier"], 18, "bold")
    s.text(s.width - 50, 44, w["bill"], 12, align="right")
    start = ctx.issued_on - 91 * _DAY
    facts = [
        (w["account"], ctx.reference("utility-acct", "9999 999 999")),
        (w["bill_date"], ctx.date(ctx.issued_on)),
        (w["period"], f"{ctx.date(start)} - {ctx.date(ctx.issued_on - _DAY)}"),
    ]
    y = 92.0
    for label, value in facts:
        s.text(s.width - 250, y, label, 8, "bold")
        s.text(s.width - 50, y, value, 8, align="right")
        y += 14
    y = s.para(50, y + 20, ident.legal_name, s.width - 100, 10, "bold", target=True)
    for line in ctx.address():
        s.text(50, y, line, 10)
        y += 13
    y += 20
    s.text(50, y, f"{w['supply']}: {', '.join(ctx.address())}", 9)
    standing, usage = rng.randint(2_000, 9_000), rng.randint(8_000, 90_000)
    vat = (standing + usage) // 5
    y += 36
    for label, amount in ((w["standing"], standing), (w["usage"], usage), (w["vat"], vat)):
        s.text(50, y, label, 10)
        s.text(s.width - 50, y, f"{ctx.money(amount)} {ctx.currency}", 10, align="right")
        s.line(50, y + 5, s.width - 50, y + 5, 0.3)
        y += 20
    total = f"{ctx.money(standing + usage + vat)} {ctx.currency}"
    s.text(50, y + 10, w["due"], 12, "bold")
    s.text(s.width - 50, y + 10, total, 12, "bold", align="right")
    s.text(50, y + 40, f"{w['pay_by']} {ctx.date(ctx.issued_on + 21 * _DAY)}", 9)
    return (s.page(),)


def _council_letter(ctx: DocContext) -> tuple[Page, ...]:
    w = WORDING[ctx.lang]
    ident = ctx.identity
    s = ctx.sheet("times")
    council = w["council"].format(city=ident.address.city)
    s.text(s.width / 2, 64, council, 16, "bold", align="center")
    s.line(60, 76, s.width - 60, 76, 0.8)
    s.text(s.width - 60, 100, ctx.date(ctx.issued_on), 11, align="right")
    s.text(
        s.width - 60,
        114,
        f"{w['ref']}: {ctx.reference('council', 'AA 99999999')}",
        9,
        align="right",
    )
    y = s.para(60, 140, ident.legal_name, 260, 11, target=True)
    for line in ctx.address():
        s.text(60, y, line, 11)
        y += 14
    s.text(60, y + 36, w["council_title"], 14, "bold")
    y = s.para(60, y + 62, w["council_text"].format(name=ident.legal_name), s.width - 120, 11)
    s.text(60, y + 16, f"{w['property']}:", 11, "bold")
    y = s.para(160, y + 16, ", ".join(ctx.address()), s.width - 220, 11)
    amount = ctx.rng("council-amount").randint(40_000, 900_000)
    s.text(60, y + 16, f"{w['due']}: {ctx.money(amount)} {ctx.currency}", 11, "bold")
    return (s.page(),)


def _lease(ctx: DocContext) -> tuple[Page, ...]:
    w = WORDING[ctx.lang]
    ident = ctx.identity
    s = ctx.sheet(ctx.pick(("courier", "times"), "lease-font"))
    landlord = ctx.pick(_LANDLORDS, "landlord")
    s.text(s.width / 2, 80, w["lease"].upper(), 14, "bold", align="center")
    text = w["lease_text"].format(
        date=ctx.date(ctx.issued_on), landlord=landlord, name=ident.legal_name
    )
    y = s.para(70, 130, text, s.width - 140, 10.5)
    s.text(70, y + 14, f"{w['premises']}:", 10.5, "bold")
    y += 32
    for line in ctx.address():
        s.text(90, y, line, 10.5)
        y += 14
    y = s.para(70, y + 14, w["term"], s.width - 140, 10.5)
    rent = ctx.rng("lease-rent").randint(80_000, 1_500_000)
    s.text(70, y + 6, f"{w['rent']}: {ctx.money(rent)} {ctx.currency}", 10.5)
    y += 80
    s.line(70, y, 250, y, 0.5)
    s.line(s.width - 250, y, s.width - 70, y, 0.5)
    s.text(70, y + 14, f"{w['landlord']}: {landlord}", 9)
    s.text(s.width - 250, y + 14, f"{w['tenant']}:", 9)
    s.para(s.width - 250, y + 27, ident.legal_name, 180, 9, target=True)
    return (s.page(),)


LAYOUTS = (_utility_bill, _council_letter, _lease)
