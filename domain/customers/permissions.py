"""What each role may do with customers: one table read by the domain (`require`) and by
the screens (`can`, to hide what a role cannot do)."""

from ..permissions import EVERYONE, MANAGERS, OWNERS, checks

ALLOWED = {
    "create": EVERYONE,
    "add_note": EVERYONE,
    "edit_identity": EVERYONE,  # cashiers: not the sensitive fields (records.SENSITIVE)
    "edit_preferences": EVERYONE,
    "view_sensitive": MANAGERS,  # full phone, email, birth date, document number, addresses
    "edit_contacts": MANAGERS,
    "edit_addresses": MANAGERS,
    "change_status": MANAGERS,
    "delete": MANAGERS,
    "manage_tags": MANAGERS,
    "pin_note": MANAGERS,
    "view_activity": MANAGERS,
    "export": OWNERS,
}


can, require = checks(ALLOWED)
