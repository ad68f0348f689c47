"""Draw a provider's declared identity: names, registry numbers, address, contacts."""

from __future__ import annotations

import re

import numpy as np

from training.synth.choice import pick, randint, uniform
from training.synth.config import DAY
from training.synth.countries import COUNTRY_BY_CODE
from training.synth.mcc import MerchantCategory
from training.synth.names import BUSINESS_WORDS, LOCALES, fill_pattern
from training.synth.plan import Address
from training.synth.provider import Business, Person

YEAR = 365 * DAY

# What a business in each category calls itself ("Harbor Studio Ltd").
NOUNS: dict[str, tuple[str, ...]] = {
    "5734": ("Software", "Apps"),
    "7372": ("Labs", "Systems", "Dev"),
    "8299": ("Academy", "Learning"),
    "7299": ("Services", "Care"),
    "5812": ("Kitchen", "Bistro"),
    "5942": ("Books",),
    "5992": ("Flowers", "Blooms"),
    "7230": ("Salon", "Barbers"),
    "8011": ("Clinic", "Health"),
    "8931": ("Accounting", "Bookkeeping"),
    "7392": ("Consulting", "Advisory"),
    "5691": ("Apparel", "Clothing"),
    "7333": ("Studio", "Design"),
    "8398": ("Foundation", "Trust"),
    "9399": ("Council", "Office"),
    "5999": ("Goods", "Crafts", "Market"),
    "5732": ("Electronics", "Tech"),
    "5944": ("Jewelers",),
    "4121": ("Cabs", "Rides"),
    "4722": ("Travel", "Tours"),
    "7011": ("Stays", "Lodge"),
    "7922": ("Tickets", "Events"),
    "5815": ("Media", "Press"),
    "5816": ("Games", "Play"),
    "7997": ("Fitness", "Club"),
    "4215": ("Couriers", "Express"),
    "7538": ("Auto", "Motors"),
    "5967": ("Direct", "Offers"),
    "5968": ("Box", "Monthly"),
    "7995": ("Gaming", "Bets"),
    "5993": ("Vapes", "Smoke"),
    "5912": ("Pharmacy", "Wellness"),
    "5122": ("Nutrition", "Supplements"),
    "6051": ("Exchange", "Digital Assets"),
    "4816": ("Networks", "Cloud"),
    "7273": ("Connect", "Match"),
}
_FREE_MAIL_SHARE = {"individual": 0.75, "company": 0.25}


def slug(name: str) -> str:
    """A lower-case, ascii-only handle for domains and filenames."""
    return re.sub(r"[^a-z0-9]+", "", name.lower().encode("ascii", "ignore").decode()) or "shop"


def draw_address(rng: np.random.Generator, country: str) -> Address:
    """A plausible street address in `country`."""
    locale = LOCALES[country]
    city, postal, state = pick(rng, locale.cities)
    street = pick(rng, locale.streets)
    line1 = locale.street_format.format(n=randint(rng, 1, 240), street=street)
    return Address(line1, city, fill_pattern(postal, rng), country, state)


def draw_person(rng: np.random.Generator, country: str, created: int) -> Person:
    """The human who signs up: name, date of birth (18 to 70 at sign-up), contacts."""
    locale = LOCALES[country]
    first, last = pick(rng, locale.first_names), pick(rng, locale.last_names)
    year = 1970 + int((created / YEAR) - uniform(rng, 18, 70))
    dob = (year, randint(rng, 1, 13), randint(rng, 1, 29))
    handle = f"{slug(first)}.{slug(last)}{randint(rng, 1, 99) if rng.random() < 0.4 else ''}"
    email = f"{handle}@{pick(rng, locale.email_domains)}"
    return Person(first, last, dob, email, draw_phone(rng, country))


def draw_phone(rng: np.random.Generator, country: str) -> str:
    """An E.164 phone number for `country`."""
    return fill_pattern(COUNTRY_BY_CODE[country].phone, rng)


def draw_business(
    rng: np.random.Generator,
    *,
    country: str,
    business_type: str,
    category: MerchantCategory,
    created: int,
    new_business: bool,
    thin_profile: bool,
) -> Business:
    """The identity a provider declares at sign-up; `thin_profile` leaves web details out."""
    locale = LOCALES[country]
    person = draw_person(rng, country, created)
    nouns = NOUNS.get(category.mcc, ("Company",))
    brand = f"{pick(rng, BUSINESS_WORDS)} {pick(rng, nouns)}"
    if business_type == "individual":
        legal_name = person.full_name
        trading_name = brand if rng.random() < 0.7 else person.full_name
        registration, tax_id = "", fill_pattern(locale.individual_tax_pattern, rng)
    elif business_type == "government_entity":
        legal_name = trading_name = f"{draw_address(rng, country).city} {pick(rng, nouns)}"
        registration = fill_pattern(locale.registration_pattern, rng)
        tax_id = fill_pattern(locale.tax_id_pattern, rng)
    else:
        suffix = pick(rng, locale.company_suffixes)
        legal_name = f"{brand} {suffix}"
        trading_name = brand
        registration = fill_pattern(locale.registration_pattern, rng)
        tax_id = fill_pattern(locale.tax_id_pattern, rng)
    age = uniform(rng, 5, 90) * DAY if new_business else rng.lognormal(np.log(4.0), 0.8) * YEAR
    incorporated_on = int(created - min(age, 40 * YEAR))
    domain = f"{slug(brand)}.{locale.web_tld}"
    free_mail = rng.random() < _FREE_MAIL_SHARE.get(business_type, 0.1)
    email = person.email if free_mail else f"{pick(rng, ['hello', 'info', 'contact'])}@{domain}"
    url: str | None = f"https://www.{domain}"
    if business_type == "individual" and rng.random() < 0.3:
        url = f"https://www.instagram.com/{slug(brand)}"
    description: str | None = f"{trading_name}: {category.product}."
    if thin_profile:
        url = None
        description = None if rng.random() < 0.6 else category.product
    return Business(
        legal_name=legal_name,
        trading_name=trading_name,
        registration_number=registration,
        tax_id=tax_id,
        address=draw_address(rng, country),
        incorporated_on=incorporated_on,
        representative=person,
        email=email,
        phone=person.phone if rng.random() < 0.6 else draw_phone(rng, country),
        url=url,
        product_description=description,
    )
