"""Amounts as people type them, to integer minor units of a currency (JPY 0 decimals,
USD 2, OMR 3), and back. Babel knows each currency's exponent and each locale's signs."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, get_currency_precision, parse_decimal
from flask_babel import gettext as _

from .errors import Invalid

MAX_AMOUNT = 10**12  # minor units; far above any till, far below integer overflow


def exponent(currency: str) -> int:
    return get_currency_precision(currency)


def to_minor(field: str, value, currency: str, locale: str) -> int:
    """'1,200' (en) or '1.200' (vi) or '12.50' (USD) → minor units; Invalid otherwise."""
    text = str(value if value is not None else "").strip().replace(" ", "").replace("\u00a0", "")
    try:
        amount = parse_decimal(text, locale=locale, strict=False) if text else None
    except (NumberFormatError, InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise Invalid({field: _("Enter an amount, like %(example)s.", example=example(currency, locale))})
    minor = amount.scaleb(exponent(currency))
    if minor != minor.to_integral_value():
        raise Invalid({field: _("Use at most %(count)d decimal places.", count=exponent(currency))})
    if minor > MAX_AMOUNT:
        raise Invalid({field: _("This amount is too large.")})
    return int(minor)


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def example(currency: str, locale: str) -> str:
    """A plausible price in the currency, written the locale's way: 1,200 or 12.50."""
    places = exponent(currency)
    value = Decimal(1200) if places == 0 else Decimal("12.5")
    return format_decimal(value, format="#,##0" + ("." + "0" * places if places else ""), locale=locale)
