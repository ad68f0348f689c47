"""Real-world wordings and layouts the synthetic generator never produces still parse."""

from __future__ import annotations

from datetime import UTC, datetime

from pdf_builders import draw_pdf, row

from features.documents.evidence import DocumentEvidence, ParseLimits
from features.documents.matching import name_similarity, numbers_match
from features.documents.parse import parse_in_process

LIMITS = ParseLimits()


def day(year: int, month: int, date: int) -> int:
    return int(datetime(year, month, date, tzinfo=UTC).timestamp())


def parse(rows: list, **kwargs: str) -> DocumentEvidence:
    evidence = parse_in_process(draw_pdf(rows, **kwargs), LIMITS)
    assert evidence.error is None
    return evidence


def named(evidence: DocumentEvidence, expected: str) -> bool:
    printed = evidence.holder or evidence.legal_name
    return printed is not None and (name_similarity(printed, [expected]) or 0) >= 0.9


def test_a_delaware_certificate_of_incorporation() -> None:
    evidence = parse(
        [
            row("State of Delaware", size=14),
            row("Secretary of State - Division of Corporations"),
            row("CERTIFICATE OF INCORPORATION", font="Times-Bold", size=18),
            row('I, JANE ROE, SECRETARY OF STATE, DO HEREBY CERTIFY THAT "NORTHWIND'),
            row('ANALYTICS, INC." IS DULY INCORPORATED UNDER THE LAWS OF THE STATE OF DELAWARE'),
            row("AND IS IN GOOD STANDING AS OF THE 14TH DAY OF MARCH, A.D. 2025."),
            row("File Number: 7654321"),
        ],
        producer="iText 5.5.13",
        creator="",
    )
    assert evidence.kind == "registration_certificate"
    assert named(evidence, "Northwind Analytics Inc")
    assert evidence.registration_number == "7654321"
    assert evidence.issued_on == day(2025, 3, 14)
    assert evidence.producer_class == "generator"


def test_a_german_handelsregisterauszug() -> None:
    evidence = parse(
        [
            row("Handelsregister B des Amtsgerichts München", size=13),
            row("Aktueller Ausdruck - Handelsregisterauszug"),
            row("Nummer der Firma: HRB 123456"),
            row("2. a) Firma: Alpenblick Software GmbH"),
            row("b) Geschäftsanschrift: Leopoldstraße 12, 80802 München"),
            row("Tag der ersten Eintragung: 02.05.2016"),
            row("Abruf vom 14.03.2025 10:31"),
        ]
    )
    assert evidence.kind == "registration_certificate"
    assert named(evidence, "Alpenblick Software GmbH")
    assert evidence.registration_number is not None
    assert numbers_match(evidence.registration_number, "HRB 123456")
    assert evidence.incorporated_on == day(2016, 5, 2)
    assert evidence.issued_on == day(2025, 3, 14)
    assert evidence.address is not None and "80802" in evidence.address


def test_a_french_extrait_kbis() -> None:
    evidence = parse(
        [
            row("Greffe du Tribunal de Commerce de Lyon", size=12),
            row("EXTRAIT KBIS", font="Helvetica-Bold", size=16),
            row("Extrait d'immatriculation principale au registre du commerce et des sociétés"),
            row("à jour au 14 mars 2025"),
            row("Immatriculation au RCS, numéro: 812 345 678 R.C.S. Lyon"),
            row("Date d'immatriculation: 02/05/2015"),
            row("Dénomination ou raison sociale: Soleil Levant SAS"),
            row("Adresse du siège: 12 Rue Mercière 69002 Lyon"),
        ]
    )
    assert evidence.kind == "registration_certificate"
    assert named(evidence, "Soleil Levant SAS")
    assert evidence.registration_number is not None
    assert numbers_match(evidence.registration_number, "812345678")
    assert evidence.incorporated_on == day(2015, 5, 2)
    assert evidence.issued_on == day(2025, 3, 14)


def test_an_irs_ein_assignment_letter() -> None:
    evidence = parse(
        [
            row("Department of the Treasury", (380, "Date of this notice: 03-14-2025")),
            row("Internal Revenue Service", (380, "Employer Identification Number:")),
            row("Cincinnati OH 45999-0023", (380, "12-3456789")),
            row("NORTHWIND ANALYTICS INC"),
            row("500 MARKET ST STE 200"),
            row("SAN FRANCISCO CA 94105"),
            row("WE ASSIGNED YOU AN EMPLOYER IDENTIFICATION NUMBER", size=12),
            row("Thank you for applying for an Employer Identification Number (EIN)."),
        ],
        producer="Crystal Reports",
    )
    assert evidence.kind == "tax_id_letter"
    assert evidence.tax_id == "12-3456789"
    assert named(evidence, "Northwind Analytics Inc")
    assert evidence.issued_on == day(2025, 3, 14)
    assert evidence.country == "US"
    assert evidence.address is not None and "94105" in evidence.address


