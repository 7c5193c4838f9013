"""A customer's maintained counters (total spent, visits, first and last visit) and the
search keys' copies of the last visit, defined once: from the customer's paid orders.

A sale changes them in its own transaction, with one UPDATE that moves every counter
relative to the row's current values under its row lock (PostgreSQL) or the database's
write lock (SQLite), so two tills completing sales for one customer at once both count.
Taking a sale back reads the visit dates again from the orders, under the same lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, func, or_, select, update

from extensions import db

from ..customers.models import ContactPoint, Customer
from ..customers.search_models import NEVER, NEVER_IN_SQL, CustomerTerm
from ..types import UTCDateTime
from .models import SaleOrder

customers = Customer.__table__  # plain UPDATEs: counters never bump the edit version

_PAID = and_(SaleOrder.customer_id == customers.c.id, SaleOrder.status == "paid")
# What each counter is: a correlated subquery over the customer's paid orders.
FROM_ORDERS = {
    "total_spent": select(func.coalesce(func.sum(SaleOrder.total), 0)).where(_PAID).scalar_subquery(),
    "total_visits": select(func.count()).where(_PAID).scalar_subquery(),
    "first_visit_at": select(func.min(SaleOrder.paid_at)).where(_PAID).scalar_subquery(),
    "last_visit_at": select(func.max(SaleOrder.paid_at)).where(_PAID).scalar_subquery(),
}
COUNTERS = tuple(FROM_ORDERS)


def count_sale(customer_id, total: int, paid_at) -> None:
    """One more sale of `total`, paid at `paid_at`; the caller commits. One UPDATE under the
    row lock: both counts move and the visit dates widen to include this sale, whatever
    other tills commit meanwhile."""
    last = db.session.execute(_ADD_SALE, {"customer": customer_id, "total": total, "paid_at": paid_at}).scalar_one()
    _copy_last_visit(customer_id, last)


def take_back_sale(customer_id, total: int) -> None:
    """One sale of `total` fewer (voided or refunded); the caller commits. It may have been
    the first or the last visit, so the dates are read back from the orders, under the
    lock the first statement took."""
    values = {"customer": customer_id, "total": total}
    db.session.execute(_TAKE_BACK_SALE, values)
    _copy_last_visit(customer_id, db.session.execute(_VISIT_DATES_FROM_ORDERS, values).scalar_one())


def _copy_last_visit(customer_id, last_visit_at) -> None:
    """To the search keys, which find the most recent visitors by it; and a customer
    already loaded in this session reads its counters again when next used."""
    for statement in _COPIES_OF_LAST_VISIT:
        db.session.execute(statement, {"customer": customer_id, "last_visit_at": last_visit_at or NEVER})
    customer = db.session.identity_map.get(db.session.identity_key(Customer, customer_id))
    if customer is not None:
        db.session.expire(customer, list(COUNTERS))


def _earlier(column, value):
    return case((or_(column.is_(None), column > value), value), else_=column)


def _later(column, value):
    return case((or_(column.is_(None), column < value), value), else_=column)


# Prebuilt: a sale at the till should not pay for making SQL.
_PAID_AT = bindparam("paid_at", type_=UTCDateTime())
_THIS_CUSTOMER = customers.c.id == bindparam("customer")
_ADD_SALE = (
    update(customers)
    .where(_THIS_CUSTOMER)
    .values(
        total_spent=customers.c.total_spent + bindparam("total"),
        total_visits=customers.c.total_visits + 1,
        first_visit_at=_earlier(customers.c.first_visit_at, _PAID_AT),
        last_visit_at=_later(customers.c.last_visit_at, _PAID_AT),
    )
    .returning(customers.c.last_visit_at)
)
_TAKE_BACK_SALE = (
    update(customers)
    .where(_THIS_CUSTOMER)
    .values(total_spent=customers.c.total_spent - bindparam("total"), total_visits=customers.c.total_visits - 1)
)
_VISIT_DATES_FROM_ORDERS = (
    update(customers)
    .where(_THIS_CUSTOMER)
    .values(first_visit_at=FROM_ORDERS["first_visit_at"], last_visit_at=FROM_ORDERS["last_visit_at"])
    .returning(customers.c.last_visit_at)
)
_SEARCH_KEYS = (CustomerTerm.__table__, ContactPoint.__table__)  # each with the customer's last visit
_COPIES_OF_LAST_VISIT = [
    update(keys)
    .where(keys.c.customer_id == bindparam("customer"))
    .values(last_visit_at=bindparam("last_visit_at", type_=UTCDateTime()))
    for keys in _SEARCH_KEYS
]


@dataclass(frozen=True)
class Drift:
    customer_id: object
    customer_number: str
    stored: tuple
    recomputed: tuple


_DRIFTED = db.or_(*[getattr(customers.c, name).is_distinct_from(FROM_ORDERS[name]) for name in COUNTERS])


def find_drift(merchant_id: int | None = None, limit: int = 1000) -> list[Drift]:
    """Customers whose stored counters differ from their orders (at most `limit`)."""
    stored = [getattr(customers.c, name) for name in COUNTERS]
    query = select(customers.c.id, customers.c.customer_number, *stored, *FROM_ORDERS.values()).where(_DRIFTED)
    if merchant_id is not None:
        query = query.where(customers.c.merchant_id == merchant_id)
    rows = db.session.execute(query.limit(limit))
    return [Drift(row[0], row[1], tuple(row[2:6]), tuple(row[6:10])) for row in rows]


def repair(merchant_id: int | None = None) -> int:
    """Rewrites every drifted customer's counters from its orders, and the search keys'
    copies of the last visit; returns how many customers were repaired."""
    query = update(customers).where(_DRIFTED).values(**FROM_ORDERS)
    if merchant_id is not None:
        query = query.where(customers.c.merchant_id == merchant_id)
    repaired = db.session.execute(query).rowcount
    for keys in _SEARCH_KEYS:
        last = func.coalesce(select(customers.c.last_visit_at).where(customers.c.id == keys.c.customer_id)
                             .scalar_subquery(), NEVER_IN_SQL)  # fmt: skip
        copies = update(keys).where(keys.c.last_visit_at.is_distinct_from(last)).values(last_visit_at=last)
        if merchant_id is not None:
            copies = copies.where(keys.c.merchant_id == merchant_id)
        db.session.execute(copies)
    db.session.commit()
    return repaired
