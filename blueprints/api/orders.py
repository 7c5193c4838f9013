"""/api/v1/orders: another terminal opens a sale, attaches its customer and completes it,
through the till's own domain functions."""

from dataclasses import replace

from flask import url_for
from flask_babel import gettext as _

from domain.errors import Invalid
from domain.merchants import working_store
from domain.sales import orders
from web.outbox import send_soon

from . import representations as show
from .core import actor, answer, body, bp, idempotent


def _order(record, status: int = 200):
    location = url_for("api.get_order", order_id=record.id) if status == 201 else None
    return answer(show.order(actor(), record), record, status, location)


@bp.post("/orders")
@idempotent
def open_order():
    data = body(("store_id", "customer_id", "lines"))
    store = working_store(actor(), data.get("store_id"))
    seller = replace(actor(), store_id=store.id)
    order = orders.open_sale(seller, customer_id=data.get("customer_id"), lines=data.get("lines") or [])
    return _order(order, 201)


@bp.get("/orders/<order_id>")
def get_order(order_id):
    return _order(orders.get_order(actor(), order_id))


@bp.post("/orders/<order_id>/customer")
@idempotent
def set_order_customer(order_id):
    """{"customer_id": id} attaches (or changes) the customer; {"customer_id": null} detaches."""
    data = body(("customer_id",))
    if "customer_id" not in data:  # a misspelt field must not detach
        raise Invalid({"customer_id": _("This field is required.")})
    customer_id = data["customer_id"]
    if customer_id is None:
        return _order(orders.detach_customer(actor(), order_id))
    return _order(orders.attach_customer(actor(), order_id, customer_id))


@bp.post("/orders/<order_id>/complete")
@idempotent
def complete_order(order_id):
    data = body(("payment_method", "receipt_channel", "receipt_destination"))
    order = orders.complete_sale(actor(), order_id, data.get("payment_method"), data.get("receipt_channel"),
                                 data.get("receipt_destination"))  # fmt: skip
    send_soon(order)
    return _order(order)
