"""/api/v1/orders: another terminal opens a sale, attaches its customer and completes it;
the customer's counters and history follow, and a closed sale no longer changes."""

import pytest
from sqlalchemy import func, select

from domain.sales.models import SaleOrder
from extensions import db
from tests.factories import make_customer

from .conftest import error_of


@pytest.fixture
def customer(app, world):
    with app.app_context():
        return str(make_customer(world, name="Tanaka Taro").id)


def count_orders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SaleOrder))


LINES = [{"name": "Latte", "unit_price": 550, "quantity": 2}, {"name": "Scone", "category": "Food", "unit_price": 300}]


def test_a_sale_is_opened_with_its_items_and_customer_then_completed(app, api, world, customer):
    client = api("cashier")
    opened = client.post("/orders", json={"store_id": world.store_id, "customer_id": customer, "lines": LINES})
    assert opened.status_code == 201
    order = opened.get_json()
    assert opened.headers["Location"].endswith(f"/api/v1/orders/{order['id']}")
    assert (order["status"], order["store_id"], order["currency"], order["total"], order["item_count"]) == (
        "open", world.store_id, "JPY", 1400, 3)  # fmt: skip
    lines = [(line["name"], line["quantity"], line["amount"]) for line in order["lines"]]
    assert lines == [("Latte", 2, 1100), ("Scone", 1, 300)]
    assert order["customer"]["id"] == customer and order["customer"]["customer_number"] == "CUST-000001"
    assert client.get(f"/orders/{order['id']}").get_json() == order
    paid = client.post(f"/orders/{order['id']}/complete", json={"payment_method": "card", "receipt_channel": "none"})
    assert paid.status_code == 200
    assert (paid.get_json()["status"], paid.get_json()["payment_method"]) == ("paid", "card")
    assert paid.get_json()["paid_at"] is not None and paid.get_json()["customer_name"] == "Tanaka Taro"
    profile = client.get(f"/customers/{customer}").get_json()
    assert (profile["total_spent"], profile["total_visits"]) == (1400, 1) and profile["last_visit_at"]


def test_a_sale_is_paid_even_when_its_email_receipt_cannot_be_sent(app, api, world):
    with app.app_context():
        customer = str(make_customer(world, name="Tanaka Taro", email="taro@example.com").id)
    client = api("cashier")
    order = client.post("/orders", json={"store_id": world.store_id, "customer_id": customer, "lines": LINES})
    path = f"/orders/{order.get_json()['id']}/complete"
    paid = client.post(path, json={"payment_method": "cash", "receipt_channel": "email"})  # no mail server in tests
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    assert paid.get_json()["receipt_channel"] == "email"
    assert client.get(f"/customers/{customer}").get_json()["total_spent"] == 1400


def test_the_customer_is_attached_changed_and_detached(app, api, world, customer):
    client = api("cashier")
    with app.app_context():
        other = str(make_customer(world, name="Suzuki Hana", phone="090-5555-6666").id)
    order = client.post("/orders", json={"store_id": world.store_id, "lines": LINES}).get_json()
    assert order["customer"] is None
    attached = client.post(f"/orders/{order['id']}/customer", json={"customer_id": customer})
    assert attached.status_code == 200 and attached.get_json()["customer"]["name"] == "Tanaka Taro"
    changed = client.post(f"/orders/{order['id']}/customer", json={"customer_id": other})
    assert changed.get_json()["customer"]["name"] == "Suzuki Hana"
    detached = client.post(f"/orders/{order['id']}/customer", json={"customer_id": None})
    assert detached.status_code == 200 and detached.get_json()["customer"] is None
    error_of(client.post(f"/orders/{order['id']}/customer", json={"customer_id": "not-a-customer"}), 404)
    client.post(f"/orders/{order['id']}/customer", json={"customer_id": customer})
    details = error_of(client.post(f"/orders/{order['id']}/customer", json={"customerId": None}), 422)["details"]
    assert details == {"customerId": "There is no such field."}  # a misspelt field never detaches
    details = error_of(client.post(f"/orders/{order['id']}/customer", json={}), 422)["details"]
    assert details == {"customer_id": "This field is required."}
    assert client.get(f"/orders/{order['id']}").get_json()["customer"]["id"] == customer


