"""A customer's purchase history (filtered, paginated) and what it says about them:
lifetime value, visits, average order, rhythm of visits, favourites, spending by month."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db

from ..customers import records
from ..errors import Invalid, NotFound
from ..merchants import Store
from ..outbox import OutboxMessage
from ..tenancy import get_scoped, scoped
from .models import STATUSES, OrderLine, SaleOrder
from .permissions import require

PER_PAGE = 20
MAX_PAGE = 10_000
FAVOURITES = 5
MONTHS = 12


@dataclass(frozen=True)
class HistoryFilters:
    since: date | None = None
    until: date | None = None
    store_id: int | None = None
    status: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args, merchant_id: int, *, since: str = "since", until: str = "until") -> HistoryFilters:
        """From the query string; a bad value is refused with its parameter's message.
        `since` and `until` name the date parameters (the API says start_date, end_date)."""
        errors: dict[str, str] = {}
        since, until = _date(errors, since, args.get(since)), _date(errors, until, args.get(until))
        store_id = _store(errors, (args.get("store") or "").strip(), merchant_id)
        status = (args.get("status") or "").strip() or None
        if status and status not in STATUSES:
            errors["status"] = _("Choose one of the listed options.")
        page = args.get("page", "1")
        page = int(page) if str(page).isdigit() and 0 < int(page) <= MAX_PAGE else None
        if page is None:
            errors["page"] = _("There is no such page.")
        if errors:
            raise Invalid(errors)
        return cls(since, until, store_id, status, page)

    @property
    def is_set(self) -> bool:
        return any((self.since, self.until, self.store_id, self.status))


def _store(errors, value: str, merchant_id: int) -> int | None:
    if not value:
        return None
    try:
        return get_scoped(Store, value, merchant_id).id
    except NotFound:
        errors["store"] = _("Choose one of the listed options.")
        return None


def _date(errors, name, value) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = _("Enter a date like 2026-04-30.")
        return None


@dataclass(frozen=True)
class HistoryPage:
    orders: list
    total: int
    page: int
    per_page: int
    receipts: dict = field(default_factory=dict)  # order id → its latest receipt message

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def purchase_history(actor, customer_id, filters: HistoryFilters, per_page: int = PER_PAGE,
                     offset: int | None = None) -> HistoryPage:  # fmt: skip
    """The customer's orders (not open sales), newest first: the filters' page of them, or
    `per_page` from `offset` (the API's paging)."""
    require(actor, "view_orders")
    customer = records.get_customer(actor, customer_id, include_deleted=True)
    zone = ZoneInfo(actor.merchant.time_zone)
    query = scoped(SaleOrder, actor.merchant_id).where(SaleOrder.customer_id == customer.id,
                                                        SaleOrder.paid_at.is_not(None))  # fmt: skip
    if filters.since:
        query = query.where(SaleOrder.paid_at >= datetime.combine(filters.since, time(), zone))
    if filters.until:
        query = query.where(SaleOrder.paid_at < datetime.combine(filters.until + timedelta(days=1), time(), zone))
    if filters.store_id:
        query = query.where(SaleOrder.store_id == filters.store_id)
    if filters.status:
        query = query.where(SaleOrder.status == filters.status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    offset = (filters.page - 1) * per_page if offset is None else offset
    page = query.order_by(SaleOrder.paid_at.desc(), SaleOrder.id.desc()).limit(per_page).offset(offset)
    orders = db.session.scalars(page.options(selectinload(SaleOrder.lines))).all()  # the API shows them
    return HistoryPage(list(orders), total, filters.page, per_page, _receipts(actor, orders))


def _receipts(actor, orders) -> dict:
    """The receipt message of each order on the page, in one query."""
    ids = [str(order.id) for order in orders if order.sends_receipt]
    if not ids:
        return {}
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.merchant_id == actor.merchant_id,
                                                              OutboxMessage.subject_id.in_(ids))
                                  .order_by(OutboxMessage.id))  # fmt: skip
    return {message.subject_id: message for message in messages}


@dataclass(frozen=True)
class Summary:
    lifetime_value: int
    visits: int
    average_order: int | None
    days_between_visits: float | None
    favourite_items: list[tuple[str, int]] = field(default_factory=list)
    favourite_categories: list[tuple[str, int]] = field(default_factory=list)
    monthly: list[tuple[date, int]] = field(default_factory=list)  # first day of month, amount


def customer_summary(actor, customer, today: date | None = None) -> Summary:
    """From the maintained counters and the paid orders' lines."""
    require(actor, "view_orders")
    visits, spent = customer.total_visits, customer.total_spent
    first, last = customer.first_visit_at, customer.last_visit_at
    between = (last - first).total_seconds() / 86400 / (visits - 1) if visits > 1 and first and last else None
    paid = (SaleOrder.merchant_id == actor.merchant_id, SaleOrder.customer_id == customer.id,
            SaleOrder.status == "paid")  # fmt: skip
    amount = func.sum(OrderLine.quantity * OrderLine.unit_price)
    items = db.session.execute(
        select(OrderLine.name, func.sum(OrderLine.quantity).label("quantity")).join(SaleOrder).where(*paid)
        .group_by(OrderLine.name).order_by(func.sum(OrderLine.quantity).desc(), OrderLine.name).limit(FAVOURITES)
    ).all()  # fmt: skip
    categories = db.session.execute(
        select(OrderLine.category, amount).join(SaleOrder).where(*paid, OrderLine.category.is_not(None))
        .group_by(OrderLine.category).order_by(amount.desc(), OrderLine.category).limit(FAVOURITES)
    ).all()  # fmt: skip
    return Summary(
        lifetime_value=spent,
        visits=visits,
        average_order=round(spent / visits) if visits else None,
        days_between_visits=between,
        favourite_items=[(row[0], int(row[1])) for row in items],
        favourite_categories=[(row[0], int(row[1])) for row in categories],
        monthly=_monthly(actor, customer, paid, today),
    )


def _monthly(actor, customer, paid, today: date | None) -> list[tuple[date, int]]:
    """Spending in each of the last twelve months (the merchant's calendar), oldest first."""
    zone = ZoneInfo(actor.merchant.time_zone)
    today = today or datetime.now(zone).date()
    months = [_month_start(today, back) for back in range(MONTHS - 1, -1, -1)]
    since = datetime.combine(months[0], time(), zone)
    rows = db.session.execute(select(SaleOrder.paid_at, SaleOrder.total).where(*paid, SaleOrder.paid_at >= since))
    totals: Counter = Counter()
    for paid_at, total in rows:
        local = paid_at.astimezone(zone).date()
        totals[local.replace(day=1)] += total
    return [(month, totals[month]) for month in months]


def _month_start(today: date, months_back: int) -> date:
    index = today.year * 12 + today.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)
