"""What every call shares: idempotent retries (also two at once), ETags and If-Match, the
audit trail of the screens, the per-token rate limit and one shape for every error."""

import multiprocessing
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from domain import ratelimit
from domain.audit import AuditEvent
from domain.customers import records
from domain.customers.models import Customer, Note
from domain.sales.models import SaleOrder
from extensions import db
from tests.conftest import build_app
from tests.factories import make_customer

from .conftest import ApiClient, error_of, issue_token, sell


@pytest.fixture
def customer(app, world):
    with app.app_context():
        return str(make_customer(world, name="Tanaka Taro", email="taro@example.com").id)


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def customer_row(app, customer_id):
    with app.app_context():
        return db.session.get(Customer, uuid.UUID(customer_id))


ANN = {"name": "Ann", "phone": "090-1111-2222"}
ADDRESS = {"label": "work", "use": "billing", "country": "JP", "postal_code": "1000001", "city": "Chiyoda",
           "street": "1-1"}  # fmt: skip


# --- idempotent retries ----------------------------------------------------------------


def test_a_retried_create_replays_the_first_answer_and_creates_one_customer(app, api):
    client = api("manager")
    first = client.post("/customers", json=ANN, headers={"Idempotency-Key": "order-7-customer"})
    retry = client.post("/customers", json=ANN, headers={"Idempotency-Key": "order-7-customer"})
    assert first.status_code == retry.status_code == 201
    assert "Idempotent-Replayed" not in first.headers and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json() == first.get_json()
    assert (retry.headers["Location"], retry.headers["ETag"]) == (first.headers["Location"], first.headers["ETag"])
    assert count(app, Customer) == 1
    assert count(app, AuditEvent, AuditEvent.action == "customer.created") == 1


def test_the_same_key_with_another_body_is_a_conflict(app, api):
    client = api("manager")
    client.post("/customers", json=ANN, headers={"Idempotency-Key": "k1"})
    error = error_of(client.post("/customers", json={**ANN, "name": "Bob"}, headers={"Idempotency-Key": "k1"}), 409)
    assert error["code"] == "conflict"
    error_of(client.post("/orders", json={"store_id": 1}, headers={"Idempotency-Key": "k1"}), 409)  # another path
    assert count(app, Customer) == 1 and count(app, SaleOrder) == 0
    assert client.post("/customers", json={**ANN, "name": "Bob", "phone": "090-3333-4444"},
                       headers={"Idempotency-Key": "k2"}).status_code == 201  # fmt: skip


def test_keys_belong_to_their_token(app, api):
    api("manager").post("/customers", json=ANN, headers={"Idempotency-Key": "k1"})
    other = api("manager").post("/customers", json={"name": "Bob", "phone": "090-3333-4444"},
                                headers={"Idempotency-Key": "k1"})  # fmt: skip
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    assert count(app, Customer) == 2


def test_a_retried_sale_opens_once_and_a_retried_completion_counts_once(app, api, world, customer):
    client = api("cashier")
    sale = {"store_id": world.store_id, "customer_id": customer, "lines": [{"name": "Latte", "unit_price": 500}]}
    opened = [client.post("/orders", json=sale, headers={"Idempotency-Key": "sale-1"}) for _ in range(2)]
    assert opened[0].get_json() == opened[1].get_json() and count(app, SaleOrder) == 1
    path = f"/orders/{opened[0].get_json()['id']}/complete"
    paid = [client.post(path, json={"payment_method": "cash"}, headers={"Idempotency-Key": "pay-1"}) for _ in range(2)]
    assert paid[0].status_code == paid[1].status_code == 200
    assert paid[1].headers["Idempotent-Replayed"] == "true" and paid[1].get_json()["status"] == "paid"
    assert (customer_row(app, customer).total_spent, customer_row(app, customer).total_visits) == (500, 1)
    error_of(client.post(path, json={"payment_method": "cash"}), 409)  # without the key, it is a second try


