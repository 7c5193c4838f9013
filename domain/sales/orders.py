"""The till's sale: open it, attach a customer (or note a walk-in), add items, complete
it, and later void or refund it. Every change to an open sale first takes the sale's row
with a conditional write, so two screens on one sale run one at a time and a closed sale
can no longer change.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db

from .. import audit, outbox
from .. import validation as check
from ..customers import records
from ..customers.models import Customer
from ..errors import Conflict, Invalid, NotFound
from ..money import MAX_AMOUNT, to_minor
from ..phones import optional_e164
from ..sequences import next_value
from ..tenancy import get_scoped, record_id, scoped
from ..types import utcnow
from . import counters, receipts
from .models import PAYMENT_METHODS, RECEIPT_CHANNELS, OrderLine, SaleOrder
from .permissions import require

MAX_LINES = 200
MAX_QUANTITY = 9999


def business_date(merchant, at: datetime):
    return at.astimezone(ZoneInfo(merchant.time_zone)).date()


def open_sale(actor, *, customer_id=None, lines=()) -> SaleOrder:
    """A new sale at the actor's store, numbered per store and business day; an API client
    may give its customer and items at once (`lines` as `clean_line` takes them, prices
    in minor units), and gets all of it or, on any refusal, nothing."""
    require(actor, "sell")
    if actor.store_id is None:
        raise Invalid({"store": _("Choose the store you are working at first.")})
    merchant = actor.merchant
    items = [clean_line(line, merchant.currency) for line in _listed(lines)]
    if len(items) > MAX_LINES:
        raise Invalid({"lines": _("A sale holds at most %(count)d items.", count=MAX_LINES)})
    customer = _customer_for(actor, customer_id) if customer_id is not None else None
    now = utcnow()
    day = business_date(merchant, now)
    sequence = next_value(actor.merchant_id, f"order:{actor.store_id}:{day:%Y%m%d}")
    order = SaleOrder(
        merchant_id=actor.merchant_id,
        store_id=actor.store_id,
        cashier_id=actor.id,
        business_date=day,
        sequence=sequence,
        number=f"{day:%Y%m%d}-{actor.store_id}-{sequence:04d}",
        currency=merchant.currency,
        opened_at=now,
        customer=customer,
        lines=[OrderLine(position=position, **item) for position, item in enumerate(items, 1)],
    )
    _retotal(order)
    db.session.add(order)
    db.session.commit()
    return order


def _listed(lines) -> list:
    if not isinstance(lines, list | tuple) or not all(isinstance(line, dict) for line in lines):
        raise Invalid({"lines": _("Give a list of items.")})
    return list(lines)


def current_sale(actor) -> SaleOrder | None:
    """The actor's newest open sale at their store, if any."""
    return db.session.scalar(
        scoped(SaleOrder, actor.merchant_id)
        .where(SaleOrder.store_id == actor.store_id, SaleOrder.cashier_id == actor.id, SaleOrder.status == "open")
        .order_by(SaleOrder.opened_at.desc())
        .limit(1)
    )


def get_order(actor, order_id) -> SaleOrder:
    require(actor, "view_orders")
    return get_scoped(SaleOrder, order_id, actor.merchant_id)


def _take(actor, order_id, *, status: str = "open", new_status: str | None = None, add: dict | None = None,
          **values) -> SaleOrder:  # fmt: skip
    """The order, after a conditional write that holds only while it is in `status`: the
    row is then locked until commit. The write sets `values` and adds `add` to counting
    columns (an item moves the totals). NotFound for another merchant's order, Conflict
    when the sale has moved on."""
    require(actor, "view_orders")
    order_id = record_id(SaleOrder, order_id)
    add = add or {}
    parameters = {"order_id": order_id, "merchant": actor.merchant_id, "status": status,
                  "new_status": new_status or status, **_prefixed("set_", values),
                  **_prefixed("add_", add)}  # fmt: skip
    # RETURNING hands back the order as written: no second query for it. Its customer,
    # store and cashier load when used (often from the session already), its lines too.
    taken = db.session.scalars(
        _taking(tuple(values), tuple(add)),
        parameters,
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).one_or_none()
    if taken is None:
        db.session.rollback()
        get_order(actor, order_id)  # NotFound if it is not the merchant's
        raise Conflict(_("This sale is already closed."))
    return taken


def _prefixed(prefix: str, values: dict) -> dict:
    return {f"{prefix}{name}": value for name, value in values.items()}