def test_a_completed_sale_no_longer_changes(app, api, world, customer):
    client = api("cashier")
    order = client.post("/orders", json={"store_id": world.store_id, "lines": LINES}).get_json()
    assert client.post(f"/orders/{order['id']}/complete", json={"payment_method": "cash"}).status_code == 200
    assert error_of(client.post(f"/orders/{order['id']}/complete", json={"payment_method": "cash"}), 409)[
        "code"] == "conflict"  # fmt: skip
    error_of(client.post(f"/orders/{order['id']}/customer", json={"customer_id": customer}), 409)
    after = client.get(f"/orders/{order['id']}").get_json()
    assert after["customer"] is None and after["version"] == order["version"] + 1
    assert client.get(f"/customers/{customer}").get_json()["total_visits"] == 0


@pytest.mark.parametrize(
    "data, fields",
    [
        ({"lines": LINES}, {"store_id"}),
        ({"store_id": "main", "lines": LINES}, {"store_id"}),
        ({"store_id": "{store}", "lines": "Latte"}, {"lines"}),
        ({"store_id": "{store}", "lines": [{"name": "Latte"}]}, {"unit_price"}),
        ({"store_id": "{store}", "lines": [{"name": "Latte", "unit_price": 5.5}]}, {"unit_price"}),
        ({"store_id": "{store}", "lines": [{"name": "", "unit_price": 500, "quantity": 0}]}, {"name", "quantity"}),
        ({"store_id": "{store}", "lines": [{"name": "Latte", "unit_price": 500, "quantity": -1}]}, {"quantity"}),
    ],
)
def test_a_bad_sale_is_refused_by_field_and_opens_nothing(app, api, world, data, fields):
    data = {key: world.store_id if value == "{store}" else value for key, value in data.items()}
    assert set(error_of(api("cashier").post("/orders", json=data), 422)["details"]) == fields
    assert count_orders(app) == 0


def test_a_sale_for_an_unknown_customer_is_404_and_opens_nothing(app, api, world):
    data = {"store_id": world.store_id, "customer_id": "00000000-0000-0000-0000-000000000000", "lines": LINES}
    error_of(api("cashier").post("/orders", json=data), 404)
    assert count_orders(app) == 0


@pytest.mark.parametrize(
    "data, fields",
    [({}, {"payment_method"}), ({"payment_method": "gold"}, {"payment_method"}),
     ({"payment_method": "cash", "receipt_channel": "pigeon"}, {"receipt_channel"}),
     ({"payment_method": "cash", "receipt_channel": "email"}, {"receipt_destination"})],
)  # fmt: skip
def test_completion_refuses_bad_payment_and_receipt_fields(app, api, world, customer, data, fields):
    client = api("cashier")
    order = client.post("/orders", json={"store_id": world.store_id, "customer_id": customer, "lines": LINES})
    order_id = order.get_json()["id"]
    assert set(error_of(client.post(f"/orders/{order_id}/complete", json=data), 422)["details"]) == fields
    assert client.get(f"/orders/{order_id}").get_json()["status"] == "open"


def test_an_empty_sale_cannot_be_completed(api, world):
    client = api("cashier")
    order = client.post("/orders", json={"store_id": world.store_id}).get_json()
    assert order["lines"] == [] and order["total"] == 0
    details = error_of(client.post(f"/orders/{order['id']}/complete", json={"payment_method": "cash"}), 422)["details"]
    assert set(details) == {"lines"}


def test_an_unknown_order_is_404(api):
    for path in ("/orders/00000000-0000-0000-0000-000000000000", "/orders/42"):
        error_of(api("manager").get(path), 404)
        error_of(api("manager").post(f"{path}/complete", json={"payment_method": "cash"}), 404)
