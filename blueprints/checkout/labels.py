"""Translated labels for sales: payment methods, statuses, receipt channels, outcomes."""

from flask_babel import lazy_gettext as _l

from blueprints.customers.labels import RECEIPT_DELIVERIES

PAYMENT_METHODS = {"cash": _l("Cash"), "card": _l("Card"), "wallet": _l("QR / wallet"), "other": _l("Other")}
ORDER_STATUSES = {"open": _l("Open"), "paid": _l("Paid"), "voided": _l("Voided"), "refunded": _l("Refunded")}
RECEIPT_CHANNELS = RECEIPT_DELIVERIES
MESSAGE_STATUSES = {"pending": _l("Waiting to send"), "sending": _l("Sending"), "sent": _l("Sent"),
                    "failed": _l("Not delivered")}  # fmt: skip
OUTCOMES = {"sent": _l("Sent"), "failed": _l("Failed")}
