"""Tax identification letters (EIN notice, UTR letter, Steuernummer notice...), three layouts."""

from __future__ import annotations

from training.synth.documents.layouts.context import DocContext
from training.synth.documents.page import Page

_EN_LABELS = {
    "date": "Date of this notice", "ref": "Notice number", "name": "Taxpayer name",
    "address": "Address", "effective": "Effective date", "office": "Issuing office",
    "issued": "Date issued", "cert": "Tax Registration Certificate",
}  # fmt: skip
AUTHORITIES = {
    "US": {
        "authority": "Internal Revenue Bureau", "office": "Business Tax Center, Ogden UT 84201",
        "title": "WE ASSIGNED YOU AN EMPLOYER IDENTIFICATION NUMBER",
        "number": "Employer Identification Number", "notice": "CP 575 A",
        "intro": "Thank you for applying for an Employer Identification Number (EIN). We assigned "
                 "you EIN {num}. This EIN will identify you, your business accounts, tax returns, "
                 "and documents, even if you have no employees.",
        "outro": "Please keep this notice in your permanent records. Use your complete name and "
                 "EIN on all federal tax forms, payments and related correspondence.",
    },
    "GB": {
        "authority": "HM Revenue Office", "office": "Corporation Tax Services, Shipley BD98 1YY",
        "title": "Your Unique Taxpayer Reference", "number": "Unique Taxpayer Reference (UTR)",
        "notice": "CT41G",
        "intro": "We have set up a Corporation Tax record for your company. Your Unique Taxpayer "
                 "Reference is {num}. Quote it whenever you contact us about Corporation Tax.",
        "outro": "Keep this letter safe. You will need your reference to file returns online.",
    },
    "DE": {
        "authority": "Finanzamt {city}", "office": "Veranlagungsstelle für Körperschaften",
        "title": "Mitteilung über die Erteilung einer Steuernummer", "number": "Steuernummer",
        "notice": "St-Nr-Mitteilung",
        "intro": "Sehr geehrte Damen und Herren, für Ihr Unternehmen wurde die Steuernummer {num} "
                 "vergeben. Bitte geben Sie diese bei allen Anfragen und Zahlungen an.",
        "outro": "Mit freundlichen Grüßen, Ihr Finanzamt",
    },
    "NL": {
        "authority": "Belastingkantoor Nederland", "office": "Afdeling Ondernemingen, Apeldoorn",
        "title": "Uw btw-identificatienummer", "number": "Btw-identificatienummer",
        "notice": "OB-01",
        "intro": "Geachte heer/mevrouw, u bent geregistreerd als ondernemer voor de "
                 "omzetbelasting. Uw btw-identificatienummer is {num}. Vermeld dit nummer op uw "
                 "facturen.",
        "outro": "Met vriendelijke groet, het Belastingkantoor",
    },
    "FR": {
        "authority": "Service des Impôts des Entreprises de {city}",
        "office": "Direction des Finances Publiques", "title": "Attribution du numéro de TVA",
        "number": "Numéro de TVA intracommunautaire", "notice": "SIE-TVA",
        "intro": "Madame, Monsieur, nous vous informons que le numéro de TVA intracommunautaire "
                 "{num} a été attribué à votre entreprise.",
        "outro": "Veuillez agréer l'expression de nos salutations distinguées.",
    },
    "AU": {
        "authority": "Australian Tax Registry", "office": "Business Registration, Canberra ACT",
        "title": "Your Australian Business Number", "number": "Australian Business Number (ABN)",
        "notice": "ABN-REG",
        "intro": "Your application for an Australian Business Number has been approved. Your ABN "
                 "is {num}. Use it on invoices and when dealing with other businesses.",
        "outro": "This letter confirms the details held on the register on the date above.",
    },
}  # fmt: skip
_LABELS = {
    "DE": {
        "date": "Datum", "ref": "Aktenzeichen", "name": "Steuerpflichtiger",
        "address": "Anschrift", "effective": "Gültig ab", "office": "Finanzamt",
        "issued": "Ausgestellt am", "cert": "Bescheinigung über die steuerliche Erfassung",
    },
    "NL": {
        "date": "Datum", "ref": "Kenmerk", "name": "Naam", "address": "Adres",
        "effective": "Ingangsdatum", "office": "Kantoor", "issued": "Datum afgifte",
        "cert": "Bevestiging registratie omzetbelasting",
    },
    "FR": {
        "date": "Date", "ref": "Référence", "name": "Dénomination", "address": "Adresse",
        "effective": "Date d'effet", "office": "Service", "issued": "Date de délivrance",
        "cert": "Attestation d'immatriculation fiscale",
    },
}  # fmt: skip
_GENERIC = {
    "authority": "National Revenue Authority of {country}", "office": "Business Registration Unit",
    "title": "Confirmation of Tax Identification Number", "number": "Tax identification number",
    "notice": "TIN-1",
    "intro": "This letter confirms that the business named above has been registered for tax "
             "purposes under the tax identification number {num}.",
    "outro": "Please quote this number in all correspondence with the authority.",
}  # fmt: skip


