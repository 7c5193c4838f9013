"""An order after the till: its detail and receipt deliveries, the printable receipt,
voids and refunds, registering a walk-in, sending a receipt again."""

from flask import Blueprint, url_for

from blueprints.checkout.context import sale_context
from domain import outbox
from domain.errors import Invalid
from domain.sales import orders
from web.actor import current_actor
from web.outbox import send_soon
from web.rendering import redirect_to, render

bp = Blueprint("orders", __name__, url_prefix="/orders")
bp.context_processor(sale_context)


@bp.get("/<order_id>")
def detail(order_id, problems=(), status=200):
    actor = current_actor()
    order = orders.get_order(actor, order_id)
    messages = outbox.messages_for(order.merchant_id, order.id) if order.sends_receipt else []
    return render("orders/detail.html", order=order, customer=order.customer, messages=messages, problems=problems,
                  status=status)  # fmt: skip


@bp.get("/<order_id>/receipt")
def receipt(order_id):
    order = orders.get_order(current_actor(), order_id)
    return render("receipts/receipt.html", order=order, merchant=order.merchant)


@bp.post("/<order_id>/void")
def void(order_id):
    orders.void_sale(current_actor(), order_id)
    return redirect_to(url_for("orders.detail", order_id=order_id))


@bp.post("/<order_id>/refund")
def refund(order_id):
    orders.refund_sale(current_actor(), order_id)
    return redirect_to(url_for("orders.detail", order_id=order_id))


@bp.post("/<order_id>/register")
def register(order_id):
    try:
        order = orders.register_walk_in(current_actor(), order_id)
    except Invalid as invalid:
        return detail(order_id, problems=list(invalid.errors.values()), status=422)
    return redirect_to(url_for("customers.profile", customer_id=order.customer_id, tab="purchases"))


@bp.post("/<order_id>/messages/<int(max=2147483647):message_id>/retry")
def retry(order_id, message_id):
    order = orders.send_receipt_again(current_actor(), order_id, message_id)
    send_soon(order)
    return redirect_to(url_for("orders.detail", order_id=order.id))