@lru_cache(maxsize=32)
def _taking(sets: tuple[str, ...], adds: tuple[str, ...]):
    """The write that takes a sale, built once for each set of columns it changes: building
    it cost more than running it. Values are bound parameters (see `_take`)."""
    return (
        update(SaleOrder)
        .where(
            SaleOrder.id == bindparam("order_id"),
            SaleOrder.merchant_id == bindparam("merchant"),
            SaleOrder.status == bindparam("status"),
        )
        .values(
            version=SaleOrder.version + 1,
            status=bindparam("new_status"),
            **{name: bindparam(f"set_{name}") for name in sets},
            **{name: getattr(SaleOrder, name) + bindparam(f"add_{name}") for name in adds},
        )
        .returning(SaleOrder)
    )


@contextmanager
def _changing(actor, order_id, **take):
    """Takes the sale (see `_take`) for the block's changes, then commits them; any refusal
    inside rolls everything back, so no half-made change survives."""
    order = _take(actor, order_id, **take)
    try:
        yield order
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def _customer_for(actor, customer_id) -> Customer:
    customer = records.get_customer(actor, customer_id)
    if customer.status == "merged":
        raise NotFound()
    return customer


def attach_customer(actor, order_id, customer_id) -> SaleOrder:
    require(actor, "sell")
    return _set_customer(actor, order_id, _customer_for(actor, customer_id))


def detach_customer(actor, order_id) -> SaleOrder:
    require(actor, "sell")
    return _set_customer(actor, order_id, None)


def _set_customer(actor, order_id, customer: Customer | None) -> SaleOrder:
    """Written by the statement that takes the sale (a walk-in's noted name and phone go)."""
    customer_id = customer.id if customer else None
    order = _take(actor, order_id, customer_id=customer_id, customer_name=None, customer_phone=None)
    set_committed_value(order, "customer", customer)  # as written: nothing to load or flush
    db.session.commit()
    return order


def quick_create(actor, order_id, data: dict) -> SaleOrder:
    """A stub customer from a name and phone (email optional), attached to the sale in the
    same transaction. A phone or email already on file raises records.DuplicateContact,
    whose `existing` customer the till offers to attach instead."""
    require(actor, "sell")
    values = {field: data.get(field) for field in ("name", "phone", "email")}
    with _changing(actor, order_id) as order:
        order.customer = records.create_customer(actor, values, profile_level="stub", commit=False)
    return order


def note_walk_in(actor, order_id, name, phone) -> SaleOrder:
    """No customer record: only a name and phone kept on the sale, if the person gave them."""
    require(actor, "sell")
    errors: dict[str, str] = {}
    name = check.text(errors, "walk_in_name", name, max_length=200, required=False) or None
    phone = optional_e164(errors, "walk_in_phone", phone, actor.merchant.phone_region)
    if errors:
        raise Invalid(errors)
    with _changing(actor, order_id) as order:
        order.customer = None
        order.customer_name, order.customer_phone = name, phone
    return order


def clean_line(data: dict, currency: str, locale: str | None = None) -> dict:
    """An item's name, optional category, quantity and unit price: as typed in `locale`
    at the till, or (no locale, the API) as a whole number of minor units."""
    errors: dict[str, str] = {}
    name = check.text(errors, "name", data.get("name"), max_length=120)
    category = check.text(errors, "category", data.get("category"), max_length=60, required=False) or None
    quantity = data.get("quantity")
    quantity = check.whole_number(1 if quantity in (None, "") else quantity)  # a JSON 0 is refused, not read as 1
    if not quantity or quantity > MAX_QUANTITY:
        errors["quantity"] = _("Enter a quantity from 1 to %(most)d.", most=MAX_QUANTITY)
    if locale is None:
        unit_price = check.whole_number(data.get("unit_price"), maximum=MAX_AMOUNT)
        if unit_price is None:
            errors["unit_price"] = _("Give the price in minor units of the currency, like 1200.")
    else:
        try:
            unit_price = to_minor("unit_price", data.get("unit_price"), currency, locale)
        except Invalid as error:
            errors |= error.errors
    if errors:
        raise Invalid(errors)
    return {"name": name, "category": category, "quantity": quantity, "unit_price": unit_price}


def add_line(actor, order_id, data: dict, locale: str | None) -> tuple[SaleOrder, OrderLine]:
    """One item, as `clean_line` reads it: the sale and the line added to it."""
    require(actor, "sell")
    item = clean_line(data, actor.merchant.currency, locale)
    # The statement that takes the sale moves its totals too; under its lock, one more
    # reads the lines' count and last place, and one inserts the line. (Loading the lines
    # and flushing the new one through the session cost three times as much.)
    added = {"total": item["quantity"] * item["unit_price"], "item_count": item["quantity"]}
    with _changing(actor, order_id, add=added) as order:
        count, last = db.session.execute(_LINES_SO_FAR, {"order_id": order.id}).one()
        if count >= MAX_LINES:
            raise Invalid({"name": _("A sale holds at most %(count)d items.", count=MAX_LINES)})
        line = db.session.scalars(_ADD_LINE, [{"order_id": order.id, "position": last + 1, **item}]).one()
        db.session.expire(order, ["lines"])  # were they loaded, they would lack this one
    return order, line