def wording(ctx: DocContext) -> tuple[dict[str, str], dict[str, str]]:
    """The authority's texts (with placeholders filled) and the labels it uses."""
    raw = AUTHORITIES.get(ctx.country, _GENERIC)
    texts = {
        k: v.format(
            city=ctx.identity.address.city, country=ctx.country_name, num=ctx.identity.tax_id
        )
        for k, v in raw.items()
    }
    return texts, _LABELS.get(ctx.country, _EN_LABELS)


def _notice(ctx: DocContext) -> tuple[Page, ...]:
    t, lab = wording(ctx)
    ident = ctx.identity
    s = ctx.sheet("times")
    left, right = 60.0, s.width - 60
    s.text(left, 60, t["authority"], 13, "bold")
    s.text(left, 75, t["office"], 9)
    info = [
        (lab["date"], ctx.date(ctx.issued_on)),
        (lab["ref"], t["notice"]),
        (t["number"], ident.tax_id),
    ]
    y = 60.0
    for label, value in info:
        s.text(right - 150, y, f"{label}:", 8)
        s.text(right, y + 11, value, 10, "bold", align="right")
        y += 26
    y = s.para(left, 150, ident.legal_name, right - left, 11, leading=14, target=True)
    for line in ctx.address():
        s.text(left, y, line, 11)
        y += 14
    s.text(left, y + 36, t["title"], 13, "bold")
    y = s.para(left, y + 64, t["intro"], right - left, 11)
    y = s.para(left, y + 10, t["outro"], right - left, 11)
    s.text(left, s.height - 60, f"{t['notice']} ({ctx.date(ctx.issued_on, 'iso')})", 8)
    return (s.page(),)


def _certificate(ctx: DocContext) -> tuple[Page, ...]:
    t, lab = wording(ctx)
    ident = ctx.identity
    s = ctx.sheet("helvetica")
    s.box(50, 50, s.width - 100, 70, 0.9, 0)
    s.text(s.width / 2, 80, t["authority"], 14, "bold", align="center")
    s.text(s.width / 2, 100, t["office"], 9, align="center")
    s.text(s.width / 2, 160, lab["cert"], 15, "bold", align="center")
    pairs = [
        (lab["name"], ident.legal_name),
        (t["number"], ident.tax_id),
        (lab["address"], ", ".join(ctx.address())),
        (lab["effective"], ctx.date(ident.incorporated_on)),
        (lab["office"], t["authority"]),
        (lab["issued"], ctx.date(ctx.issued_on)),
    ]
    y = s.rows(70, 210, pairs, 190, s.width - 330, 10, target_label=lab["name"], rule=True)
    s.para(70, y + 30, t["outro"], s.width - 140, 9, "italic")
    return (s.page(),)


def _printout(ctx: DocContext) -> tuple[Page, ...]:
    t, lab = wording(ctx)
    ident = ctx.identity
    s = ctx.sheet("courier")
    left = 56.0
    s.text(left, 60, t["authority"].upper(), 10, "bold")
    s.text(left, 73, t["office"].upper(), 9)
    s.text(s.width - 56, 60, f"{lab['date']}: {ctx.date(ctx.issued_on)}", 9, align="right")
    s.text(s.width - 56, 73, ctx.reference("tax-ref", "99999-999-99999"), 9, align="right")
    s.line(left, 84, s.width - 56, 84, 0.8)
    y = s.para(left, 120, ident.legal_name, s.width - 112, 10, leading=12, target=True)
    for line in ctx.address():
        s.text(left, y, line, 10)
        y += 12
    y += 28
    s.text(left, y, t["title"].upper(), 10, "bold")
    y += 24
    s.text(left, y, f"{t['number']}:", 10)
    s.text(left + 300, y, ident.tax_id, 10, "bold")
    y = s.para(left, y + 30, t["intro"], s.width - 112, 9.5)
    s.para(left, y + 8, t["outro"], s.width - 112, 9.5)
    return (s.page(),)


LAYOUTS = (_notice, _certificate, _printout)
