"""What the sale screens' templates share: the role checks, labels, and contact display."""

from domain.customers.presentation import email_for, phone_for
from domain.sales.permissions import can
from web.actor import current_actor
from web.customer_facts import facts_for

from . import labels


def sale_context() -> dict:
    actor = current_actor()
    return {
        "can": lambda action: can(actor, action),
        "sale_labels": labels,
        "phone": lambda value: phone_for(actor, value),
        "email": lambda value: email_for(actor, value),
        "customer_facts": facts_for(actor),
    }