def test_a_retried_note_is_added_once(app, api, customer):
    client = api("cashier")
    for _ in range(2):
        response = client.post(f"/customers/{customer}/notes", json={"body": "Hi"}, headers={"Idempotency-Key": "n"})
        assert response.status_code == 201
    assert count(app, Note) == 1


def test_after_a_failure_on_our_side_the_retry_runs_again(app, api, monkeypatch):
    create = records.create_customer
    monkeypatch.setattr(records, "create_customer", lambda *args, **kwargs: 1 / 0)
    client = api("manager")
    assert (
        error_of(client.post("/customers", json=ANN, headers={"Idempotency-Key": "k"}), 500)["code"] == "internal_error"
    )
    monkeypatch.setattr(records, "create_customer", create)
    retry = client.post("/customers", json=ANN, headers={"Idempotency-Key": "k"})
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert count(app, Customer) == 1


def test_an_unusable_key_is_refused(app, api):
    for key in ("x" * 256, " ", "tab\there"):
        error = error_of(api("manager").post("/customers", json=ANN, headers={"Idempotency-Key": key}), 422)
        assert set(error["details"]) == {"Idempotency-Key"}, key
    assert count(app, Customer) == 0


def _slowly_create(seconds: float):
    """create_customer that takes `seconds` first, so a duplicate arrives while it runs."""
    create = records.create_customer

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return create(*args, **kwargs)

    return slow


def _post_at_once(database_url, secret, barrier, answers):
    """In its own process: the same POST as the test's, sent when both are ready."""
    records.create_customer = _slowly_create(0.5)
    app = build_app(database_url)
    client = ApiClient(app.test_client(), secret, **{"Idempotency-Key": "same"})
    client.get("/customers?q=warm")  # the first request's one-time work is done before the race
    barrier.wait(timeout=60)
    response = client.post("/customers", json=ANN)
    answers.put((response.status_code, response.get_json(), response.headers.get("Idempotent-Replayed")))
    with app.app_context():
        db.engine.dispose()


def test_two_processes_sending_the_same_key_at_once_create_one_customer(app, database_url, world, monkeypatch):
    secret = issue_token(app, world.manager)
    context = multiprocessing.get_context("spawn")
    barrier, answers = context.Barrier(2), context.Queue()
    other = context.Process(target=_post_at_once, args=(database_url, secret, barrier, answers))
    other.start()
    monkeypatch.setattr(records, "create_customer", _slowly_create(0.5))
    client = ApiClient(app.test_client(), secret, **{"Idempotency-Key": "same"})
    client.get("/customers?q=warm")
    barrier.wait(timeout=60)
    ours = client.post("/customers", json=ANN)
    theirs = answers.get(timeout=60)
    other.join(timeout=60)
    assert (ours.status_code, theirs[0]) == (201, 201), (ours.get_json(), theirs[1])
    assert ours.get_json()["id"] == theirs[1]["id"]
    assert sorted([ours.headers.get("Idempotent-Replayed"), theirs[2]], key=str) == [None, "true"]
    assert count(app, Customer) == 1


# --- ETags and If-Match ----------------------------------------------------------------


def test_a_change_with_a_stale_if_match_is_412_and_changes_nothing(app, api, customer):
    client = api("manager")
    etag = client.get(f"/customers/{customer}").headers["ETag"]
    assert etag == '"1"'
    saved = client.patch(f"/customers/{customer}", json={"name": "Tanaka Jiro"}, headers={"If-Match": etag})
    assert saved.status_code == 200 and saved.headers["ETag"] == '"2"'
    stale = client.patch(f"/customers/{customer}", json={"name": "Tanaka Saburo", "email": "s@example.com"},
                         headers={"If-Match": etag})  # fmt: skip
    assert error_of(stale, 412)["code"] == "precondition_failed"
    row = customer_row(app, customer)
    assert (row.name, row.email, row.version) == ("Tanaka Jiro", "taro@example.com", 2)
    assert count(app, AuditEvent, AuditEvent.action == "customer.updated") == 1


