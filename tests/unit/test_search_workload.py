"""The benchmark's workload, on a few thousand generated customers: every query finds the
customer it must (typos at least 95 %), so the benchmark measures correct answers."""

import uuid
from collections import defaultdict

from bench.search import build_workload, load_rows
from domain.customers.search import search
from domain.demo import ensure_demo
from domain.demo_customers import add_demo_customers
from tests.factories import Staff, actor_for


def test_every_query_kind_finds_its_customer(app, database_url):
    with app.app_context():
        (sakura, staff), (lotus, _) = ensure_demo()
        add_demo_customers(sakura, 3000, orders_per_customer=2)
        add_demo_customers(lotus, 500, orders_per_customer=2)  # a second merchant, never to be returned
        cashier = Staff(staff[2].id, staff[2].email, "cashier")
    workload = build_workload(load_rows(database_url), per_kind=25)
    outcomes = defaultdict(list)
    with app.app_context():
        actor = actor_for(cashier)
        for kind, query, expected in workload:
            ids = [str(hit.customer.id) for hit in search(actor, query).hits]
            outcomes[kind].append(ids == [] if expected is None else str(uuid.UUID(expected)) in ids)
    rates = {kind: sum(results) / len(results) for kind, results in outcomes.items()}
    assert rates.pop("name, one typo") >= 0.95
    assert rates == dict.fromkeys(rates, 1.0), {kind: rate for kind, rate in rates.items() if rate < 1}
