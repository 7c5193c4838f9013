"""Phones and emails of a customer: the primary pair on the record, and further labelled
contact points. Each value is unique among the merchant's live customers."""

from __future__ import annotations

from flask_babel import gettext as _

from .. import validation as check
from ..errors import Invalid, NotFound
from .fields import clean
from .models import CONTACT_LABELS, ContactPoint, Customer
from .permissions import require
from .records import check_version, locked_customer, refuse_taken, refuse_unreachable_receipts, save_changes


def _primary(customer: Customer, kind: str) -> ContactPoint | None:
    return next((p for p in customer.contact_points if p.kind == kind and p.is_primary), None)


def _set_primary_value(customer: Customer, kind: str, value: str | None) -> None:
    """Makes `value` the customer's main phone or email (None clears it), keeping the
    record's `phone`/`email` copy in step with the contact points."""
    points = [p for p in customer.contact_points if p.kind == kind]
    current = next((p for p in points if p.is_primary), None)
    chosen = next((p for p in points if p.value == value), None) if value else None
    if value is None:
        if current is not None:
            customer.contact_points.remove(current)
    elif chosen is not None:  # a further contact becomes the main one
        if current is not None:
            current.is_primary = False
        chosen.is_primary = True
    elif current is not None:  # the main one itself changed
        current.value = value
    else:
        label = "mobile" if kind == "phone" else "other"
        customer.contact_points.append(
            ContactPoint(merchant_id=customer.merchant_id, kind=kind, value=value, label=label, is_primary=True)
        )
    setattr(customer, kind, value)


def update_primary_contacts(actor, customer_id, data: dict, version) -> Customer:
    """Changes the main phone and email; at least one of them must remain."""
    require(actor, "edit_contacts")
    customer = locked_customer(actor, customer_id)
    check_version(actor, customer, version)
    values = clean(data, [kind for kind in ("phone", "email") if kind in data], actor.merchant)
    phone, email = values.get("phone", customer.phone), values.get("email", customer.email)
    if not phone and not email:
        raise Invalid({"phone": _("Give a phone number or an email address.")})
    try:
        refuse_unreachable_receipts(customer.receipt_delivery, phone, email)
    except Invalid as invalid:
        kind = "email" if customer.receipt_delivery == "email" else "phone"
        raise Invalid({kind: invalid.errors["receipt_delivery"]}) from None
    changes = {kind: [getattr(customer, kind), value] for kind, value in (("phone", phone), ("email", email))
               if value != getattr(customer, kind)}  # fmt: skip
    claims = [(kind, after) for kind, (_before, after) in changes.items() if after]
    for kind, value in claims:  # every check before any change
        refuse_taken(actor.merchant_id, kind, value, owner_id=customer.id)
    for kind, (_before, after) in changes.items():
        _set_primary_value(customer, kind, after)
    return save_changes(actor, customer, changes, "customer.updated", claims)


def add_contact_point(actor, customer_id, kind: str, value, label) -> ContactPoint:
    require(actor, "edit_contacts")
    customer = locked_customer(actor, customer_id)
    errors: dict[str, str] = {}
    label = check.choice(errors, "label", label, CONTACT_LABELS)
    kind = check.choice(errors, "kind", kind, ("phone", "email"))
    if errors:
        raise Invalid(errors)
    cleaned = clean({kind: value}, [kind], actor.merchant)[kind]
    if not cleaned:
        raise Invalid({kind: _("This field is required.")})
    refuse_taken(actor.merchant_id, kind, cleaned, owner_id=customer.id)
    if any(p.kind == kind and p.value == cleaned for p in customer.contact_points):
        raise Invalid({kind: _("This customer already has it.")})
    point = ContactPoint(merchant_id=actor.merchant_id, kind=kind, value=cleaned, label=label)
    customer.contact_points.append(point)
    changes = {f"{kind}s": [None, cleaned]}
    if getattr(customer, kind) is None:  # the first of its kind becomes the primary
        _set_primary_value(customer, kind, cleaned)
        changes[kind] = [None, cleaned]
    save_changes(actor, customer, changes, "contact.added", [(kind, cleaned)])
    return point


def _point(customer: Customer, point_id) -> ContactPoint:
    point = next((p for p in customer.contact_points if str(p.id) == str(point_id)), None)
    if point is None:
        raise NotFound()
    return point


def remove_contact_point(actor, customer_id, point_id) -> Customer:
    require(actor, "edit_contacts")
    customer = locked_customer(actor, customer_id)
    point = _point(customer, point_id)
    if point.is_primary:
        raise Invalid({"contact": _("Choose another main phone or email before removing this one.")})
    customer.contact_points.remove(point)
    return save_changes(actor, customer, {f"{point.kind}s": [point.value, None]}, "contact.removed")


def make_primary(actor, customer_id, point_id) -> Customer:
    require(actor, "edit_contacts")
    customer = locked_customer(actor, customer_id)
    point = _point(customer, point_id)
    before = getattr(customer, point.kind)
    if before == point.value:
        return customer
    _set_primary_value(customer, point.kind, point.value)
    return save_changes(actor, customer, {point.kind: [before, point.value]}, "customer.updated")
