"""Phone numbers: parsed in the merchant's region, stored as E.164, shown the local way."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import phonenumbers
from flask_babel import gettext as _
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from .errors import Invalid


def parse(raw: str | None, region: str) -> phonenumbers.PhoneNumber:
    """The number written in any common form (spaces, dashes, dots, parentheses, full-width
    digits, +country or national prefix); Invalid with a message saying what is wrong."""
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else "").strip()
    if not text:
        raise Invalid({"phone": _("Enter a phone number.")})
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise Invalid({"phone": _("This does not look like a phone number.")}) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in (ValidationResult.TOO_SHORT, ValidationResult.INVALID_LENGTH):
        raise Invalid({"phone": _("This phone number is too short.")})
    if reason == ValidationResult.TOO_LONG:
        raise Invalid({"phone": _("This phone number is too long.")})
    if not phonenumbers.is_valid_number(number):
        raise Invalid({"phone": _("This is not a valid phone number. Check the digits or add the country code.")})
    return number


def to_e164(raw: str | None, region: str) -> str:
    return phonenumbers.format_number(parse(raw, region), PhoneNumberFormat.E164)


def optional_e164(errors: dict, field: str, raw, region: str) -> str | None:
    """An optional phone field: None when left empty, E.164 when valid, else the reason
    added to `errors` under `field` (the validation module's way)."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        return to_e164(raw, region)
    except Invalid as invalid:
        errors[field] = invalid.errors["phone"]
        return None


@lru_cache(maxsize=65536)  # formatting costs ~0.1 ms; a number's display never changes
def display(e164: str | None, region: str) -> str:
    """National format for numbers of the merchant's own region, international otherwise."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164)
    local = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if local else PhoneNumberFormat.INTERNATIONAL)


def masked(e164: str | None) -> str:
    """What a cashier sees: the last four digits only."""
    return f"•••• {e164[-4:]}" if e164 else ""
