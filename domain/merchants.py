"""Merchants (the brands, our tenants) and their stores: settings and store management."""

from __future__ import annotations

from zoneinfo import available_timezones

import phonenumbers
from babel import Locale
from babel.numbers import get_territory_currencies, list_currencies
from flask_babel import gettext as _
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from . import validation as check
from .choices import LOCALES
from .errors import Invalid
from .tenancy import get_scoped, scoped
from .types import UTCDateTime, utcnow


class Merchant(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    phone_region: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    default_locale: Mapped[str] = mapped_column(String(8))
    time_zone: Mapped[str] = mapped_column(String(64))
    customer_number_prefix: Mapped[str] = mapped_column(String(12))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Store(db.Model):
    __table_args__ = (UniqueConstraint("merchant_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


COUNTRIES = sorted(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())
PHONE_REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
# Only tender in use somewhere today: Babel also knows historic ones (ADP, DEM, ...).
CURRENCIES = sorted(
    {code for country in COUNTRIES for code in get_territory_currencies(country)} & set(list_currencies())
)
# What a new business most likely wants, by the language it set up in.
DEFAULTS_BY_LOCALE = {
    "en": {"country": "US", "currency": "USD", "time_zone": "America/New_York"},
    "ja": {"country": "JP", "currency": "JPY", "time_zone": "Asia/Tokyo"},
    "vi": {"country": "VN", "currency": "VND", "time_zone": "Asia/Ho_Chi_Minh"},
    "ar": {"country": "OM", "currency": "OMR", "time_zone": "Asia/Muscat"},
}


def suggested_settings(locale: str) -> dict:
    defaults = DEFAULTS_BY_LOCALE.get(locale, DEFAULTS_BY_LOCALE["en"])
    return {**defaults, "phone_region": defaults["country"], "default_locale": locale}


TIME_ZONES = sorted(available_timezones())


def is_set_up() -> bool:
    return bool(db.session.scalar(select(exists().where(Merchant.id.is_not(None)))))


def clean_merchant_fields(data: dict) -> dict:
    """Validated merchant settings; raises Invalid with a message per bad field."""
    errors: dict[str, str] = {}
    cleaned = {
        "name": check.text(errors, "name", data.get("name"), max_length=120),
        "country": check.choice(errors, "country", data.get("country"), COUNTRIES),
        "phone_region": check.choice(errors, "phone_region", data.get("phone_region"), PHONE_REGIONS),
        "currency": check.choice(errors, "currency", data.get("currency"), CURRENCIES),
        "default_locale": check.choice(errors, "default_locale", data.get("default_locale"), LOCALES),
        "time_zone": check.choice(errors, "time_zone", data.get("time_zone"), TIME_ZONES),
    }
    prefix = check.text(errors, "customer_number_prefix", data.get("customer_number_prefix"), max_length=12)
    cleaned["customer_number_prefix"] = check.pattern(
        errors,
        "customer_number_prefix",
        prefix.upper(),
        r"[A-Z][A-Z0-9-]*",
        _("Use capital letters, digits and dashes, starting with a letter (e.g. CUST-)."),
    )
    if errors:
        raise Invalid(errors)
    return cleaned


def update_merchant(actor, data: dict) -> Merchant:
    actor.require_role("owner")
    merchant = actor.merchant
    for field, value in clean_merchant_fields(data).items():
        setattr(merchant, field, value)
    db.session.commit()
    return merchant


def list_stores(actor, *, active_only: bool = False) -> list[Store]:
    query = scoped(Store, actor.merchant_id).order_by(Store.name)
    if active_only:
        query = query.where(Store.active.is_(True))
    return list(db.session.scalars(query))


def working_store(actor, store_id, field: str = "store_id") -> Store:
    """One of the merchant's open stores, chosen by id (a till or an API client says where
    it sells); anything else is refused under `field`."""
    store = db.session.scalar(
        select(Store).where(Store.merchant_id == actor.merchant_id, Store.id == check.whole_number(store_id),
                            Store.active.is_(True))
    )  # fmt: skip
    if store is None:
        raise Invalid({field: _("Choose one of the merchant's open stores.")})
    return store


def _store_name(name) -> str:
    errors: dict[str, str] = {}
    name = check.text(errors, "name", name, max_length=120)
    if errors:
        raise Invalid(errors)
    return name


def _save_store(store: Store) -> Store:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Invalid({"name": _("A store with this name already exists.")}) from None
    return store


def add_store(actor, name) -> Store:
    actor.require_role("owner")
    store = Store(merchant_id=actor.merchant_id, name=_store_name(name))
    db.session.add(store)
    return _save_store(store)


def rename_store(actor, store_id, name) -> Store:
    actor.require_role("owner")
    store = get_scoped(Store, store_id, actor.merchant_id)
    store.name = _store_name(name)
    return _save_store(store)


def set_store_active(actor, store_id, active: bool) -> Store:
    actor.require_role("owner")
    store = get_scoped(Store, store_id, actor.merchant_id)
    if not active and len(list_stores(actor, active_only=True)) == 1 and store.active:
        raise Invalid({"store": _("A merchant needs at least one active store.")})
    store.active = active
    db.session.commit()
    return store
