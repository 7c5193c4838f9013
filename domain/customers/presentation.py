"""How a customer's contact data is shown to a given actor: whole, or masked for cashiers."""

from .. import phones
from .permissions import can


def phone_for(actor, e164: str | None, *, formatted: bool = True) -> str:
    """Whole for those who may see it (as people write it, or as stored: E.164), else masked."""
    if not e164:
        return ""
    if can(actor, "view_sensitive"):
        return phones.display(e164, actor.merchant.phone_region) if formatted else e164
    return phones.masked(e164)


def email_for(actor, email: str | None) -> str:
    if not email:
        return ""
    if can(actor, "view_sensitive"):
        return email
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
