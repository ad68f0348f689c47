"""Email and website domains: free-mail vs business vs disposable, and email/website agreement."""

from __future__ import annotations

from urllib.parse import urlsplit

BUSINESS, FREE_MAIL, DISPOSABLE = 0.0, 1.0, 2.0

_FREE_MAIL = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
        "yahoo.co.jp", "ymail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "outlook.com",
        "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me",
        "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.ru", "yandex.ru",
        "yandex.com", "qq.com", "163.com", "126.com", "zoho.com", "mail.com", "t-online.de",
        "orange.fr", "free.fr", "libero.it", "naver.com", "rediffmail.com",
    }
)  # fmt: skip

# A short list of the most common throwaway-inbox services; not meant to be exhaustive.
_DISPOSABLE = frozenset(
    {
        "mailinator.com", "guerrillamail.com", "10minutemail.com", "temp-mail.org",
        "tempmail.com", "yopmail.com", "trashmail.com", "sharklasers.com", "getnada.com",
        "dispostable.com", "throwawaymail.com", "maildrop.cc", "fakeinbox.com", "emailondeck.com",
    }
)  # fmt: skip


def email_domain(email: object) -> str | None:
    """The lower-cased domain of an email address, or None when it is absent or malformed."""
    if not isinstance(email, str) or email.count("@") != 1:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
    return domain if "." in domain else None


def email_domain_class(email: object) -> float:
    """0 business domain, 1 free mail, 2 disposable inbox; NaN when absent or malformed."""
    domain = email_domain(email)
    if domain is None:
        return float("nan")
    if domain in _DISPOSABLE:
        return DISPOSABLE
    return FREE_MAIL if domain in _FREE_MAIL else BUSINESS


def website_host(url: object) -> str | None:
    """The lower-cased host of a website URL without `www.`, tolerating a missing scheme."""
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    try:
        host = urlsplit(text if "//" in text else "//" + text).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def email_matches_website(email: object, url: object) -> float:
    """1.0 when the email domain is the website host or a parent of it; NaN if either is absent."""
    domain, host = email_domain(email), website_host(url)
    if domain is None or host is None:
        return float("nan")
    return 1.0 if host == domain or host.endswith("." + domain) else 0.0
