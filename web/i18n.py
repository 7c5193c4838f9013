"""Locale choice, catalog compilation and Babel formatting for templates."""

import os
import tempfile
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, parse_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, get_currency_precision
from flask import g, has_request_context, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user

from domain.choices import LOCALES, RTL_LOCALES

from .rendering import is_api_request


def select_locale() -> str | None:
    """The staff member's preference, then the session, then the browser, then the merchant.
    Outside a request (commands, workers) Babel's default locale applies."""
    if not has_request_context():
        return None
    if is_api_request():  # an integrator's program asks by Accept-Language
        return request.accept_languages.best_match(LOCALES) or "en"
    if current_user.is_authenticated and current_user.locale:
        return current_user.locale
    if session.get("locale") in LOCALES:
        return session["locale"]
    browser = request.accept_languages.best_match(LOCALES)
    if browser:
        return browser
    if current_user.is_authenticated:
        return current_user.merchant.default_locale
    return "en"


def select_timezone() -> str | None:
    if has_request_context() and "actor" in g:
        return g.actor.merchant.time_zone
    if has_request_context() and current_user.is_authenticated:
        return current_user.merchant.time_zone
    return None


def text_direction() -> str:
    return "rtl" if str(get_locale()) in RTL_LOCALES else "ltr"


def money(minor_units: int, currency: str | None = None) -> str:
    """Integer minor units shown in the currency's own exponent: JPY 0, USD 2, OMR 3."""
    return _money(minor_units, currency or current_user.merchant.currency, str(get_locale()))


@lru_cache(maxsize=4096)
def _money(minor_units: int, currency: str, locale_name: str) -> str:
    # A till shows the same prices and totals over and over; Babel takes a fifth of a
    # millisecond to format each.
    amount = Decimal(minor_units).scaleb(-get_currency_precision(currency))
    return format_currency(amount, currency, locale=locale_name)


def when(value, style: str = "medium") -> str:
    """A UTC datetime in the merchant's time zone and the viewer's locale."""
    if not value:
        return ""
    pattern, locale, zone = _datetime_style(str(get_locale()), str(get_timezone()), style)
    return pattern.apply(value.astimezone(zone), locale)


def day(value, style: str = "medium") -> str:
    """The day of a UTC datetime in the merchant's time zone, in the viewer's locale: what a
    list of customers shows of a last visit ("Nov 3, 2026", "2026/11/03")."""
    if not value:
        return ""
    return local_day(value, str(get_timezone()), str(get_locale()), style)


def local_day(value, zone_name: str, locale_name: str, style: str = "medium") -> str:
    """As `day`, for a caller that looked the zone and locale up once for many values."""
    return _day(value.astimezone(ZoneInfo(zone_name)).date(), locale_name, style)


@lru_cache(maxsize=4096)
def _day(date, locale_name: str, style: str) -> str:
    # Two years of visits are 730 days: a page of twenty customers formats few of its own.
    return format_date(date, style, locale=locale_name)


@lru_cache(maxsize=64)
def _datetime_style(locale_name: str, zone_name: str, style: str):
    """Babel's date-and-time style ("short" … "full") as one parsed pattern: the same text
    as `format_datetime`, at a sixth of its cost (a history page shows dozens of them)."""
    locale = Locale.parse(locale_name)
    pattern = (
        locale.datetime_formats[style]
        .replace("{0}", locale.time_formats[style].pattern)
        .replace("{1}", locale.date_formats[style].pattern)
    )
    return parse_pattern(pattern), locale, ZoneInfo(zone_name)


def compile_catalogs(directory: str) -> None:
    """Builds each .mo from its .po when missing or older, so no manual pybabel step is
    needed. Written to a temporary file and renamed: several workers may start at once."""
    for po_path in Path(directory).glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalog)
        os.replace(temporary, mo_path)