def test_a_german_kontoauszug() -> None:
    evidence = parse(
        [
            row("Stadtsparkasse Musterstadt", size=14),
            row("Kontoauszug 3/2025", size=12),
            row("Kontoinhaber: Alpenblick Software GmbH"),
            row("IBAN: DE89 3704 0044 0532 0130 00"),
            row("Alter Kontostand vom 28.02.2025", (400, "12.345,67 EUR")),
            row("Summe Gutschriften", (400, "5.000,00 EUR")),
            row("Summe Lastschriften", (400, "2.345,67 EUR")),
            row("Neuer Kontostand vom 31.03.2025", (400, "15.000,00 EUR")),
        ]
    )
    assert evidence.kind == "bank_statement"
    assert named(evidence, "Alpenblick Software GmbH")
    assert evidence.currency == "eur"
    assert evidence.opening_balance == 12345.67
    assert evidence.total_credits == 5000.0
    assert evidence.total_debits == 2345.67
    assert evidence.closing_balance == 15000.0
    assert evidence.issued_on == day(2025, 3, 31)
    assert evidence.country == "DE"


def test_a_us_checking_statement_with_a_summary_table() -> None:
    evidence = parse(
        [
            row("Business Complete Checking", size=15),
            row("March 1, 2025 through March 31, 2025"),
            row("NORTHWIND ANALYTICS INC"),
            row("500 MARKET ST STE 200"),
            row("SAN FRANCISCO CA 94105"),
            row("Beginning Balance", (200, "Deposits and Additions"), (400, "Ending Balance")),
            row("$12,345.67", (200, "$5,000.00"), (400, "$15,000.00")),
        ]
    )
    assert evidence.kind == "bank_statement"
    assert named(evidence, "Northwind Analytics Inc")
    assert evidence.currency == "usd"
    assert evidence.opening_balance == 12345.67
    assert evidence.total_credits == 5000.0
    assert evidence.closing_balance == 15000.0
    assert evidence.issued_on == day(2025, 3, 31)


def test_a_uk_council_tax_bill() -> None:
    evidence = parse(
        [
            row("Riverside Borough Council", size=14),
            row("Council Tax Bill 2025/26", size=13),
            row("Account reference: 40012345"),
            row("Mr J Smith"),
            row("Flat 3, 21 Elm Grove"),
            row("Leeds"),
            row("LS6 2AB"),
            row("Band C", (300, "Amount payable £1,845.20")),
            row("Date of issue: 10 March 2025"),
        ]
    )
    assert evidence.kind == "proof_of_address"
    assert evidence.legal_name == "Mr J Smith"
    assert evidence.address is not None and "LS6 2AB" in evidence.address
    assert "Elm Grove" in evidence.address
    assert evidence.issued_on == day(2025, 3, 10)
    assert evidence.country == "GB"


def test_a_us_utility_bill_with_a_due_date_after_the_issue_date() -> None:
    evidence = parse(
        [
            row("Pacific Gas & Electric", size=14),
            row("Statement Date: 03/14/2025"),
            row("Service For: NORTHWIND ANALYTICS INC"),
            row("500 MARKET ST STE 200"),
            row("SAN FRANCISCO, CA 94105"),
            row("Electric usage this period: 1,200 kWh"),
            row("Amount Due $1,234.56", (300, "Due Date: 04/04/2025")),
        ]
    )
    assert evidence.kind == "proof_of_address"
    assert named(evidence, "Northwind Analytics Inc")
    assert evidence.issued_on == day(2025, 3, 14)
    assert evidence.address is not None and "94105" in evidence.address


def test_a_passport_with_a_text_layer_reads_the_machine_readable_zone() -> None:
    evidence = parse(
        [
            row("PASSPORT", size=16),
            row("Surname", (250, "Given names")),
            row("SMITH", (250, "JOHN PETER")),
            row("Date of birth: 01 JAN 1980", (300, "Date of expiry: 01 JAN 2030")),
            row("Date of issue: 05 FEB 2020"),
            row("P<GBRSMITH<<JOHN<PETER<<<<<<<<<<<<<<<<<<<<<<", font="Courier"),
            row("1234567890GBR8001014M3001012<<<<<<<<<<<<<<04", font="Courier"),
        ]
    )
    assert evidence.kind == "identity_scan"
    assert evidence.legal_name == "John Peter Smith"
    assert evidence.issued_on == day(2020, 2, 5)


def test_an_unrelated_letter_is_of_unknown_kind(plain_pdf: bytes) -> None:
    evidence = parse_in_process(plain_pdf, LIMITS)
    assert evidence.kind == "unknown"
    assert evidence.registration_number is None and evidence.tax_id is None


def test_an_extract_from_a_register_of_companies() -> None:
    # The wording of the Irish, Maltese and Cypriot registries, and of the Baltic "Register of
    # Enterprises": no "certificate" anywhere on the page.
    evidence = parse(
        [
            row("Extract from the Register of Companies", size=16),
            row("Registered name: Harbourline Logistics Limited"),
            row("Company number: C 81234"),
            row("Registered office: 12 Quay Street, Valletta"),
            row("Date of extract: 03/02/2025"),
        ],
    )
    assert evidence.kind == "registration_certificate"