@pytest.mark.parametrize("header, status", [('W/"1"', 200), ("1", 200), ("*", 200), ('"x"', 412), ('"0"', 412)])
def test_if_match_forms(app, api, customer, header, status):
    response = api("manager").patch(f"/customers/{customer}", json={"name": "Jiro"}, headers={"If-Match": header})
    assert response.status_code == status
    assert customer_row(app, customer).name == ("Jiro" if status == 200 else "Tanaka Taro")


def test_without_if_match_the_last_change_wins(api, customer):
    client = api("manager")
    client.patch(f"/customers/{customer}", json={"name": "Tanaka Jiro"})
    latest = client.patch(f"/customers/{customer}", json={"name": "Tanaka Saburo"})
    assert latest.status_code == 200 and latest.get_json()["version"] == 3


# --- the same audit trail as the screens -----------------------------------------------


def audit_of(app, customer_id) -> list[tuple]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == customer_id,
                                                             AuditEvent.action != "customer.created")
                                    .order_by(AuditEvent.id))  # fmt: skip
        return [(event.action, event.changes, event.subject_version, event.actor_id) for event in events]


def test_an_api_change_is_audited_exactly_as_the_same_change_on_the_screens(app, api, world, signed_in):
    with app.app_context():
        on_screen, over_api = (str(make_customer(world, name="Tanaka Taro", phone=phone).id)
                               for phone in ("090-1111-0001", "090-1111-0002"))  # fmt: skip
    browser = signed_in("manager")
    sections = [
        ("contacts", {"version": "1", "phone": "090-1111-0001", "email": "taro@example.com"}),
        ("identity", {"version": "2", "name": "Tanaka Jiro", "customer_type": "retail"}),
        ("status", {"version": "3", "status": "blocked", "status_reason": "Chargebacks"}),
    ]
    for section, data in sections:
        assert browser.post(f"/customers/{on_screen}/section/{section}", data=data).status_code == 302, section
    browser.post(f"/customers/{on_screen}/notes", data={"body": "Asked for a refund"})
    browser.post(f"/customers/{on_screen}/addresses", data={**ADDRESS, "is_default": "y"})
    browser.post(f"/customers/{on_screen}/delete")  # also frees the email for the same change over the API
    client = api("manager")
    change = {"email": "taro@example.com", "name": "Tanaka Jiro", "status": "blocked", "status_reason": "Chargebacks"}
    assert client.patch(f"/customers/{over_api}", json=change, headers={"If-Match": '"1"'}).status_code == 200
    client.post(f"/customers/{over_api}/notes", json={"body": "Asked for a refund"})
    client.post(f"/customers/{over_api}/addresses", json={**ADDRESS, "is_default": True})
    client.delete(f"/customers/{over_api}")
    screens, api_calls = audit_of(app, on_screen), audit_of(app, over_api)
    assert [event[0] for event in screens] == ["customer.updated", "customer.updated", "customer.status_changed",
                                               "note.added", "address.added", "customer.deleted"]  # fmt: skip
    assert api_calls[:-1] == screens[:-1]
    deletions = [
        (action, list(changes), version, actor) for action, changes, version, actor in screens[-1:] + api_calls[-1:]
    ]
    assert deletions[0] == deletions[1]  # the same but for the time of deletion


def test_api_events_name_the_token_and_its_staff_member(app, api, world, customer):
    api("manager").patch(f"/customers/{customer}", json={"name": "Tanaka Jiro"})
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customer.updated"))
        assert (event.actor_kind, event.actor_id, event.actor_name) == ("api", str(world.manager.id),
                                                                        "Manager of Alpha Coffee (test)")  # fmt: skip
        assert event.request_id


# --- rate limit ------------------------------------------------------------------------


@pytest.fixture
def limited_app(app, database_url):
    """The app with three calls a minute per token (on the same database as `app`)."""
    limited = build_app(database_url, API_RATE_LIMIT_PER_MINUTE=3)
    yield limited
    with limited.app_context():
        db.engine.dispose()


