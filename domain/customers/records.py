"""Creating and changing customers: numbering, uniqueness, optimistic concurrency, audit."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from extensions import db

from .. import audit
from .. import validation as check
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..phones import optional_e164
from ..sequences import next_value
from ..tenancy import get_scoped
from ..types import utcnow
from .fields import clean
from .models import CONSENT_CHANNELS, ContactPoint, Customer
from .names import sort_key
from .permissions import can, require
from .search_index import index_customer

CREATE_FIELDS = (
    "name", "name_kana", "name_alt", "phone", "email", "date_of_birth", "gender",
    "document_number", "customer_type", "receipt_delivery", "language", "preferred_channel",
)  # fmt: skip
SECTIONS = {
    "identity": ("name", "name_kana", "name_alt", "date_of_birth", "gender", "document_number", "customer_type"),
    "preferences": ("receipt_delivery", "language", "preferred_channel", "email_consent", "sms_consent"),
    "status": ("status", "status_reason"),
}
SECTION_PERMISSION = {
    "identity": "edit_identity",
    "preferences": "edit_preferences",
    "status": "change_status",
    "contacts": "edit_contacts",
    "tags": "manage_tags",
}
# Where consent was given, by who recorded it (the store is on the audit event).
CONSENT_SOURCE = {"staff": "in_store", "kiosk": "kiosk", "customer": "portal", "api": "api"}
# Changes to these rewrite the customer's search terms.
SEARCHED_FIELDS = frozenset({"name", "name_kana", "name_alt", "deleted_at"})
# What a cashier may neither see in full nor change.
SENSITIVE = frozenset({"phone", "email", "date_of_birth", "document_number"})
MASKED_IN_AUDIT = frozenset({"document_number"})


class DuplicateContact(Invalid):
    """The phone or email already belongs to another live customer of the merchant."""

    def __init__(self, field: str, existing: Customer):
        message = _(
            "This is already the %(what)s of %(name)s (%(number)s).",
            what=_("phone number") if field == "phone" else _("email address"),
            name=existing.name,
            number=existing.customer_number,
        )
        super().__init__({field: message})
        self.existing = existing


@dataclass(frozen=True)
class Change:
    field: str
    before: object
    after: object
    by: str | None
    at: object


class StaleEdit(Conflict):
    """Someone saved the customer after this form was opened; `changes` say what changed
    (only fields the actor may see in full)."""

    def __init__(self, customer: Customer, changes: list[Change]):
        super().__init__(_("This customer was changed by someone else while you were editing."))
        self.customer = customer
        self.changes = changes


def changes_since(actor, customer: Customer, version: int | None) -> list[Change]:
    """What was saved after `version`, hiding sensitive values from those who may not see them."""
    events = audit.events_for(customer.merchant_id, "customer", customer.id, after_version=version, limit=20)
    return [
        Change(field, *values, event.actor_name, event.created_at)
        for event in reversed(events)
        for field, values in event.changes.items()
        if field not in SENSITIVE or can(actor, "view_sensitive")
    ]


def locked_customer(actor, customer_id, *, include_deleted: bool = False) -> Customer:
    """The customer, after taking its row lock with a write (PostgreSQL row lock; SQLite's
    write lock), reloaded: changes to its contacts, addresses and tags run one at a time per
    customer and see each other's results. The version is not bumped, so a form open on
    another section does not become stale."""
    customer = get_customer(actor, customer_id, include_deleted=include_deleted)
    db.session.execute(update(Customer).where(Customer.id == customer.id).values(updated_at=utcnow()))
    db.session.refresh(customer)
    return customer


def get_customer(actor, customer_id, *, include_deleted: bool = False) -> Customer:
    """The merchant's customer; NotFound for another merchant's, and for a deleted one unless
    asked for by someone who may restore it."""
    customer = get_scoped(Customer, customer_id, actor.merchant_id)
    if customer.deleted_at and not (include_deleted and can(actor, "delete")):
        raise NotFound()
    return customer


def customer_with_phone(actor, raw) -> Customer:
    """The live customer with this phone (main or further), written in any form."""
    errors: dict[str, str] = {}
    e164 = optional_e164(errors, "phone", raw, actor.merchant.phone_region)
    if errors:
        raise Invalid(errors)
    customer = holder_of(actor.merchant_id, "phone", e164) if e164 else None
    if customer is None:
        raise NotFound()
    return customer


def _audit_value(field: str, value):
    if value is None or isinstance(value, bool | int | str):
        shown = value
    elif isinstance(value, date):
        shown = value.isoformat()
    else:
        shown = str(value)
    if field in MASKED_IN_AUDIT and shown:
        return f"•••• {str(shown)[-4:]}"
    return shown


def holder_of(merchant_id: int, kind: str, value: str) -> Customer | None:
    return db.session.scalar(
        select(Customer)
        .join(ContactPoint)
        .where(
            ContactPoint.merchant_id == merchant_id,
            ContactPoint.kind == kind,
            ContactPoint.value == value,
            ContactPoint.live,  # as the partial unique index says it
        )
    )


def refuse_taken(merchant_id: int, kind: str, value: str | None, owner_id=None) -> None:
    holder = holder_of(merchant_id, kind, value) if value else None
    if holder is not None and holder.id != owner_id:
        raise DuplicateContact(kind, holder)


@contextmanager
def claiming(merchant_id: int, pairs):
    """Turns a lost race for a phone or email (the unique index refusing the second of two
    concurrent writers) into DuplicateContact naming the customer who got it."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        for kind, value in pairs:
            refuse_taken(merchant_id, kind, value)
        raise


