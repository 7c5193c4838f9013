"""The OpenAPI document against the running code: every route is documented, and
Schemathesis's generated calls (a bounded number per operation) get no 5xx and only
responses the document allows, in status, content type, headers and body."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from blueprints.api.openapi import document

from ..factories import make_customer
from .conftest import issue_token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]  # fmt: skip
# Enough to reach every branch of the small bodies while CI stays fast, and the same
# examples on every run (derandomized), so CI never fails by luck; API_FUZZ_EXAMPLES=500
# explores further by hand.
EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", 12))


@pytest.fixture
def seeded(app, world):
    """A customer with an address and a note, an open sale for them, and an owner's token:
    generated calls use these ids, so they reach the code behind the 404."""
    with app.app_context():
        customer = make_customer(world, name="Schema Person", phone="090-1111-2222", email="schema@example.com")
        customer_id = str(customer.id)
    owner = issue_token(app, world.owner)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {owner}"}
    address = client.post(f"/api/v1/customers/{customer_id}/addresses", json={"city": "Tokyo"}, headers=headers)
    client.post(f"/api/v1/customers/{customer_id}/notes", json={"body": "Likes oat milk"}, headers=headers)
    sale = {"store_id": world.store_id, "customer_id": customer_id, "lines": [{"name": "Latte", "unit_price": 550}]}
    order = client.post("/api/v1/orders", json=sale, headers=headers)
    return {"customer_id": customer_id, "order_id": order.json["id"], "address_id": address.json["id"], "token": owner}


OPERATIONS = [(path, method) for path, item in document()["paths"].items() for method in item if method != "parameters"]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_every_response_conforms_to_the_document(app, seeded, path, method):
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method.upper()]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
              database=None, derandomize="API_FUZZ_EXAMPLES" not in os.environ)  # fmt: skip
    def call(case):
        for name in ("customer_id", "order_id", "address_id"):  # real ids reach the code behind the 404
            if case.path_parameters and name in case.path_parameters:
                case.path_parameters[name] = seeded[name]
        response = case.call(headers={"Authorization": f"Bearer {seeded['token']}"})
        case.validate_response(response, checks=CHECKS)

    call()


def test_every_route_is_in_the_document(app):
    documented = {
        (method.upper(), "/api/v1" + path)
        for path, item in document()["paths"].items()
        for method in item
        if method != "parameters"
    }
    routed = {
        (method, rule.rule.replace("<path:", "{").replace("<", "{").replace(">", "}"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1") and rule.endpoint != "api.reference"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routed == documented
