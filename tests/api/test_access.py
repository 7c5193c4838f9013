"""Who may call what: every endpoint without a valid token is 401, each role gets the
documented answer from every endpoint, and another merchant's ids are 404 everywhere."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from blueprints.api.core import PUBLIC_ENDPOINTS
from domain import api_tokens
from domain.audit import AuditEvent
from domain.customers import addresses, notes, records
from domain.sales import orders
from domain.sales.models import SaleOrder
from domain.staff import StaffUser
from extensions import db
from tests.factories import actor_for, make_customer

from .conftest import ApiClient, error_of


def make_scene(app, world) -> dict:
    """Merchant A's records that the endpoints act on: a customer with an address and a
    note, one to delete, one deleted (to restore) and an open sale."""
    with app.app_context():
        manager = actor_for(world.manager, world.store_id)
        customer = make_customer(world, name="Tanaka Taro", email="taro@example.com")
        address = addresses.add_address(manager, customer.id, {"city": "Osaka"})
        notes.add_note(manager, customer.id, "Likes oat milk")
        doomed = make_customer(world, name="Doomed", phone="090-2222-0000")
        deleted = make_customer(world, name="Gone", phone="090-3333-0000")
        records.delete_customer(manager, deleted.id)
        order = orders.open_sale(manager, lines=[{"name": "Latte", "unit_price": 500}])
        return {"customer": str(customer.id), "address": address.id, "doomed": str(doomed.id),
                "deleted": str(deleted.id), "order": str(order.id), "store": world.store_id}  # fmt: skip


def everyone(status: int) -> dict:
    return {"owner": status, "manager": status, "cashier": status}


def managers(status: int) -> dict:
    return {"owner": status, "manager": status, "cashier": 403}


C = "/customers/{customer}"
# Every endpoint as (name, method, path, JSON body, status by role), in an order where no
# call depends on one that a role is refused.
ACTIONS = [
    ("create", "POST", "/customers", {"name": "Ann", "phone": "090-5555-0000"}, everyone(201)),
    ("search", "GET", "/customers?q=Tanaka", None, everyone(200)),
    ("find by phone", "GET", "/customers/phone/09012345678", None, everyone(200)),
    ("read", "GET", C, None, everyone(200)),
    ("edit name", "PATCH", C, {"name": "Tanaka Jiro"}, everyone(200)),
    ("edit preferences", "PATCH", C, {"receipt_delivery": "none"}, everyone(200)),
    ("edit birth date", "PATCH", C, {"date_of_birth": "1990-01-01"}, managers(200)),
    ("edit contacts", "PATCH", C, {"email": "jiro@example.com"}, managers(200)),
    ("change status", "PATCH", C, {"status": "inactive", "status_reason": "Moved away"}, managers(200)),
    ("set tags", "PATCH", C, {"tags": []}, managers(200)),
    ("history", "GET", f"{C}/orders", None, everyone(200)),
    ("list addresses", "GET", f"{C}/addresses", None, managers(200)),
    ("add address", "POST", f"{C}/addresses", {"city": "Kobe"}, managers(201)),
    ("change address", "PATCH", f"{C}/addresses/{{address}}", {"building": "Room 5"}, managers(200)),
    ("list notes", "GET", f"{C}/notes", None, everyone(200)),
    ("add note", "POST", f"{C}/notes", {"body": "Hello"}, everyone(201)),
    ("export", "GET", "/customers/export", None, {"owner": 200, "manager": 403, "cashier": 403}),
    ("open sale", "POST", "/orders", {"store_id": "{store}", "customer_id": "{customer}"}, everyone(201)),
    ("read sale", "GET", "/orders/{order}", None, everyone(200)),
    ("attach customer", "POST", "/orders/{order}/customer", {"customer_id": "{customer}"}, everyone(200)),
    ("complete sale", "POST", "/orders/{order}/complete", {"payment_method": "cash"}, everyone(200)),
    ("remove address", "DELETE", f"{C}/addresses/{{address}}", None, managers(204)),
    ("delete", "DELETE", "/customers/{doomed}", None, managers(200)),
    ("restore", "POST", "/customers/{deleted}/restore", None, managers(200)),
]


def filled(value, scene: dict):
    """The action's path or body with the scene's ids in place of {customer}, {order}, …"""
    if value == "{store}":
        return scene["store"]
    if isinstance(value, str):
        return value.format(**scene)
    if isinstance(value, dict):
        return {key: filled(item, scene) for key, item in value.items()}
    return value


def call(client, method: str, path: str, body, scene: dict):
    return getattr(client, method.lower())(filled(path, scene), json=filled(body, scene))


def audit_count(app, merchant_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.merchant_id ==
                                                                                      merchant_id))  # fmt: skip


# --- roles -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "manager", "cashier"])
def test_each_role_gets_the_documented_answer_from_every_endpoint(app, api, world, role):
    scene, client = make_scene(app, world), api(role)
    wrong = []
    for name, method, path, body, expected in ACTIONS:
        before = audit_count(app, world.merchant_id)
        response = call(client, method, path, body, scene)
        if response.status_code != expected[role]:
            wrong.append((name, response.status_code, response.get_data(as_text=True)[:200]))
        elif expected[role] == 403:
            assert error_of(response, 403)["code"] == "forbidden", name
            assert audit_count(app, world.merchant_id) == before, f"{name} refused, yet something was recorded"
    assert wrong == []


def test_a_refused_cashier_changes_nothing(app, api, world):
    scene, client = make_scene(app, world), api("cashier")
    for _name, method, path, body, expected in ACTIONS:
        if expected["cashier"] == 403:
            call(client, method, path, body, scene)
    with app.app_context():
        customer = records.get_customer(actor_for(world.owner), scene["customer"])
        unchanged = (customer.version, customer.email, customer.status, customer.date_of_birth)
        assert unchanged == (1, "taro@example.com", "active", None)
        assert [address.id for address in customer.addresses] == [scene["address"]]
        assert records.get_customer(actor_for(world.owner), scene["doomed"]).deleted_at is None
        assert records.get_customer(actor_for(world.owner), scene["deleted"], include_deleted=True).deleted_at


# --- tenancy ---------------------------------------------------------------------------


def test_another_merchant_gets_404_for_every_id_of_this_one(app, api, world, other_world):
    scene, intruder = make_scene(app, world), api("owner", other_world)
    before = audit_count(app, world.merchant_id)
    wrong = []
    for name, method, path, body, _expected in ACTIONS:
        if "{" in path:
            response = call(intruder, method, path, body, scene)
            if response.status_code != 404:
                wrong.append((name, response.status_code))
    assert wrong == []
    assert audit_count(app, world.merchant_id) == before
    with app.app_context():
        order = db.session.get(SaleOrder, orders.get_order(actor_for(world.owner), scene["order"]).id)
        assert (order.status, order.customer_id) == ("open", None)


def test_another_merchant_cannot_find_or_use_this_ones_customers(app, api, world, other_world):
    scene, intruder = make_scene(app, world), api("owner", other_world)
    assert intruder.get("/customers?q=Tanaka").get_json()["data"] == []
    assert intruder.get("/customers?status=active").get_json()["total"] == 0
    error_of(intruder.get("/customers/phone/+819012345678"), 404)
    sale = {"store_id": other_world.store_id, "customer_id": scene["customer"]}
    error_of(intruder.post("/orders", json=sale), 404)
    error = error_of(intruder.post("/orders", json={"store_id": world.store_id}), 422)
    assert set(error["details"]) == {"store_id"}
    with app.app_context():
        own = str(make_customer(other_world, "owner", name="Nguyen An", phone="0912 345 678").id)
    error_of(intruder.patch(f"/customers/{own}/addresses/{scene['address']}", json={"city": "Hue"}), 404)
    own_sale = intruder.post("/orders", json={"store_id": other_world.store_id}).get_json()
    error_of(intruder.post(f"/orders/{own_sale['id']}/customer", json={"customer_id": scene["customer"]}), 404)
    exported = list(csv.reader(io.StringIO(intruder.get("/customers/export").get_data(as_text=True))))
    assert [row[1] for row in exported[1:]] == ["Nguyen An"]


# --- authentication --------------------------------------------------------------------


def api_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every endpoint that needs a token, ids filled with placeholders."""
    return sorted(
        (method, re.sub(r"<[^>]+>", "1", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint not in PUBLIC_ENDPOINTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


def test_every_endpoint_needs_a_token(app, client):
    routes = api_routes(app)
    assert len(routes) == 19  # the contract's endpoints; a new one joins this test by itself
    for method, path in routes:
        response = client.open(path, method=method, json={})
        assert error_of(response, 401)["code"] == "unauthorized", (method, path)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), (method, path)


def test_a_wrong_revoked_or_deactivated_token_is_the_same_as_none(app, world, client):
    with app.app_context():
        live, live_secret = api_tokens.issue(db.session.get(StaffUser, world.manager.id), "till")
        _revoked, revoked_secret = api_tokens.issue(db.session.get(StaffUser, world.manager.id), "old")
        api_tokens.revoke_token(actor_for(world.owner), _revoked.id)
        _gone, gone_secret = api_tokens.issue(db.session.get(StaffUser, world.cashier.id), "left")
        db.session.get(StaffUser, world.cashier.id).active = False
        db.session.commit()
    for header in ("", "Bearer", "Bearer rgl_not-a-token", f"Basic {live_secret}", f"Bearer {live_secret}x",
                   f"Bearer {revoked_secret}", f"Bearer {gone_secret}"):  # fmt: skip
        response = client.get("/api/v1/customers?q=Tanaka", headers={"Authorization": header})
        assert error_of(response, 401)["code"] == "unauthorized", header
    assert ApiClient(client, live_secret).get("/customers?q=Tanaka").status_code == 200


def test_the_contract_itself_is_public(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
