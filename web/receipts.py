"""What a receipt says, composed when the outbox sends it: in the customer's language, with
the merchant's currency and time zone, as HTML and plain text for email, short for SMS."""

import uuid
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from domain.outbox import Composed
from domain.sales.models import SaleOrder
from extensions import db


def receipt_link(order) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/r/{order.receipt_token}"


def receipt_context(order, merchant, locale: str) -> dict:
    paid = format_datetime(order.paid_at, "medium", tzinfo=ZoneInfo(merchant.time_zone), locale=locale)
    return {"order": order, "merchant": merchant, "store": order.store, "paid": paid, "link": receipt_link(order)}


def compose_receipt(message) -> Composed:
    order = db.session.get(SaleOrder, uuid.UUID(message.subject_id))
    if order is None or order.merchant_id != message.merchant_id:
        raise LookupError(f"no order {message.subject_id}")
    merchant = order.merchant
    with force_locale(message.locale):
        context = receipt_context(order, merchant, message.locale)
        subject = _("Your receipt from %(store)s", store=merchant.name)
        if message.channel == "sms":
            return Composed(subject, render_template("receipts/sms.txt", **context).strip())
        text = render_template("receipts/email.txt", **context)
        html = render_template("receipts/email.html", **context)
    return Composed(subject, text, html)
