"""Where a sale's receipt goes: the customer's preference unless the cashier chose
otherwise for this sale; email and SMS receipts are queued in the outbox with the sale."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db

from .. import outbox
from .. import validation as check
from ..errors import NotFound
from ..phones import optional_e164
from .models import SaleOrder


def default_channel(customer) -> str:
    """How a sale's receipt goes unless the cashier chooses otherwise for this sale."""
    return customer.receipt_delivery if customer else "print"


def destination(errors: dict, channel, typed, customer, order, merchant) -> str | None:
    """The address or phone for `channel`: typed at the till, else the customer's (or the
    walk-in's noted phone). Adds an error when there is none or it is malformed."""
    typed = typed.strip() if isinstance(typed, str) else ""
    field = "receipt_destination"
    if channel == "email":
        value = check.email(errors, field, typed, required=False) if typed else (customer.email if customer else None)
        missing = _("Give an email address for the receipt.")
    elif channel == "sms":
        on_file = customer.phone if customer else order.customer_phone
        value = optional_e164(errors, field, typed, merchant.phone_region) if typed else on_file
        missing = _("Give a phone number for the receipt.")
    else:
        return None
    if not value and field not in errors:
        errors[field] = missing
    return value


def queue(order, customer, merchant) -> None:
    """An email or SMS receipt in the customer's language (else the merchant's)."""
    if not order.sends_receipt:
        return
    locale = (customer.language if customer else None) or merchant.default_locale
    outbox.enqueue(order.merchant_id, order.receipt_channel, order.receipt_destination, "receipt", order.id,
                   locale=locale, customer_id=order.customer_id)  # fmt: skip


def by_token(token: str):
    """The paid order behind a receipt link, or NotFound (the link is the only key)."""
    order = db.session.scalar(select(SaleOrder).where(SaleOrder.receipt_token == token)) if len(token) >= 20 else None
    if order is None:
        raise NotFound()
    return order
