"""A partial update across a profile's sections at once (the API's PATCH): each section keeps
its own permission, rules and audit event, exactly as when it is edited on its own screen,
and the whole change is saved together or not at all."""

from __future__ import annotations

from flask_babel import gettext as _

from ..errors import Invalid
from .contacts import update_primary_contacts
from .records import SECTIONS, check_version, locked_customer, together, update_section
from .tags import set_customer_tags, tag_ids_named

CONTACTS = ("phone", "email")
# Shown on the record but never written through an update.
READ_ONLY = frozenset({
    "id", "merchant_id", "customer_number", "profile_level", "created_at", "updated_at", "deleted_at",
    "total_spent", "total_visits", "first_visit_at", "last_visit_at", "version", "addresses",
    "email_consent_at", "sms_consent_at", "email_consent_source", "sms_consent_source",
})  # fmt: skip
WRITABLE = frozenset({*CONTACTS, "tags"}.union(*SECTIONS.values()))


def update_customer(actor, customer_id, data: dict, version=None):
    """Applies the fields `data` carries; `version` (when given) must be the current one."""
    errors = {field: _("This field is read-only.") for field in data if field in READ_ONLY}
    errors |= {field: _("There is no such field.") for field in data if field not in WRITABLE | READ_ONLY}
    if errors:
        raise Invalid(errors)
    with together():
        # Compared under the row lock, so no change can slip in between the check and the
        # writes; each section then checks against the version the previous one left.
        customer = locked_customer(actor, customer_id)
        if version is not None:
            check_version(actor, customer, version)
        if contacts := {kind: data[kind] for kind in CONTACTS if kind in data}:
            update_primary_contacts(actor, customer.id, contacts, customer.version)
        for section, fields in SECTIONS.items():
            if part := {field: data[field] for field in fields if field in data}:
                update_section(actor, customer.id, section, part, customer.version)
        if "tags" in data:
            set_customer_tags(actor, customer.id, tag_ids_named(actor, data["tags"]))
    return customer
