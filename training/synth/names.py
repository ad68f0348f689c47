"""Constant tables of names, places and registry number formats per country.

Patterns use `#` for a digit and `A` for an upper-case letter; `fill_pattern` expands them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Locale:
    """What a business and its people are called, and where they sit, in one country."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[tuple[str, str, str | None], ...]  # (city, postal-code pattern, state)
    streets: tuple[str, ...]
    street_format: str  # "{n} {street}" or "{street} {n}"
    company_suffixes: tuple[str, ...]
    registration_pattern: str
    tax_id_pattern: str
    individual_tax_pattern: str
    email_domains: tuple[str, ...]
    web_tld: str


# fmt: off
_EN_FIRST = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
             "David", "Sarah", "Daniel", "Emily", "Chris", "Jessica", "Mark", "Laura", "Kevin",
             "Aisha", "Carlos", "Priya", "Wei", "Fatima", "Omar", "Grace", "Liam", "Olivia")
_EN_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
            "Wilson", "Taylor", "Clarke", "Walker", "Patel", "Nguyen", "Kim", "Hughes", "Evans",
            "Murphy", "Kelly", "Martin", "Thompson", "Lee", "Khan", "Lopez", "Baker", "Wright")
_EN_STREETS = ("Main Street", "Oak Avenue", "Park Road", "High Street", "Church Lane",
               "Maple Drive", "Elm Street", "Station Road", "King Street", "Victoria Road",
               "Mill Lane", "Cedar Court", "Harbour View", "Market Square")
_EN_MAIL = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com")
_EU_FIRST = ("Lukas", "Anna", "Julien", "Camille", "Sofia", "Luca", "Marta", "Pablo", "Eva",
             "Daan", "Emma", "Noah", "Giulia", "Mateo", "Lea", "Hugo", "Sanne", "Jonas")
_EU_LAST = ("Müller", "Schmidt", "Bernard", "Dubois", "Rossi", "Bianchi", "García", "Martínez",
            "de Vries", "Jansen", "Fischer", "Moreau", "Romano", "López", "Weber", "Bakker")

