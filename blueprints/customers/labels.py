"""Translated labels for customer values and fields, shared by forms and pages."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

GENDERS = {
    "male": _l("Male"),
    "female": _l("Female"),
    "other": _l("Other"),
    "prefer_not_to_say": _l("Prefers not to say"),
}
CUSTOMER_TYPES = {"retail": _l("Retail"), "wholesale": _l("Wholesale")}
PROFILE_LEVELS = {"stub": _l("Quick record"), "full": _l("Full profile")}
STATUSES = {"active": _l("Active"), "inactive": _l("Inactive"), "blocked": _l("Blocked"), "deleted": _l("Deleted")}
# Contexts keep words apart that English spells alike: "Email" the channel, not the address
# field; "Home" the kind of phone or address, not the start page.
_EMAIL_CHANNEL = lazy_pgettext("channel", "Email")
_HOME = lazy_pgettext("phone or address label", "Home")
RECEIPT_DELIVERIES = {"email": _EMAIL_CHANNEL, "sms": _l("SMS"), "print": _l("Print"), "none": _l("No receipt")}
CONTACT_CHANNELS = {"sms": _l("SMS"), "email": _EMAIL_CHANNEL, "phone": _l("Phone call"), "none": _l("Do not contact")}
CONTACT_LABELS = {"mobile": _l("Mobile"), "home": _HOME, "work": _l("Work"), "other": _l("Other")}
ADDRESS_LABELS = {"home": _HOME, "work": _l("Work"), "other": _l("Other")}
CONSENT_SOURCES = {"in_store": _l("in store"), "kiosk": _l("at the kiosk"), "portal": _l("by the customer online"),
                   "api": _l("through an integration")}  # fmt: skip
ADDRESS_USES = {"shipping": _l("Shipping"), "billing": _l("Billing")}
TAG_COLOURS = {
    "grey": _l("Grey"),
    "red": _l("Red"),
    "orange": _l("Orange"),
    "green": _l("Green"),
    "blue": _l("Blue"),
    "purple": _l("Purple"),
}
SORTS = {
    "name": _l("Name (reading)"),
    "-name": _l("Name, reversed"),
    "number": _l("Customer number"),
    "-number": _l("Newest number first"),
    "last_visit": _l("Last visit"),
    "total_spent": _l("Total spent"),
    "created": _l("Recently added"),
}

FIELDS = {
    "name": _l("Name"),
    "name_kana": _l("Reading (kana)"),
    "name_alt": _l("Name in another script"),
    "phone": _l("Phone"),
    "phones": _l("Further phone"),
    "email": _l("Email"),
    "emails": _l("Further email"),
    "date_of_birth": _l("Date of birth"),
    "gender": _l("Gender"),
    "document_number": _l("Document number"),
    "customer_type": _l("Customer type"),
    "customer_number": _l("Customer number"),
    "receipt_delivery": _l("Receipt delivery"),
    "language": _l("Language"),
    "preferred_channel": _l("Preferred contact"),
    "email_consent": _l("Marketing by email"),
    "sms_consent": _l("Marketing by SMS"),
    "email_consent_source": _l("Email consent given"),
    "sms_consent_source": _l("SMS consent given"),
    "status": _l("Status"),
    "status_reason": _l("Reason"),
    "deleted_at": _l("Deleted"),
    "tags": _l("Tags"),
    "note": _l("Note"),
    "address": _l("Address"),
    "default_address": _l("Default address"),
}
ACTIONS = {
    "customer.created": _l("created the customer"),
    "customer.updated": _l("changed the profile"),
    "customer.preferences_changed": _l("changed preferences"),
    "customer.status_changed": _l("changed the status"),
    "customer.deleted": _l("deleted the customer"),
    "customer.restored": _l("restored the customer"),
    "customer.tags_changed": _l("changed the tags"),
    "contact.added": _l("added a contact"),
    "contact.removed": _l("removed a contact"),
    "address.added": _l("added an address"),
    "address.changed": _l("changed an address"),
    "address.default": _l("chose the default address"),
    "address.removed": _l("removed an address"),
    "note.added": _l("added a note"),
    "note.pinned": _l("pinned a note"),
    "note.unpinned": _l("unpinned a note"),
}


def choices(labels: dict, blank=None) -> list[tuple[str, str]]:
    """(value, label) pairs for a select, optionally led by a blank choice."""
    pairs = [(value, str(label)) for value, label in labels.items()]
    return [("", str(blank)), *pairs] if blank is not None else pairs
