"""Addresses: many per customer, structured to fit Japan and elsewhere, exactly one default."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from extensions import db

from .. import validation as check
from ..errors import Invalid, NotFound
from ..merchants import COUNTRIES
from .models import ADDRESS_LABELS, ADDRESS_USES, Address, Customer
from .permissions import require
from .records import get_customer, locked_customer, save_changes

TEXT_FIELDS = {"region": 100, "city": 100, "street": 200, "building": 200, "delivery_notes": 500}
FIELDS = ("label", "use", "country", "postal_code", "latitude", "longitude", *TEXT_FIELDS)


def _postal_code(errors: dict, country: str, value) -> str | None:
    value = unicodedata.normalize("NFKC", value if isinstance(value, str) else "").replace("〒", "").strip()
    if not value:
        return None
    if country == "JP":
        digits = re.sub(r"[\s-]", "", value)
        if not re.fullmatch(r"\d{7}", digits):
            errors["postal_code"] = _("A Japanese postal code has seven digits, like 100-0001.")
            return None
        return f"{digits[:3]}-{digits[3:]}"
    if len(value) > 20:
        errors["postal_code"] = _("Use at most %(count)d characters.", count=20)
    return value


def _coordinate(errors: dict, field: str, value, limit: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not -limit <= number <= limit:
        errors[field] = _("Enter a number between %(low)d and %(high)d.", low=-limit, high=limit)
    return number


def clean_address(data: dict, default_country: str) -> dict:
    errors: dict[str, str] = {}
    country = data.get("country") or default_country
    country = check.choice(errors, "country", country.upper() if isinstance(country, str) else country, COUNTRIES)
    values = {
        "label": check.choice(errors, "label", data.get("label") or "home", ADDRESS_LABELS),
        "use": check.choice(errors, "use", data.get("use") or "shipping", ADDRESS_USES),
        "country": country,
        "postal_code": _postal_code(errors, country, data.get("postal_code")),
        "latitude": _coordinate(errors, "latitude", data.get("latitude"), 90),
        "longitude": _coordinate(errors, "longitude", data.get("longitude"), 180),
    }
    for field, length in TEXT_FIELDS.items():
        values[field] = check.text(errors, field, data.get(field), max_length=length, required=False) or None
    if not (values["street"] or values["city"]) and not errors:
        errors["street"] = _("Give at least a street or a city.")
    if errors:
        raise Invalid(errors)
    return values


def _address(customer: Customer, address_id) -> Address:
    address = next((a for a in customer.addresses if str(a.id) == str(address_id)), None)
    if address is None:
        raise NotFound()
    return address


def _make_default(customer: Customer, chosen: Address | None) -> None:
    """One default at a time; the partial unique index refuses two, so clear first."""
    for address in customer.addresses:
        if address.is_default and address is not chosen:
            address.is_default = False
    db.session.flush()
    if chosen is not None:
        chosen.is_default = True


def _summary(address: Address | None) -> str | None:
    """The whole address on one line, for the audit trail."""
    if address is None:
        return None
    parts = [address.label, address.use, address.postal_code, address.region, address.city, address.street,
             address.building, address.country, address.delivery_notes]  # fmt: skip
    return ", ".join(str(part) for part in parts if part)


def _default(customer: Customer) -> Address | None:
    return next((a for a in customer.addresses if a.is_default), None)


def list_addresses(actor, customer_id) -> list[Address]:
    require(actor, "view_sensitive")
    return list(get_customer(actor, customer_id).addresses)


def add_address(actor, customer_id, data: dict) -> Address:
    require(actor, "edit_addresses")
    values = clean_address(data, actor.merchant.country)
    customer = locked_customer(actor, customer_id)
    address = Address(merchant_id=actor.merchant_id, **values)
    customer.addresses.append(address)
    if check.checked(data.get("is_default")) or len(customer.addresses) == 1:
        _make_default(customer, address)
    save_changes(actor, customer, {"address": [None, _summary(address)]}, "address.added")
    return address


def update_address(actor, customer_id, address_id, data: dict, *, partial: bool = False) -> Address:
    """Replaces the address's fields with `data`; with `partial`, only those `data` carries."""
    require(actor, "edit_addresses")
    customer = locked_customer(actor, customer_id)
    address = _address(customer, address_id)
    if partial:
        data = {**{field: getattr(address, field) for field in FIELDS}, **data}
    values = clean_address(data, actor.merchant.country)
    before, was_default = _summary(address), address.is_default
    for field, value in values.items():
        setattr(address, field, value)
    if check.checked(data.get("is_default")):
        _make_default(customer, address)
    changes = {"address": [before, _summary(address)]} if before != _summary(address) else {}
    if address.is_default and not was_default:
        changes["default_address"] = [None, _summary(address)]
    save_changes(actor, customer, changes, "address.changed")
    return address


def set_default_address(actor, customer_id, address_id) -> Address:
    require(actor, "edit_addresses")
    customer = locked_customer(actor, customer_id)
    address = _address(customer, address_id)
    before = _default(customer)
    if before is not address:
        _make_default(customer, address)
        changes = {"default_address": [_summary(before), _summary(address)]}
        save_changes(actor, customer, changes, "address.default")
    return address


def delete_address(actor, customer_id, address_id) -> None:
    """Removing the default hands the role to the oldest remaining address."""
    require(actor, "edit_addresses")
    customer = locked_customer(actor, customer_id)
    address = _address(customer, address_id)
    customer.addresses.remove(address)
    db.session.flush()
    if address.is_default and customer.addresses:
        _make_default(customer, customer.addresses[0])
    save_changes(actor, customer, {"address": [_summary(address), None]}, "address.removed")
