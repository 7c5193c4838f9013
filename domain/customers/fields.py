"""Cleaning of every customer field the domain accepts; each raises Invalid with a
translated message for its own field and returns the normalised value."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _

from .. import phones
from .. import validation as check
from ..choices import LOCALES
from ..errors import Invalid
from .models import CONSENT_CHANNELS, CONTACT_CHANNELS, CUSTOMER_TYPES, GENDERS, RECEIPT_DELIVERIES, STATUSES
from .names import is_kana_reading, to_katakana


def _optional(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value)


def _name(errors, field, value, merchant):
    return check.text(errors, field, value, max_length=200)


def _name_kana(errors, field, value, merchant):
    value = to_katakana(check.text(errors, field, value, max_length=200, required=False))
    if value and not is_kana_reading(value):
        errors[field] = _("Write the reading in kana, like タナカ タロウ.")
    return value or None


def _name_alt(errors, field, value, merchant):
    return check.text(errors, field, value, max_length=200, required=False) or None


def _phone(errors, field, value, merchant):
    return phones.optional_e164(errors, field, _optional(value), merchant.phone_region)


def _email(errors, field, value, merchant):
    return check.email(errors, field, value, required=False)


def _date_of_birth(errors, field, value, merchant):
    if isinstance(value, date) or not _optional(value):
        return value or None
    text = _optional(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        errors[field] = _("Enter the date as YYYY-MM-DD.")
        return None
    try:
        born = date.fromisoformat(text)
    except ValueError:
        errors[field] = _("This date does not exist.")
        return None
    if born > date.today() or born.year < 1900:
        errors[field] = _("Enter a date of birth between 1900 and today.")
        return None
    return born


def _choice_or_none(allowed):
    def clean(errors, field, value, merchant):
        value = _optional(value)
        return check.choice(errors, field, value, ["", *allowed]) or None

    return clean


def _choice(allowed):
    def clean(errors, field, value, merchant):
        return check.choice(errors, field, _optional(value), allowed)

    return clean


def _document_number(errors, field, value, merchant):
    return check.text(errors, field, value, max_length=64, required=False) or None


def _status_reason(errors, field, value, merchant):
    return check.text(errors, field, value, max_length=500, required=False) or None


def _consent(errors, field, value, merchant):
    return check.checked(value)


CLEANERS = {
    "name": _name,
    "name_kana": _name_kana,
    "name_alt": _name_alt,
    "phone": _phone,
    "email": _email,
    "date_of_birth": _date_of_birth,
    "gender": _choice_or_none(GENDERS),
    "document_number": _document_number,
    "customer_type": _choice(CUSTOMER_TYPES),
    "receipt_delivery": _choice(RECEIPT_DELIVERIES),
    "language": _choice_or_none(LOCALES),
    "preferred_channel": _choice_or_none(CONTACT_CHANNELS),
    "status": _choice(STATUSES),
    "status_reason": _status_reason,
    **{f"{channel}_consent": _consent for channel in CONSENT_CHANNELS},
}


def clean(data: dict, fields, merchant) -> dict:
    """The cleaned values of `fields` from `data`; every bad field reported at once."""
    errors: dict[str, str] = {}
    cleaned = {field: CLEANERS[field](errors, field, data.get(field), merchant) for field in fields}
    if errors:
        raise Invalid(errors)
    return cleaned
