"""Merchant category codes the marketplace's providers declare, with how each one transacts.

Codes and labels are real ISO 18245 MCCs; the ticket sizes and refund, dispute and
cross-border rates are plausible orders of magnitude for each trade, not measured figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RiskGroup(StrEnum):
    """How card networks and acquirers grade a trade's fraud and chargeback exposure."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class MerchantCategory:
    """One MCC and how a typical provider in it transacts."""

    mcc: str
    label: str
    risk: RiskGroup
    weight: float  # share of the platform's providers declaring it
    ticket_usd: float  # median charge in US dollars
    ticket_sigma: float  # log-normal spread of charge amounts
    refund_rate: float  # share of charges refunded
    dispute_rate: float  # share of charges disputed
    cross_border: float  # share of charges on foreign cards
    product: str  # what a product description says it sells
    entity: str = "any"  # "any", "company" (no sole traders), "public" (government or charity)


_L, _M, _H = RiskGroup.LOW, RiskGroup.MEDIUM, RiskGroup.HIGH

# fmt: off
CATEGORIES: tuple[MerchantCategory, ...] = (
    MerchantCategory("5734", "Computer Software Stores", _L, 0.05, 39, 0.9, 0.03, 0.002, 0.25,
                     "software licences and subscriptions"),
    MerchantCategory("7372", "Computer Programming Services", _L, 0.05, 450, 1.0, 0.02, 0.002,
                     0.30, "custom software development and integration projects"),
    MerchantCategory("8299", "Schools and Educational Services", _L, 0.05, 120, 0.8, 0.04,
                     0.003, 0.12, "online courses, tutoring and workshops"),
    MerchantCategory("7299", "Miscellaneous Personal Services", _L, 0.06, 60, 0.8, 0.03, 0.002,
                     0.04, "personal services booked by appointment"),
    MerchantCategory("5812", "Eating Places and Restaurants", _L, 0.06, 32, 0.6, 0.01, 0.001,
                     0.05, "meals, catering and takeaway orders"),
    MerchantCategory("5942", "Book Stores", _L, 0.02, 24, 0.6, 0.03, 0.002, 0.10,
                     "new and second-hand books"),
    MerchantCategory("5992", "Florists", _L, 0.02, 55, 0.5, 0.02, 0.003, 0.03,
                     "flower arrangements and same-day delivery"),
    MerchantCategory("7230", "Beauty and Barber Shops", _L, 0.04, 45, 0.6, 0.01, 0.001, 0.02,
                     "haircuts, styling and beauty treatments"),
    MerchantCategory("8011", "Doctors and Physicians", _L, 0.02, 140, 0.7, 0.01, 0.001, 0.02,
                     "medical consultations"),
    MerchantCategory("8931", "Accounting and Bookkeeping Services", _L, 0.03, 300, 0.8, 0.01,
                     0.001, 0.05, "bookkeeping, payroll and tax filing for small businesses"),
    MerchantCategory("7392", "Management and Consulting Services", _L, 0.04, 600, 1.0, 0.02,
                     0.002, 0.20, "business consulting engagements"),
    MerchantCategory("5691", "Men's and Women's Clothing Stores", _L, 0.05, 70, 0.7, 0.08,
                     0.004, 0.15, "clothing and accessories"),
    MerchantCategory("7333", "Commercial Photography and Graphic Design", _L, 0.03, 250, 0.9,
                     0.02, 0.002, 0.20, "photography, illustration and design work"),
    MerchantCategory("8398", "Charitable and Social Service Organizations", _L, 0.02, 40, 1.0,
                     0.01, 0.001, 0.10, "donations and fundraising", "public"),
    MerchantCategory("9399", "Government Services", _L, 0.01, 85, 0.8, 0.01, 0.0005, 0.02,
                     "permits, licences and municipal fees", "public"),
    MerchantCategory("5999", "Miscellaneous and Specialty Retail", _M, 0.07, 48, 0.9, 0.05,
                     0.005, 0.18, "handmade goods and specialty retail"),
    MerchantCategory("5732", "Electronics Stores", _M, 0.03, 180, 0.9, 0.06, 0.006, 0.15,
                     "consumer electronics and accessories"),
    MerchantCategory("5944", "Jewelry and Watch Stores", _M, 0.02, 220, 1.1, 0.05, 0.006, 0.20,
                     "jewellery, watches and repairs"),
    MerchantCategory("4121", "Taxicabs and Limousines", _M, 0.03, 28, 0.6, 0.02, 0.004, 0.10,
                     "rides and airport transfers"),
    MerchantCategory("4722", "Travel Agencies and Tour Operators", _M, 0.03, 420, 1.0, 0.07,
                     0.008, 0.45, "tours, excursions and travel packages"),
    MerchantCategory("7011", "Lodging: Hotels, Motels, Resorts", _M, 0.03, 260, 0.8, 0.06,
                     0.005, 0.50, "short-term stays and holiday rentals"),
    MerchantCategory("7922", "Theatrical Producers and Ticket Agencies", _M, 0.02, 65, 0.7,
                     0.05, 0.006, 0.15, "event tickets"),
    MerchantCategory("5815", "Digital Goods: Media", _M, 0.03, 9, 0.9, 0.03, 0.005, 0.40,
                     "e-books, music and video downloads"),
    MerchantCategory("5816", "Digital Goods: Games", _M, 0.02, 12, 1.0, 0.03, 0.008, 0.45,
                     "in-game items and game keys"),
    MerchantCategory("7997", "Membership Clubs (Sports, Recreation)", _M, 0.03, 55, 0.5, 0.02,
                     0.004, 0.04, "gym and club memberships"),
    MerchantCategory("4215", "Courier Services", _M, 0.02, 35, 0.8, 0.03, 0.004, 0.10,
                     "parcel and courier deliveries"),
    MerchantCategory("7538", "Automotive Service Shops", _M, 0.02, 240, 0.8, 0.02, 0.003, 0.02,
                     "car servicing and repairs"),
    MerchantCategory("5967", "Direct Marketing: Inbound Teleservices", _H, 0.008, 45, 0.9, 0.10,
                     0.015, 0.35, "subscription offers sold by phone and online"),
    MerchantCategory("5968", "Direct Marketing: Continuity/Subscription", _H, 0.01, 30, 0.6,
                     0.08, 0.012, 0.30, "monthly subscription boxes"),
    MerchantCategory("7995", "Betting and Casino Gambling", _H, 0.006, 50, 1.2, 0.04, 0.015,
                     0.45, "online gaming credits", "company"),
    MerchantCategory("5993", "Cigar Stores and Stands", _H, 0.008, 40, 0.7, 0.04, 0.010, 0.20,
                     "vaping products and tobacco accessories"),
    MerchantCategory("5912", "Drug Stores and Pharmacies", _H, 0.008, 75, 0.8, 0.05, 0.012, 0.35,
                     "health and wellness products", "company"),
    MerchantCategory("5122", "Drugs, Drug Proprietaries and Sundries", _H, 0.006, 65, 0.8, 0.07,
                     0.014, 0.40, "nutritional supplements"),
    MerchantCategory("6051", "Non-FI, Money Orders and Crypto", _H, 0.005, 300, 1.3, 0.02, 0.015,
                     0.50, "digital asset purchases", "company"),
    MerchantCategory("4816", "Computer Network and Information Services", _H, 0.008, 25, 1.0,
                     0.05, 0.010, 0.45, "VPN, hosting and online services"),
    MerchantCategory("7273", "Dating and Escort Services", _H, 0.004, 35, 0.6, 0.06, 0.014, 0.40,
                     "online dating memberships"),
)
# fmt: on

CATEGORY_BY_MCC: dict[str, MerchantCategory] = {c.mcc: c for c in CATEGORIES}
