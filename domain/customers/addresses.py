"""Addresses: many per customer, structured to fit Japan and elsewhere, exactly one default."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from extensions import db

from .. import audit
from .. import validation as check
from ..errors import Invalid, NotFound
from ..merchants import COUNTRIES
from .models import ADDRESS_LABELS, ADDRESS_USES, Address, Customer
from .permissions import require
from .records import get_customer

TEXT_FIELDS = {"region": 100, "city": 100, "street": 200, "building": 200, "delivery_notes": 500}


def _postal_code(errors: dict, country: str, value) -> str | None:
    value = unicodedata.normalize("NFKC", value or "").replace("〒", "").strip()
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
    country = check.choice(errors, "country", (data.get("country") or default_country).upper(), COUNTRIES)
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


def _summary(address: Address) -> str:
    return ", ".join(filter(None, [address.postal_code, address.region, address.city, address.street]))


def add_address(actor, customer_id, data: dict) -> Address:
    require(actor, "edit_addresses")
    customer = get_customer(actor, customer_id)
    address = Address(merchant_id=actor.merchant_id, **clean_address(data, actor.merchant.country))
    customer.addresses.append(address)
    if data.get("is_default") in (True, "y", "on", "1") or len(customer.addresses) == 1:
        _make_default(customer, address)
    audit.record(actor, "address.added", "customer", customer.id, {"address": [None, _summary(address)]})
    db.session.commit()
    return address


def update_address(actor, customer_id, address_id, data: dict) -> Address:
    require(actor, "edit_addresses")
    customer = get_customer(actor, customer_id)
    address = _address(customer, address_id)
    before = _summary(address)
    for field, value in clean_address(data, actor.merchant.country).items():
        setattr(address, field, value)
    if data.get("is_default") in (True, "y", "on", "1"):
        _make_default(customer, address)
    audit.record(actor, "address.changed", "customer", customer.id, {"address": [before, _summary(address)]})
    db.session.commit()
    return address


def set_default_address(actor, customer_id, address_id) -> Address:
    require(actor, "edit_addresses")
    customer = get_customer(actor, customer_id)
    address = _address(customer, address_id)
    _make_default(customer, address)
    audit.record(actor, "address.default", "customer", customer.id, {"default_address": [None, _summary(address)]})
    db.session.commit()
    return address


def delete_address(actor, customer_id, address_id) -> None:
    """Removing the default hands the role to the oldest remaining address."""
    require(actor, "edit_addresses")
    customer = get_customer(actor, customer_id)
    address = _address(customer, address_id)
    customer.addresses.remove(address)
    db.session.flush()
    if address.is_default and customer.addresses:
        _make_default(customer, customer.addresses[0])
    audit.record(actor, "address.removed", "customer", customer.id, {"address": [_summary(address), None]})
    db.session.commit()
