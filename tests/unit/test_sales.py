"""Sales in the domain: counters that stay exact, voids and refunds, roles, recompute."""

import multiprocessing
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from domain.customers import contacts
from domain.customers.models import ContactPoint, Customer
from domain.customers.search_models import NEVER, CustomerTerm
from domain.errors import Conflict, Forbidden, Invalid, NotFound
from domain.sales import counters, history, orders
from domain.sales.models import SaleOrder
from domain.types import utcnow
from extensions import db
from tests.factories import actor_for, make_customer


def ring_up(actor, customer_id=None, prices=(500,), complete=True, channel="none"):
    """One sale at the actor's store: its items, optionally its customer, and paid."""
    order = orders.open_sale(actor)
    if customer_id:
        orders.attach_customer(actor, order.id, customer_id)
    for price in prices:
        orders.add_line(actor, order.id, {"name": "Item", "quantity": "1", "unit_price": str(price)}, "en")
    if complete:
        orders.complete_sale(actor, order.id, "cash", channel)
    return order.id


def counters_of(customer_id):
    customer = db.session.get(Customer, customer_id, populate_existing=True)
    return customer.total_spent, customer.total_visits


def test_completion_void_and_refund_keep_the_counters_exact(app, world):
    with app.test_request_context():
        cashier = actor_for(world.cashier, world.store_id)
        manager = actor_for(world.manager, world.store_id)
        customer_id = make_customer(world).id
        first = ring_up(cashier, customer_id, (500, 700))
        second = ring_up(cashier, customer_id, (300,))
        assert counters_of(customer_id) == (1500, 2)
        orders.refund_sale(manager, second)
        assert counters_of(customer_id) == (1200, 1)
        customer = db.session.get(Customer, customer_id)
        assert customer.last_visit_at == db.session.get(SaleOrder, first).paid_at  # back to the earlier sale
        assert _search_copies(customer_id) == {customer.last_visit_at}  # the search ranks by the same
        orders.void_sale(manager, first)
        assert counters_of(customer_id) == (0, 0)
        assert db.session.get(Customer, customer_id).last_visit_at is None
        assert _search_copies(customer_id) == {NEVER}
        assert counters.find_drift() == []


def test_an_open_sale_is_voided_by_its_cashier_but_a_paid_one_only_by_a_manager(app, world):
    with app.test_request_context():
        cashier = actor_for(world.cashier, world.store_id)
        open_one = ring_up(cashier, complete=False)
        assert orders.void_sale(cashier, open_one).status == "voided"
        paid = ring_up(cashier)
        for attempt in (lambda: orders.void_sale(cashier, paid), lambda: orders.refund_sale(cashier, paid)):
            with pytest.raises(Forbidden):
                attempt()
        assert db.session.get(SaleOrder, paid).status == "paid"
        owner = actor_for(world.owner, world.store_id)
        orders.refund_sale(owner, paid)
        with pytest.raises(Conflict):
            orders.refund_sale(owner, paid)


def test_every_role_sells_and_reads_history(app, world):
    with app.test_request_context():
        customer_id = make_customer(world).id
        for role in ("owner", "manager", "cashier"):
            actor = actor_for(world.staff(role), world.store_id)
            ring_up(actor, customer_id)
            page = history.purchase_history(actor, customer_id, history.HistoryFilters())
            assert page.total == len(page.orders)
        assert counters_of(customer_id) == (1500, 3)


def test_a_sale_needs_a_store_and_numbers_run_per_store_and_day(app, world):
    with app.test_request_context():
        with pytest.raises(Invalid):
            orders.open_sale(actor_for(world.cashier))
        here, there = actor_for(world.cashier, world.store_id), actor_for(world.cashier, world.other_store_id)
        numbers = [orders.open_sale(actor).number for actor in (here, here, there)]
        day = orders.business_date(here.merchant, utcnow())
        assert numbers == [f"{day:%Y%m%d}-{world.store_id}-0001", f"{day:%Y%m%d}-{world.store_id}-0002",
                           f"{day:%Y%m%d}-{world.other_store_id}-0001"]  # fmt: skip


def test_items_move_the_total_and_a_full_sale_refuses_one_more_unchanged(app, world, monkeypatch):
    monkeypatch.setattr(orders, "MAX_LINES", 2)
    with app.test_request_context():
        cashier = actor_for(world.cashier, world.store_id)
        order_id = ring_up(cashier, prices=(500, 250), complete=False)
        with pytest.raises(Invalid):
            orders.add_line(cashier, order_id, {"name": "One more", "quantity": "3", "unit_price": "100"}, "en")
        order = db.session.get(SaleOrder, order_id, populate_existing=True)
        assert (order.total, order.item_count, [line.amount for line in order.lines]) == (750, 2, [500, 250])
        orders.remove_line(cashier, order_id, order.lines[0].id)
        orders.add_line(cashier, order_id, {"name": "Two", "quantity": "2", "unit_price": "120"}, "en")
        order = db.session.get(SaleOrder, order_id, populate_existing=True)
        assert (order.total, order.item_count, [line.position for line in order.lines]) == (490, 3, [2, 3])


def test_another_merchants_orders_and_customers_are_not_found(app, world, other_world):
    with app.test_request_context():
        theirs = ring_up(actor_for(other_world.cashier, other_world.store_id))
        their_customer = make_customer(other_world, phone="0912 345 678").id
        mine = actor_for(world.manager, world.store_id)
        for attempt in (
            lambda: orders.get_order(mine, theirs),
            lambda: orders.refund_sale(mine, theirs),
            lambda: orders.add_line(mine, theirs, {"name": "x", "unit_price": "1"}, "en"),
            lambda: orders.attach_customer(mine, ring_up(mine, complete=False), their_customer),
            lambda: history.purchase_history(mine, their_customer, history.HistoryFilters()),
        ):
            with pytest.raises(NotFound):
                attempt()