_LINES_SO_FAR = select(func.count(), func.coalesce(func.max(OrderLine.position), 0)).where(
    OrderLine.order_id == bindparam("order_id")
)
_ADD_LINE = insert(OrderLine).returning(OrderLine)


def remove_line(actor, order_id, line_id) -> SaleOrder:
    require(actor, "sell")
    with _changing(actor, order_id) as order:
        line = next((line for line in order.lines if str(line.id) == str(line_id)), None)
        if line is None:
            raise NotFound()
        order.lines.remove(line)
        _retotal(order)
    return order


def _retotal(order: SaleOrder) -> None:
    order.total = sum(line.amount for line in order.lines)
    order.item_count = sum(line.quantity for line in order.lines)


def complete_sale(actor, order_id, payment_method, receipt_channel=None, receipt_destination=None) -> SaleOrder:
    """Paid: the customer's snapshot is kept on the order, their counters move in this
    transaction, and the receipt is queued in the outbox (sending happens after commit,
    so a mail server that is down never loses a sale). Read under the sale's lock, so no
    other screen changes its items or customer meanwhile."""
    require(actor, "sell")
    errors: dict[str, str] = {}
    check.choice(errors, "payment_method", payment_method, PAYMENT_METHODS)
    if receipt_channel:
        check.choice(errors, "receipt_channel", receipt_channel, RECEIPT_CHANNELS)
    if errors:
        raise Invalid(errors)
    with _changing(actor, order_id, new_status="paid", paid_at=utcnow(), payment_method=payment_method,
                   receipt_token=secrets.token_urlsafe(24)) as order:  # fmt: skip
        customer = order.customer
        order.receipt_channel = receipt_channel or receipts.default_channel(customer)
        order.receipt_destination = receipts.destination(errors, order.receipt_channel, receipt_destination,
                                                         customer, order, actor.merchant)  # fmt: skip
        if not order.item_count:
            errors["lines"] = _("Add at least one item before completing the sale.")
        if errors:
            raise Invalid(errors)
        if customer is not None:
            order.customer_name, order.customer_phone = customer.name, customer.phone
            counters.count_sale(customer.id, order.total, order.paid_at)
        receipts.queue(order, customer, actor.merchant)
        audit.record(actor, "order.paid", "order", order.id, {"total": [None, order.total]})
    return order


def void_sale(actor, order_id) -> SaleOrder:
    """An open sale is cancelled by whoever rang it up; a paid one only by a manager, and
    its customer's counters go back."""
    order = get_order(actor, order_id)
    if order.status == "paid":
        require(actor, "close_paid")
    else:
        require(actor, "sell")
    return _close(actor, order, "voided")


def refund_sale(actor, order_id) -> SaleOrder:
    require(actor, "close_paid")
    order = get_order(actor, order_id)
    if order.status != "paid":
        raise Conflict(_("Only a paid sale can be refunded."))
    return _close(actor, order, "refunded")


def _close(actor, order: SaleOrder, new_status: str) -> SaleOrder:
    was = order.status
    if was not in ("open", "paid"):
        raise Conflict(_("This sale is already closed."))
    with _changing(actor, order.id, status=was, new_status=new_status, closed_at=utcnow(),
                   closed_by_id=actor.id) as order:  # fmt: skip
        if was == "paid" and order.customer_id:
            counters.take_back_sale(order.customer_id, order.total)
        audit.record(actor, f"order.{new_status}", "order", order.id, {"status": [was, new_status]})
    return order


def register_walk_in(actor, order_id) -> SaleOrder:
    """A customer from a walk-in's noted name and phone, linked to the order (and counted,
    when the sale was paid)."""
    require(actor, "sell")
    order = get_order(actor, order_id)
    if not order.is_walk_in:
        raise Conflict(_("This sale already has a customer."))
    if not order.can_register_walk_in:
        raise Invalid({"walk_in_name": _("A walk-in needs a name and phone on the sale to be registered.")})
    with _changing(actor, order.id, status=order.status) as order:
        order.customer = records.create_customer(actor, {"name": order.customer_name, "phone": order.customer_phone},
                                                 profile_level="stub", commit=False)  # fmt: skip
        if order.status == "paid":
            counters.count_sale(order.customer.id, order.total, order.paid_at)
    return order


def send_receipt_again(actor, order_id, message_id) -> SaleOrder:
    """Makes one of the order's receipt messages due now (after a failure); returns the order."""
    require(actor, "resend_receipt")
    order = get_order(actor, order_id)
    if not any(message.id == message_id for message in outbox.messages_for(order.merchant_id, order.id)):
        raise NotFound()
    outbox.retry_now(order.merchant_id, message_id)
    return order
