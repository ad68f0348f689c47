"""What issuers call each field, in the languages onboarding documents come in.

Each table is a list of regex alternatives matched case-insensitively against one cell of a
line; the first table entries are the most specific. Matching a label is only a start: the
value must still parse as a name, number, date or amount.
"""

from __future__ import annotations

import re


def _labels(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.I)


NAME = _labels(
    r"(?:full\s+)?(?:legal|registered|company|business|entity|corporate|trading|organi[sz]ation"
    r"|firm|taxpayer(?:'s)?|corporation)\s+name",
    r"name\s+of\s+(?:the\s+)?(?:company|business|entity|corporation|organi[sz]ation|taxpayer)",
    r"firmenname|firmenbezeichnung|firma|unternehmen(?:sname)?",
    r"d[ée]nomination(?:\s+sociale)?|raison\s+sociale|nom\s+de\s+l'(?:entreprise|soci[ée]t[ée])",
    r"ragione\s+sociale|denominazione|raz[óo]n\s+social|denominaci[óo]n(?:\s+social)?",
    r"(?:statutaire\s+)?naam|handelsnaam|nome\s+(?:da\s+)?empresa",
)
HOLDER = _labels(
    r"account\s+(?:holder|owner)(?:'s)?(?:\s+name)?|account\s+name|name\s+of\s+account\s+holder",
    r"(?:konto)?inhaber(?:in)?|titulaire(?:\s+du\s+compte)?|intestatario|titular(?:\s+de\s+la"
    r"\s+cuenta)?|rekeninghouder",
    r"(?:customer|client|account)\s+name|bill(?:ed)?\s+to|prepared\s+for|issued\s+to|holder"
    r"|service\s+for|customer|addressed\s+to",
    r"tenant|lessee|preneur|locataire|mieter(?:in)?|huurder|arrendatario|conduttore|inquilino",
)
SURNAME = _labels(
    r"surname|last\s+name|family\s+name|nom(?:\s+de\s+famille)?|name|apellidos?|cognome"
)
GIVEN_NAMES = _labels(
    r"given\s+names?|first\s+names?|forenames?|pr[ée]noms?|vornamen?|nombres?|nome|voornamen?"
)
REGISTRATION = _labels(
    r"(?:company|registration|registered|corporate|business|entity|file|charter|incorporation"
    r"|corporation|commercial\s+register|trade\s+register|chamber\s+of\s+commerce)\s+(?:number"
    r"|no\.?|nr\.?|n[°º]\.?|#|id)",
    r"reg(?:istration)?\.?\s*(?:no|nr|number|#)\.?|crn",
    r"handelsregister(?:nummer|-?nr\.?|auszug\s+nummer)?|registernummer|register-?nr\.?",
    r"registre\s+du\s+commerce|rcs|siren|siret|n[°º]\s*d'immatriculation"
    r"|num[ée]ro\s+d'immatriculation|immatricul[ée]e?\s+sous\s+le\s+(?:num[ée]ro|n[°º])",
    r"num[ée]ro\s+d'identification(?!\s+(?:fiscal|tva|de\s+tva))|n[°º]\s*d'identification"
    r"(?!\s+(?:fiscal|tva))|inschrijvingsnummer",
    r"kvk(?:-?nummer)?|acn|n[úu]mero\s+de\s+registro|codice\s+rea|rea|n[úu]mero\s+mercantil",
)
TAX_ID = _labels(
    r"employer\s+identification\s+number|(?-i:EIN)",
    r"tax(?:payer)?\s+(?:identification|id|reference|registration)(?:\s+(?:number|no\.?|nr\.?))?"
    r"|(?-i:TIN)|unique\s+taxpayer\s+reference|utr",
    r"vat\s*(?:registration\s+)?(?:number|no\.?|id|reg(?:\.|istration)?\s*no\.?)|vat",
    r"btw-?identificatienummer|omzetbelastingnummer|fiscaal\s+nummer|rsin",
    r"ust-?id(?:-?nr)?\.?|umsatzsteuer-?identifikationsnummer|steuer-?(?:nummer|nr\.?|id)",
    r"num[ée]ro\s+(?:de\s+)?tva(?:\s+intracommunautaire)?|n[°º]\s*(?:de\s+)?tva(?:\s+intra"
    r"com(?:munautaire)?)?|tva\s+intracom(?:munautaire)?|tva",
    r"nif|cif|partita\s+iva|p\.?\s?iva|codice\s+fiscale|btw(?:-?nummer|-?id)?|gst(?:\s+(?:number"
    r"|no\.?))?|abn|business\s+number",
)
ISSUE_DATE = _labels(
    r"date\s+of\s+issue|issue\s+date|issued(?:\s+on|\s+date)?|date\s+issued|statement\s+date"
    r"|bill(?:ing)?\s+date|invoice\s+date|letter\s+date|dated|date\s+of\s+(?:this\s+)?"
    r"(?:notice|letter|statement|certificate)",
    r"ausgestellt(?:\s+am)?|ausstellungsdatum|erstellt\s+am|abrufdatum|rechnungsdatum",
    r"factuurdatum|notadatum|datum\s+factuur|date\s+de\s+facturation|fecha\s+de\s+factura",
    r"abruf\s+vom|stand\s+vom|datum\s+(?:uittreksel|afgifte)|date\s+de\s+d[ée]livrance",
    r"date\s+d'[ée]mission|[ée]mis\s+le|d[ée]livr[ée]e?\s+le|fait\s+(?:à\s+\S+\s+)?le"
    r"|date\s+de\s+(?:la\s+)?facture",
    r"fecha\s+de\s+(?:emisi[óo]n|expedici[óo]n)|data\s+di\s+(?:emissione|rilascio)"
    r"|datum\s+van\s+(?:afgifte|uitgifte)",
)
# A cell holding nothing but "Date" labels the document's own date in most layouts.
BARE_DATE = re.compile(r"^\s*(?:date|datum|fecha|data|dated)\s*:?\s*$", re.I)
INCORPORATION_DATE = _labels(
    r"date\s+of\s+(?:incorporation|registration|formation|organi[sz]ation)|incorporated\s+on"
    r"|(?:incorporation|registration|formation)\s+date|registered\s+on|formed\s+on",
    r"(?:tag|datum)\s+der\s+(?:ersten\s+)?(?:eintragung|gr[üu]ndung)|eingetragen\s+am"
    r"|eintragungsdatum|gr[üu]ndungsdatum",
    r"date\s+d'immatriculation|immatricul[ée]e?\s+le|date\s+de\s+(?:cr[ée]ation|constitution)",
    r"fecha\s+de\s+constituci[óo]n|data\s+di\s+(?:costituzione|iscrizione)"
    r"|datum\s+(?:van\s+)?(?:oprichting|inschrijving)|oprichtingsdatum",
)
NOT_ISSUE_DATE = re.compile(
    r"birth|born|naissance|n[ée]e?\s+le|geburt|geboren|nacimiento|nascita|geboorte"
    r"|expir|valid\s+(?:until|thru|through|to)|g[üu]ltig|date\s+d'expiration|vencimiento"
    r"|scadenza|\bdue\b|pay(?:able)?\s+by|f[äa]llig|[ée]ch[ée]ance|zahlbar|next\s+(?:bill|reading)"
    r"|betalen\s+voor|uiterlijk|vervaldatum|payer\s+avant|pagar\s+antes|pay\s+before"
    r"|r[ée]gler\s+avant|avant\s+le|[àa]\s+payer\s+avant|bis\s+zum",
    re.I,
)
ADDRESS = _labels(
    r"registered\s+(?:office\s+)?address|registered\s+office|(?:business|company|postal"
    r"|mailing|service|supply|billing|property|residential|home|correspondence|principal)"
    r"\s+address|principal\s+(?:place\s+of\s+business|office)|address",
    r"premises|locaux|mietobjekt|gehuurde(?:\s+ruimte)?|inmueble|immobile|[ée]tablissement",
    r"leveringsadres|afleveradres|lieferadresse|lieferanschrift|verbrauchsstelle"
    r"|adresse\s+de\s+(?:fourniture|livraison|consommation)|point\s+de\s+livraison",
    r"gesch[äa]ftsanschrift|anschrift|adresse|sitz(?:\s+der\s+gesellschaft)?|si[èe]ge(?:\s+social)?"
    r"|domicile|direcci[óo]n|domicilio(?:\s+social)?|indirizzo|sede(?:\s+legale)?|adres",
)
OPENING_BALANCE = _labels(
    r"opening\s+balance|balance\s+(?:brought|b/?)\s*forward|brought\s+forward|previous\s+balance"
    r"|(?:beginning|starting|start|initial)\s+balance|balance\s+at\s+(?:the\s+)?start",
    r"anfangssaldo|alter\s+(?:konto)?stand|saldo\s+(?:alt|vortrag|anfang|iniziale|inicial"
    r"|anterior|precedente)|solde\s+(?:initial|pr[ée]c[ée]dent|de\s+d[ée]but|ancien)"
    r"|ancien\s+solde|beginsaldo|oud\s+saldo",
)
CLOSING_BALANCE = _labels(
    r"closing\s+balance|balance\s+carried\s+forward|carried\s+forward|(?:new|ending|end|final)"
    r"\s+balance|balance\s+at\s+(?:the\s+)?end",
    r"endsaldo|neuer\s+(?:konto)?stand|saldo\s+(?:neu|ende|finale|final|actual)"
    r"|solde\s+(?:final|de\s+fin|nouveau)|nouveau\s+solde|eindsaldo|nieuw\s+saldo",
)
TOTAL_CREDITS = _labels(
    r"total\s+(?:credits|deposits|paid\s+in|money\s+in|incoming|receipts|lodgements|inflows?)"
    r"|(?:deposits|credits)\s+and\s+(?:other\s+)?(?:credits|additions)|money\s+in|paid\s+in",
    r"summe\s+(?:der\s+)?(?:gutschriften|haben|eing[äa]nge)|gutschriften(?:\s+gesamt)?",
    r"total\s+des\s+cr[ée]dits|total\s+cr[ée]dits?|totale\s+(?:avere|accrediti)"
    r"|total\s+(?:abonos|ingresos)|totaal\s+bij",
)
TOTAL_DEBITS = _labels(
    r"total\s+(?:debits|withdrawals|paid\s+out|money\s+out|outgoing|payments|outflows?)"
    r"|(?:withdrawals|debits)\s+and\s+(?:other\s+)?(?:debits|subtractions)|money\s+out"
    r"|paid\s+out",
    r"summe\s+(?:der\s+)?(?:lastschriften|soll|ausg[äa]nge)|lastschriften(?:\s+gesamt)?",
    r"total\s+des\s+d[ée]bits|total\s+d[ée]bits?|totale\s+(?:dare|addebiti)"
    r"|total\s+(?:cargos|gastos)|totaal\s+af",
)
ANY_LABEL = (
    NAME,
    HOLDER,
    REGISTRATION,
    TAX_ID,
    ISSUE_DATE,
    INCORPORATION_DATE,
    ADDRESS,
    OPENING_BALANCE,
    CLOSING_BALANCE,
    TOTAL_CREDITS,
    TOTAL_DEBITS,
)
