"""Merchant category code (MCC) -> ordinal risk group, as card networks and acquirers rate them.

The groups follow common acquirer practice (Visa/Mastercard high-brand-risk lists, PSP
restricted-business lists); they are approximate constants, meant to be reviewed, not law.
"""

from __future__ import annotations

LOW, MEDIUM, HIGH, VERY_HIGH = 0, 1, 2, 3

# Card networks' high-brand-risk categories, quasi-cash and money movement, gambling, adult,
# telemarketing: the categories acquirers underwrite most strictly.
_VERY_HIGH = frozenset(
    {
        "4829",  # wire transfer, money orders
        "5962",  # direct marketing: travel
        "5966",  # direct marketing: outbound telemarketing
        "5967",  # direct marketing: inbound telemarketing (adult content)
        "6012",  # financial institutions: merchandise and services
        "6051",  # quasi-cash, crypto
        "6211",  # securities brokers and dealers
        "6540",  # stored-value card load
        "7273",  # dating and escort services
        "7800",  # government-owned lotteries
        "7801",  # government-licensed online casinos
        "7802",  # government-licensed horse and dog racing
        "7995",  # betting, casino gaming chips
    }
)

# Chargeback-prone or regulated goods: subscriptions, digital goods, travel, pharma, valuables.
_HIGH = frozenset(
    {
        "4411",  # cruise lines
        "4511",  # airlines
        "4722",  # travel agencies and tour operators
        "4816",  # computer network and information services
        "5094",  # precious stones and metals, jewellery (wholesale)
        "5122",  # drugs and druggists' sundries
        "5816",  # digital goods: games
        "5912",  # drug stores and pharmacies
        "5921",  # package stores: beer, wine, liquor
        "5933",  # pawn shops
        "5944",  # jewellery, watches, clocks
        "5968",  # direct marketing: continuity and subscription
        "5969",  # direct marketing: other
        "5993",  # cigar stores, tobacco, vaping
        "7297",  # massage parlours
        "7841",  # video tape rental
        "7994",  # video game arcades
        "8999",  # professional services not elsewhere classified
    }
)

# Resellable goods and catch-all categories that hide what is really sold.
_MEDIUM = frozenset(
    {
        "4121",  # taxicabs and limousines
        "5045",  # computers and peripherals
        "5065",  # electrical parts and equipment
        "5311",  # department stores
        "5399",  # miscellaneous general merchandise
        "5511",  # car and truck dealers
        "5521",  # used car dealers
        "5732",  # electronics stores
        "5734",  # computer software stores
        "5815",  # digital goods: media
        "5817",  # digital goods: applications
        "5818",  # digital goods: large digital goods merchant
        "5999",  # miscellaneous retail
        "7011",  # hotels and lodging
        "7299",  # miscellaneous personal services
        "7399",  # business services not elsewhere classified
        "7999",  # recreation services not elsewhere classified
        "8299",  # schools and educational services not elsewhere classified
        "8398",  # charitable and social service organisations
    }
)


def mcc_risk_group(mcc: object) -> float:
    """Ordinal risk group of an MCC: 0 low, 1 medium, 2 high, 3 very high; NaN when absent.

    Any well-formed code outside the listed groups counts as low; a malformed one (not four
    digits) counts as medium, since it says nothing about what the provider sells.
    """
    if mcc is None:
        return float("nan")
    code = str(mcc).strip()
    if not code:
        return float("nan")
    if code in _VERY_HIGH:
        return float(VERY_HIGH)
    if code in _HIGH or (code.isdigit() and 3000 <= int(code) <= 3350):  # 3000-3350: airlines
        return float(HIGH)
    if code in _MEDIUM or not (len(code) == 4 and code.isdigit()):
        return float(MEDIUM)
    return float(LOW)