LOCALES: dict[str, Locale] = {
    "US": Locale(_EN_FIRST, _EN_LAST,
                 (("Austin", "787##", "TX"), ("Seattle", "981##", "WA"),
                  ("Chicago", "606##", "IL"), ("Miami", "331##", "FL"),
                  ("Denver", "802##", "CO"), ("Brooklyn", "112##", "NY"),
                  ("San Diego", "921##", "CA"), ("Atlanta", "303##", "GA"),
                  ("Boston", "021##", "MA")),
                 _EN_STREETS, "{n} {street}", ("Inc.", "LLC", "Corp.", "Co."),
                 "C#######", "##-#######", "###-##-####", _EN_MAIL, "com"),
    "GB": Locale(_EN_FIRST, _EN_LAST,
                 (("London", "E# #AA", None), ("Manchester", "M## #AA", None),
                  ("Bristol", "BS# #AA", None), ("Leeds", "LS# #AA", None),
                  ("Glasgow", "G## #AA", None), ("Brighton", "BN# #AA", None)),
                 _EN_STREETS, "{n} {street}", ("Ltd", "Limited", "LLP"),
                 "########", "##########", "AA######A", _EN_MAIL, "co.uk"),
    "CA": Locale(_EN_FIRST, _EN_LAST,
                 (("Toronto", "M#A #A#", "ON"), ("Vancouver", "V#A #A#", "BC"),
                  ("Montréal", "H#A #A#", "QC"), ("Calgary", "T#A #A#", "AB"),
                  ("Ottawa", "K#A #A#", "ON")),
                 _EN_STREETS, "{n} {street}", ("Inc.", "Ltd.", "Corp."),
                 "#######", "#########RC0001", "###-###-###", _EN_MAIL, "ca"),
    "AU": Locale(_EN_FIRST, _EN_LAST,
                 (("Sydney", "2###", "NSW"), ("Melbourne", "3###", "VIC"),
                  ("Brisbane", "4###", "QLD"), ("Perth", "6###", "WA"),
                  ("Adelaide", "5###", "SA")),
                 _EN_STREETS, "{n} {street}", ("Pty Ltd", "Pty. Limited"),
                 "### ### ###", "## ### ### ###", "### ### ###", _EN_MAIL, "com.au"),
    "IE": Locale(_EN_FIRST, _EN_LAST,
                 (("Dublin", "D## A#A#", None), ("Cork", "T## A#A#", None),
                  ("Galway", "H## A#A#", None)),
                 _EN_STREETS, "{n} {street}", ("Limited", "Ltd", "DAC"),
                 "######", "#######A", "#######A", _EN_MAIL, "ie"),
    "DE": Locale(_EU_FIRST, _EU_LAST,
                 (("Berlin", "10###", None), ("München", "80###", None),
                  ("Hamburg", "20###", None), ("Köln", "50###", None),
                  ("Leipzig", "04###", None)),
                 ("Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schulstraße"),
                 "{street} {n}", ("GmbH", "UG (haftungsbeschränkt)", "GmbH & Co. KG"),
                 "HRB ######", "##/###/#####", "## ### ### ###",
                 ("gmx.de", "web.de", "gmail.com"), "de"),
    "FR": Locale(_EU_FIRST, _EU_LAST,
                 (("Paris", "750##", None), ("Lyon", "6900#", None),
                  ("Marseille", "130##", None), ("Bordeaux", "330##", None),
                  ("Lille", "590##", None)),
                 ("rue de la République", "avenue Victor Hugo", "rue du Moulin",
                  "boulevard Voltaire", "rue des Lilas"),
                 "{n} {street}", ("SAS", "SARL", "SASU", "EURL"),
                 "### ### ###", "FR## #########", "# ## ## ## ### ###",
                 ("orange.fr", "free.fr", "gmail.com"), "fr"),
    "NL": Locale(_EU_FIRST, _EU_LAST,
                 (("Amsterdam", "10## AA", None), ("Rotterdam", "30## AA", None),
                  ("Utrecht", "35## AA", None), ("Eindhoven", "56## AA", None)),
                 ("Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Prinsengracht"),
                 "{street} {n}", ("B.V.", "V.O.F."), "########", "NL#########B01",
                 "#########", ("ziggo.nl", "gmail.com", "outlook.com"), "nl"),
    "ES": Locale(_EU_FIRST, _EU_LAST,
                 (("Madrid", "280##", None), ("Barcelona", "080##", None),
                  ("Valencia", "460##", None), ("Sevilla", "410##", None)),
                 ("Calle Mayor", "Avenida de la Constitución", "Calle del Sol", "Gran Vía"),
                 "{street} {n}", ("S.L.", "S.A.", "S.L.U."), "B########", "ESB########",
                 "########A", ("gmail.com", "hotmail.es", "telefonica.net"), "es"),
    "IT": Locale(_EU_FIRST, _EU_LAST,
                 (("Milano", "201##", None), ("Roma", "001##", None),
                  ("Torino", "101##", None), ("Bologna", "401##", None),
                  ("Napoli", "801##", None)),
                 ("Via Roma", "Via Garibaldi", "Corso Italia", "Via Dante", "Piazza Venezia"),
                 "{street} {n}", ("S.r.l.", "S.p.A.", "S.r.l.s."), "AA-#######",
                 "IT###########", "AAAAAA##A##A###A", ("libero.it", "gmail.com", "tim.it"), "it"),
    "SG": Locale(("Wei Ming", "Hui Min", "Jun Jie", "Siti", "Arjun", "Mei Ling", "Darren",
                  "Nurul", "Ravi", "Jia Hui"),
                 ("Tan", "Lim", "Lee", "Ng", "Wong", "Chua", "Goh", "Rahman", "Kumar", "Teo"),
                 (("Singapore", "######", None),),
                 ("Orchard Road", "Tampines Avenue", "Jurong West Street", "Serangoon Road"),
                 "{n} {street}", ("Pte. Ltd.", "Pte Ltd", "LLP"), "#########A", "#########A",
                 "A#######A", ("gmail.com", "singnet.com.sg", "yahoo.com.sg"), "sg"),
    "JP": Locale(("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Kaito",
                  "Mio"),
                 ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto",
                  "Nakamura", "Kobayashi", "Kato"),
                 (("Tokyo", "1##-####", None), ("Osaka", "5##-####", None),
                  ("Yokohama", "2##-####", None), ("Fukuoka", "8##-####", None)),
                 ("Chuo 1-chome", "Shibuya 2-chome", "Umeda 3-chome", "Minato 4-chome"),
                 "{street} {n}", ("K.K.", "Co., Ltd.", "G.K."), "#############",
                 "T#############", "############", ("gmail.com", "yahoo.co.jp", "docomo.ne.jp"),
                 "jp"),
}

BUSINESS_WORDS: tuple[str, ...] = (
    "Blue", "North", "Bright", "Summit", "Harbor", "Golden", "Urban", "Maple", "Silver", "Green",
    "Cedar", "Coastal", "Evergreen", "Pioneer", "Atlas", "Nova", "Orchard", "Lumen", "Vertex",
    "Willow", "Aurora", "Granite", "Juniper", "Meridian", "Copper", "Horizon", "Kestrel", "Iris",
)
# fmt: on

_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def fill_pattern(pattern: str, rng: np.random.Generator) -> str:
    """Expand `#` to random digits and `A` to random letters, keeping every other character."""
    # 230 = 10 * 23, so one draw gives a uniform digit and a uniform letter.
    draws = (rng.random(len(pattern)) * 230).astype(np.int64).tolist()
    out = []
    for ch, d in zip(pattern, draws, strict=True):
        if ch == "#":
            out.append(_DIGITS[d % 10])
        elif ch == "A":
            out.append(_LETTERS[d % 23])
        else:
            out.append(ch)
    return "".join(out)
