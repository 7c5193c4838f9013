"""Small checks shared by domain operations; each adds a translated message to `errors`."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _


def text(errors: dict, field: str, value, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > max_length:
        errors[field] = _("Use at most %(count)d characters.", count=max_length)
    return value


def email(errors: dict, field: str, value, *, required: bool = True) -> str | None:
    """The normalised address, or None when empty and optional."""
    value = text(errors, field, value, max_length=254, required=required)
    if not value or field in errors:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors[field] = _("Enter a valid email address, like name@example.com.")
        return None


def choice(errors: dict, field: str, value, allowed) -> str:
    value = (value or "").strip()
    if value not in allowed:
        errors[field] = _("Choose one of the listed options.")
    return value


def pattern(errors: dict, field: str, value, regex: str, message: str) -> str:
    if field not in errors and not re.fullmatch(regex, value or ""):
        errors[field] = message
    return value