def test_history_filters_and_pages(app, world):
    with app.test_request_context():
        cashier = actor_for(world.cashier, world.store_id)
        elsewhere = actor_for(world.cashier, world.other_store_id)
        customer_id = make_customer(world).id
        for price in range(1, 26):
            ring_up(cashier, customer_id, (price,))
        ring_up(elsewhere, customer_id, (1000,))
        everything = history.purchase_history(cashier, customer_id, history.HistoryFilters())
        assert (everything.total, len(everything.orders), everything.pages) == (26, 20, 2)
        assert everything.orders[0].total == 1000  # newest first
        last_page = history.purchase_history(cashier, customer_id, history.HistoryFilters(page=2))
        assert len(last_page.orders) == 6
        other_store = history.HistoryFilters.from_args({"store": str(world.other_store_id)}, world.merchant_id)
        assert [o.total for o in history.purchase_history(cashier, customer_id, other_store).orders] == [1000]
        tomorrow = date.fromordinal(orders.business_date(cashier.merchant, utcnow()).toordinal() + 1)
        future = history.HistoryFilters.from_args({"since": tomorrow.isoformat()}, world.merchant_id)
        assert history.purchase_history(cashier, customer_id, future).total == 0
        for bad in ({"since": "30/04/2026"}, {"store": "999999"}, {"status": "lost"}, {"page": "0"}):
            with pytest.raises(Invalid):
                history.HistoryFilters.from_args(bad, world.merchant_id)


def test_summary_from_orders(app, world):
    with app.test_request_context():
        cashier = actor_for(world.cashier, world.store_id)
        customer_id = make_customer(world).id
        for items in ([("Latte", "Drinks", 480), ("Croissant", "Bakery", 280)], [("Latte", "Drinks", 480)]):
            order = orders.open_sale(cashier)
            orders.attach_customer(cashier, order.id, customer_id)
            for name, category, price in items:
                orders.add_line(cashier, order.id, {"name": name, "category": category, "unit_price": str(price)}, "en")
            orders.complete_sale(cashier, order.id, "card", "none")
        customer = db.session.get(Customer, customer_id)
        summary = history.customer_summary(cashier, customer)
        assert (summary.lifetime_value, summary.visits, summary.average_order) == (1240, 2, 620)
        assert summary.favourite_items == [("Latte", 2), ("Croissant", 1)]
        assert summary.favourite_categories == [("Drinks", 960), ("Bakery", 280)]
        assert len(summary.monthly) == 12 and summary.monthly[-1][1] == 1240
        assert summary.monthly[-1][0] == orders.business_date(cashier.merchant, utcnow()).replace(day=1)


def test_recompute_finds_and_repairs_drift(app, world):
    with app.test_request_context():
        customer_id = make_customer(world).id
        ring_up(actor_for(world.cashier, world.store_id), customer_id, (900,))
        assert counters.find_drift() == []
        long_ago = datetime(2001, 1, 1, tzinfo=UTC)
        db.session.execute(Customer.__table__.update().values(total_spent=1, last_visit_at=long_ago))
        db.session.execute(ContactPoint.__table__.update().values(last_visit_at=long_ago))
        db.session.commit()
        drift = counters.find_drift()
        assert [(d.stored[0], d.recomputed[0]) for d in drift] == [(1, 900)]
        assert counters.repair() == 1
        assert counters.find_drift() == [] and counters_of(customer_id) == (900, 1)
        assert _search_copies(customer_id) == {db.session.get(Customer, customer_id).last_visit_at}


def test_a_further_phone_carries_the_customers_last_visit(app, world):
    with app.test_request_context():
        customer_id = make_customer(world).id
        ring_up(actor_for(world.cashier, world.store_id), customer_id)
        contacts.add_contact_point(actor_for(world.manager), customer_id, "phone", "080-7777-5678", "home")
        assert _search_copies(customer_id) == {db.session.get(Customer, customer_id).last_visit_at}


def _search_copies(customer_id) -> set:
    """The last visits the search keys carry: the name terms', the phones' and the emails'."""
    terms = select(CustomerTerm.last_visit_at).where(CustomerTerm.customer_id == customer_id)
    points = select(ContactPoint.last_visit_at).where(ContactPoint.customer_id == customer_id)
    return set(db.session.scalars(terms.union_all(points)))


def _complete_many(database_url, cashier_id, store_id, customer_id, count):
    """In its own process: `count` sales of 100 for one customer, each as fast as it can."""
    from domain.actors import Actor
    from domain.staff import StaffUser
    from tests.conftest import build_app

    app = build_app(database_url)
    with app.test_request_context():
        actor = Actor(db.session.get(StaffUser, cashier_id), store_id=store_id)
        for _ in range(count):
            ring_up(actor, customer_id, (100,))
        db.engine.dispose()


def test_tills_completing_sales_for_one_customer_at_once_count_every_sale(app, database_url, world):
    with app.app_context():
        customer_id = make_customer(world).id
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.starmap(_complete_many, [(database_url, world.cashier.id, world.store_id, customer_id, 10)] * 4)
    with app.app_context():
        assert counters_of(customer_id) == (4000, 40)
        assert counters.find_drift() == []
        numbers = db.session.scalars(select(SaleOrder.sequence).where(SaleOrder.store_id == world.store_id))
        assert sorted(numbers) == list(range(1, 41))