def _pairs(values: dict):
    return [(kind, values[kind]) for kind in ("phone", "email") if values.get(kind)]


def refuse_unreachable_receipts(receipt_delivery, phone, email) -> None:
    """Receipts by email need an email address, by SMS a phone."""
    if receipt_delivery == "email" and not email:
        raise Invalid({"receipt_delivery": _("Receipts by email need an email address.")})
    if receipt_delivery == "sms" and not phone:
        raise Invalid({"receipt_delivery": _("Receipts by SMS need a phone number.")})


def _check_roles(actor, fields) -> None:
    if not can(actor, "view_sensitive") and SENSITIVE.intersection(fields):
        raise Forbidden()


def create_customer(actor, data: dict, *, profile_level: str = "full", commit: bool = True) -> Customer:
    """A new customer with the next customer number; a stub (quick record at the till)
    needs a name and a phone, a full record a name and a phone or an email. With
    `commit=False` the caller's transaction (e.g. the sale it is attached to) commits."""
    require(actor, "create")
    fields = [field for field in CREATE_FIELDS if data.get(field) not in (None, "")]
    _check_roles(actor, set(fields) - {"phone", "email"})  # cashiers create with contacts
    values = clean(data, ["name", *fields], actor.merchant)
    if profile_level == "stub" and not values.get("phone"):
        raise Invalid({"phone": _("A quick record needs a phone number.")})
    if not values.get("phone") and not values.get("email"):
        raise Invalid({"phone": _("Give a phone number or an email address.")})
    refuse_unreachable_receipts(values.get("receipt_delivery"), values.get("phone"), values.get("email"))
    for kind in ("phone", "email"):
        refuse_taken(actor.merchant_id, kind, values.get(kind))

    merchant = actor.merchant
    number = next_value(actor.merchant_id, "customer")  # locked until commit; rollback frees it
    customer = Customer(
        merchant_id=actor.merchant_id,
        number=number,
        customer_number=f"{merchant.customer_number_prefix}{number:06d}",
        sort_name=sort_key(values["name"], values.get("name_kana")),
        profile_level=profile_level,
        created_by_id=actor.id,
        created_store_id=actor.store_id,
        **values,
    )
    customer.contact_points = [
        ContactPoint(merchant_id=actor.merchant_id, kind=kind, value=values[kind], is_primary=True,
                     label="mobile" if kind == "phone" else "other")
        for kind in ("phone", "email")
        if values.get(kind)
    ]  # fmt: skip
    db.session.add(customer)
    with claiming(actor.merchant_id, _pairs(values)):
        db.session.flush()
        index_customer(customer)  # findable by the very next request
        changes = {field: [None, _audit_value(field, value)] for field, value in values.items() if value}
        changes["customer_number"] = [None, customer.customer_number]
        audit.record(actor, "customer.created", "customer", customer.id, changes, customer.version)
        if commit:
            db.session.commit()
    return customer


def check_version(actor, customer: Customer, version) -> None:
    expected = check.whole_number(version)
    if expected is None:
        raise Invalid({"version": _("This form is out of date. Reload the page and try again.")})
    if expected != customer.version:
        raise StaleEdit(customer, changes_since(actor, customer, expected))


