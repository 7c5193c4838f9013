"""Sending a sale's receipt after the response is decided, as configured (OUTBOX_DELIVERY):
beside the request in a thread, inside it, or left to the `flask outbox run` worker."""

import threading

from flask import current_app

from domain import outbox
from domain.transports import transports_from


def send_soon(order) -> None:
    mode = current_app.config["OUTBOX_DELIVERY"]
    if not order.sends_receipt or mode == "worker":
        return
    pending = [message.id for message in outbox.messages_for(order.merchant_id, order.id)
               if message.status == "pending"]  # fmt: skip
    app = current_app._get_current_object()
    if mode == "inline":
        _deliver(app, pending)
    else:
        threading.Thread(target=_deliver_in_context, args=(app, pending), daemon=True).start()


def _deliver_in_context(app, message_ids) -> None:
    with app.app_context():
        _deliver(app, message_ids)


def _deliver(app, message_ids) -> None:
    transports = transports_from(app.config)
    for message_id in message_ids:
        outbox.deliver(message_id, transports)
