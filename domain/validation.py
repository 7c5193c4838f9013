"""Small checks shared by domain operations; each adds a translated message to `errors`."""

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _


def text(errors: dict, field: str, value, *, max_length: int, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):  # a number or list sent as JSON
        errors[field] = _("Enter text here.")
        return ""
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
    value = value.strip() if isinstance(value, str) else value
    if value not in allowed:
        errors[field] = _("Choose one of the listed options.")
    return value


def pattern(errors: dict, field: str, value, regex: str, message: str) -> str:
    if field not in errors and not re.fullmatch(regex, value or ""):
        errors[field] = message
    return value


def whole_number(value, maximum: int = 2**31 - 1) -> int | None:
    """A non-negative whole number written in ASCII digits, within range; None otherwise
    (so "²", "1e3" or a 30-digit id never reach the database)."""
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()) or int(text) > maximum:
        return None
    return int(text)


def checked(value) -> bool:
    """A checkbox or boolean flag as HTML forms and JSON send it."""
    return value is True or (isinstance(value, str) and value.strip().lower() in {"y", "yes", "on", "true", "1"})