def _apply(customer: Customer, values: dict) -> dict:
    """Sets the values that differ; returns {field: [before, after]} for the audit."""
    changes = {}
    for field, value in values.items():
        before = getattr(customer, field)
        if before != value:
            changes[field] = [_audit_value(field, before), _audit_value(field, value)]
            setattr(customer, field, value)
    if {"name", "name_kana"} & changes.keys():
        customer.sort_name = sort_key(customer.name, customer.name_kana)
    return changes


def _stamp_consent(customer: Customer, changes: dict, source: str) -> None:
    for channel in CONSENT_CHANNELS:
        if f"{channel}_consent" in changes:
            setattr(customer, f"{channel}_consent_at", utcnow())
            setattr(customer, f"{channel}_consent_source", source)
            changes[f"{channel}_consent_source"] = [None, source]


@contextmanager
def together():
    """Several changes saved as one: each still flushes and records its own audit event,
    but the commit waits for the end of the block, and any refusal rolls back them all."""
    db.session.info["together"] = True
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.info.pop("together", None)


def _commit() -> None:
    if not db.session.info.get("together"):
        db.session.commit()


def save_changes(actor, customer: Customer, changes: dict, action: str, claims=()) -> Customer:
    """Flushes (the version check happens here), records the audit event, commits (or,
    inside `together`, leaves the commit to the end of the block).
    `claims` are the (kind, value) contacts this change takes, for a clear duplicate error."""
    if not changes:
        return customer
    with claiming(actor.merchant_id, claims):
        try:
            db.session.flush()
        except StaleDataError:
            db.session.rollback()
            raise StaleEdit(customer, changes_since(actor, customer, None)[-5:]) from None
        if SEARCHED_FIELDS.intersection(changes):
            index_customer(customer)
        audit.record(actor, action, "customer", customer.id, changes, customer.version)
        _commit()
    return customer


def update_section(actor, customer_id, section: str, data: dict, version) -> Customer:
    """Changes the fields of one profile section that `data` carries (absent fields stay)."""
    fields = [field for field in SECTIONS[section] if field in data]
    require(actor, SECTION_PERMISSION[section])
    _check_roles(actor, fields)
    customer = get_customer(actor, customer_id)
    check_version(actor, customer, version)
    values = clean(data, fields, actor.merchant)
    if section == "status" and values.get("status", customer.status) != "active" and not values.get("status_reason"):
        raise Invalid({"status_reason": _("Say why, so colleagues know.")})
    if section == "status" and values.get("status") == "active":
        values["status_reason"] = None
    if section == "preferences":
        refuse_unreachable_receipts(values.get("receipt_delivery"), customer.phone, customer.email)
    changes = _apply(customer, values)
    _stamp_consent(customer, changes, source=CONSENT_SOURCE.get(actor.kind, actor.kind))
    action = {"status": "customer.status_changed", "preferences": "customer.preferences_changed"}
    return save_changes(actor, customer, changes, action.get(section, "customer.updated"))


def _set_contacts_live(customer: Customer, live: bool) -> None:
    db.session.execute(update(ContactPoint).where(ContactPoint.customer_id == customer.id).values(live=live))
    db.session.expire(customer, ["contact_points"])


def delete_customer(actor, customer_id) -> Customer:
    """Soft delete: the record and its orders stay; its phones and emails become free."""
    require(actor, "delete")
    customer = locked_customer(actor, customer_id)
    customer.deleted_at = utcnow()
    _set_contacts_live(customer, False)
    return save_changes(actor, customer, {"deleted_at": [None, customer.deleted_at.isoformat()]}, "customer.deleted")


def restore_customer(actor, customer_id) -> Customer:
    """Undoes a soft delete, unless a phone or email has meanwhile gone to someone else."""
    require(actor, "delete")
    customer = locked_customer(actor, customer_id, include_deleted=True)
    if customer.deleted_at is None:
        return customer
    claims = [(point.kind, point.value) for point in customer.contact_points]
    for kind, value in claims:  # every check before any change
        refuse_taken(actor.merchant_id, kind, value, owner_id=customer.id)
    changes = {"deleted_at": [customer.deleted_at.isoformat(), None]}
    customer.deleted_at = None
    with claiming(actor.merchant_id, claims):
        _set_contacts_live(customer, True)
    return save_changes(actor, customer, changes, "customer.restored", claims)