def test_a_token_over_its_limit_gets_429_with_retry_after(app, limited_app, world, monkeypatch):
    now = datetime(2026, 5, 1, 10, 0, 15, tzinfo=UTC)
    monkeypatch.setattr(ratelimit, "utcnow", lambda: now)
    client = ApiClient(limited_app.test_client(), issue_token(limited_app, world.manager))
    assert [client.get("/customers?q=Ann").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.post("/customers", json=ANN)
    assert error_of(refused, 429)["code"] == "rate_limited" and refused.headers["Retry-After"] == "45"
    assert count(app, Customer) == 0
    other = ApiClient(limited_app.test_client(), issue_token(limited_app, world.manager, "other"))
    assert other.get("/customers?q=Ann").status_code == 200  # each token has its own budget
    now += timedelta(seconds=45)
    assert client.post("/customers", json=ANN).status_code == 201  # a new minute, a new budget
    assert count(app, ratelimit.RateCounter) == 2  # one row per token: a new minute clears the old


# --- one shape for every error ---------------------------------------------------------


BODY_TAKERS = [("POST", "/customers"), ("PATCH", "/customers/{customer}"),
               ("POST", "/customers/{customer}/addresses"), ("PATCH", "/customers/{customer}/addresses/{address}"),
               ("POST", "/customers/{customer}/notes"), ("POST", "/orders"), ("POST", "/orders/{order}/customer"),
               ("POST", "/orders/{order}/complete")]  # fmt: skip
NOT_JSON = [{"data": "name=Ann"}, {"data": "{not json", "content_type": "application/json"},
            {"json": ["Ann"]}, {"json": "Ann"}, {}]  # fmt: skip


def test_a_body_that_is_not_a_json_object_is_400_and_changes_nothing(app, api, world, customer):
    client = api("manager")
    address = client.post(f"/customers/{customer}/addresses", json={"city": "Osaka"}).get_json()["id"]
    order = sell(client, world.store_id, None, 500, complete=False)["id"]
    before = client.get(f"/customers/{customer}").get_json(), client.get(f"/orders/{order}").get_json()
    for method, path in BODY_TAKERS:
        path = path.format(customer=customer, address=address, order=order)
        for sent in NOT_JSON:
            error = error_of(getattr(client, method.lower())(path, **sent), 400)
            assert error["code"] == "bad_request", (method, path, sent)
            assert error["message"] == "Send a JSON object with Content-Type: application/json.", (method, path)
    after = client.get(f"/customers/{customer}").get_json(), client.get(f"/orders/{order}").get_json()
    assert after == before and count(app, Customer) == 1 and count(app, Note) == 0


def test_unknown_addresses_and_methods_answer_in_json(api):
    assert error_of(api("manager").get("/nothing/here"), 404)["code"] == "not_found"
    assert error_of(api("manager").put("/customers", json={}), 405)["code"] == "method_not_allowed"


def test_errors_keep_their_shape_and_codes_in_every_language(api, customer):
    """The message follows Accept-Language; the code and the fields named never do."""
    for language in ("en", "ja", "vi", "ar"):
        client = api("manager", **{"Accept-Language": language})
        error = error_of(client.post("/customers", json={"name": "", "email": "x@"}), 422)
        assert (error["code"], set(error["details"])) == ("invalid", {"name", "email"}), language
        assert error_of(client.get("/customers/00000000-0000-0000-0000-000000000000"), 404)["code"] == "not_found"
        assert error_of(client.patch(f"/customers/{customer}", json={"name": "X"}, headers={"If-Match": '"9"'}),
                        412)["code"] == "precondition_failed"  # fmt: skip


def test_a_nul_character_anywhere_is_a_400_not_a_database_error(app, api, customer):
    """PostgreSQL refuses NUL in text; it must never get that far."""
    client = api("manager")
    for response in (client.get("/customers?tag=VIP%00"), client.get("/customers?email=a%00@example.com"),
                     client.post("/customers", json={"name": "Ann\x00", "phone": "090-1234-5678"}),
                     client.patch(f"/customers/{customer}", json={"tags": ["\x00"]})):  # fmt: skip
        assert error_of(response, 400)["message"] == "The request contains a NUL character, which no field accepts."
    assert count(app, Customer) == 1
