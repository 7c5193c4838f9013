"""How a customer's contact data is shown to a given actor: whole, or masked for cashiers."""

from .. import phones
from .permissions import can


def phone_for(actor, e164: str | None) -> str:
    if not e164:
        return ""
    if can(actor, "view_sensitive"):
        return phones.display(e164, actor.merchant.phone_region)
    return phones.masked(e164)


def email_for(actor, email: str | None) -> str:
    if not email:
        return ""
    if can(actor, "view_sensitive"):
        return email
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"
