"""API clients: a token per role of merchant A (and of B), sent as a bearer header."""

import pytest

from domain import api_tokens
from domain.staff import StaffUser
from extensions import db


class ApiClient:
    """The test client with one token's Authorization header on every call."""

    def __init__(self, client, secret: str, **headers):
        self.client, self.headers = client, {"Authorization": f"Bearer {secret}", **headers}

    def __getattr__(self, method):  # get, post, patch, delete, put
        call = getattr(self.client, method)
        return lambda path, headers=None, **kwargs: call(f"/api/v1{path}", headers={**self.headers, **(headers or {})},
                                                          **kwargs)  # fmt: skip


def issue_token(app, staff, name: str = "test") -> str:
    with app.app_context():
        _token, secret = api_tokens.issue(db.session.get(StaffUser, staff.id), name)
        return secret


@pytest.fixture
def api(app, world):
    """`api("manager")` → a client calling /api/v1 with a token of merchant A's manager;
    `api("owner", other_world)` one of merchant B's owner."""

    def _client(role: str, staff_world=None, **headers):
        return ApiClient(app.test_client(), issue_token(app, (staff_world or world).staff(role)), **headers)

    return _client


def error_of(response, status: int) -> dict:
    """The refusal's error object, after checking its status and its one shape."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["message"], body
    return body["error"]


def sell(client, store_id: int, customer_id: str | None, *prices: int, complete: bool = True) -> dict:
    """A sale through the API: opened at the store with one line per price, then paid."""
    lines = [{"name": f"Item {price}", "unit_price": price} for price in prices]
    opened = client.post("/orders", json={"store_id": store_id, "customer_id": customer_id, "lines": lines})
    assert opened.status_code == 201, opened.get_json()
    if not complete:
        return opened.get_json()
    paid = client.post(f"/orders/{opened.get_json()['id']}/complete", json={"payment_method": "cash"})
    assert paid.status_code == 200, paid.get_json()
    return paid.get_json()
