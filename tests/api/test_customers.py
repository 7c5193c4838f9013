"""/api/v1/customers as an integrator sees it: create, read, find, change, delete and
restore, addresses, notes, purchase history and the CSV export — answers and refusals."""

import csv
import io
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from domain.audit import AuditEvent
from domain.customers import contacts, tags
from domain.customers.export import COLUMNS
from domain.customers.models import Address, Customer
from extensions import db
from tests.factories import actor_for, make_customer

from .conftest import error_of, sell


@pytest.fixture
def customer(app, world):
    with app.app_context():
        return str(make_customer(world, name="Tanaka Taro", email="taro@example.com", date_of_birth="1990-04-01",
                                 document_number="AB1234567").id)  # fmt: skip


def customer_row(app, customer_id):
    with app.app_context():
        return db.session.get(Customer, uuid.UUID(str(customer_id)))


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- create -----------------------------------------------------------------------------


def test_create_answers_the_record_with_its_address_and_version(app, api):
    data = {"name": "Nguyễn Văn An", "phone": "090-1111-2222", "email": "An@Example.com", "date_of_birth": "1991-02-03"}
    response = api("manager").post("/customers", json=data)
    assert response.status_code == 201
    created = response.get_json()
    assert created["customer_number"] == "CUST-000001" and created["name"] == "Nguyễn Văn An"
    assert (created["phone"], created["email"], created["date_of_birth"]) == ("+819011112222", "an@example.com",
                                                                              "1991-02-03")  # fmt: skip
    assert (created["status"], created["version"], created["deleted_at"]) == ("active", 1, None)
    assert response.headers["Location"].endswith(f"/api/v1/customers/{created['id']}")
    assert response.headers["ETag"] == '"1"'
    assert api("manager").get(f"/customers/{created['id']}").get_json() == created


def test_a_cashier_creates_with_name_and_contacts_but_sees_them_masked(app, api):
    response = api("cashier").post("/customers", json={"name": "Ann", "phone": "090-1111-2222",
                                                       "email": "ann@example.com"})  # fmt: skip
    assert response.status_code == 201
    assert (response.get_json()["phone"], response.get_json()["email"]) == ("•••• 2222", "a•••@example.com")
    assert customer_row(app, response.get_json()["id"]).phone == "+819011112222"


@pytest.mark.parametrize(
    "data, fields",
    [
        ({"phone": "090-1111-2222"}, {"name"}),
        ({"name": "Ann"}, {"phone"}),
        ({"name": "Ann", "phone": "12-34"}, {"phone"}),
        ({"name": "Ann", "email": "ann@"}, {"email"}),
        ({"name": "Ann", "phone": "090-1111-2222", "date_of_birth": "1990-02-31", "gender": "robot"},
         {"date_of_birth", "gender"}),
        ({"name": ["Ann"], "phone": ["090"], "email": {"a": 1}}, {"name", "phone", "email"}),
        ({"name": "Ann", "phone": "090-1111-2222", "receipt_delivery": "email"}, {"receipt_delivery"}),
        ({"name": "Ann", "phone": "090-1111-2222", "customer_number": "CUST-999999", "merchant_id": 2},
         {"customer_number", "merchant_id"}),
    ],
)  # fmt: skip
def test_create_refuses_bad_fields_by_name_and_creates_nothing(app, api, data, fields):
    error = error_of(api("manager").post("/customers", json=data), 422)
    assert error["code"] == "invalid" and set(error["details"]) == fields
    assert count(app, Customer) == 0


def test_create_refuses_a_phone_on_file_and_names_its_holder(app, api, customer):
    error = error_of(api("cashier").post("/customers", json={"name": "Copy", "phone": "+81 90 1234 5678"}), 422)
    assert error["details"] == {"phone": "This is already the phone number of Tanaka Taro (CUST-000001)."}
    assert count(app, Customer) == 1


def test_a_cashier_may_not_create_with_sensitive_fields(app, api):
    data = {"name": "Ann", "phone": "090-1111-2222", "date_of_birth": "1990-01-01"}
    assert error_of(api("cashier").post("/customers", json=data), 403)["code"] == "forbidden"
    assert count(app, Customer) == 0


# --- read ------------------------------------------------------------------------------


def test_a_cashier_reads_a_masked_profile(api, customer):
    manager = api("manager").get(f"/customers/{customer}").get_json()
    cashier = api("cashier").get(f"/customers/{customer}").get_json()
    assert (manager["phone"], manager["email"], manager["date_of_birth"], manager["document_number"]) == (
        "+819012345678", "taro@example.com", "1990-04-01", "AB1234567")  # fmt: skip
    assert (cashier["phone"], cashier["email"], cashier["date_of_birth"], cashier["document_number"]) == (
        "•••• 5678", "t•••@example.com", None, None)  # fmt: skip
    assert cashier["name"] == manager["name"] == "Tanaka Taro"


def test_an_unknown_customer_is_404(api):
    for customer_id in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"):
        assert error_of(api("manager").get(f"/customers/{customer_id}"), 404)["code"] == "not_found"


def test_find_by_phone_in_any_written_form(api, customer):
    for written in ("09012345678", "090-1234-5678", "+81 90 1234 5678", "+819012345678", "０９０－１２３４－５６７８"):
        response = api("manager").get(f"/customers/phone/{written}")
        assert response.status_code == 200 and response.get_json()["id"] == customer, written
        assert response.headers["ETag"] == '"1"'


def test_find_by_a_further_phone_but_not_a_deleted_customers(app, api, world, customer):
    with app.app_context():
        contacts.add_contact_point(actor_for(world.manager), customer, "phone", "03-1234-5678", "home")
    assert api("cashier").get("/customers/phone/0312345678").get_json()["id"] == customer
    api("manager").delete(f"/customers/{customer}")
    error_of(api("manager").get("/customers/phone/0312345678"), 404)


def test_find_by_phone_is_exact(api, customer):
    error_of(api("manager").get("/customers/phone/090-1234-5679"), 404)
    error_of(api("manager").get("/customers/phone/+84 90 123 45 67"), 404)
    for not_a_phone in ("5678", "12-34", "tanaka"):  # the last digits are a search (?phone=), not a lookup
        assert set(error_of(api("manager").get(f"/customers/phone/{not_a_phone}"), 422)["details"]) == {"phone"}


# --- search, paging, sort --------------------------------------------------------------


@pytest.fixture
def five(app, world):
    """Five customers, created in the order Eda, Cho, Abe, Dai, Bo (their numbers 1–5)."""
    with app.app_context():
        return [str(make_customer(world, name=name, phone=f"090-7777-000{index}").id)
                for index, name in enumerate(["Eda", "Cho", "Abe", "Dai", "Bo"])]  # fmt: skip


def names(response) -> list[str]:
    return [row["name"] for row in response.get_json()["data"]]


def links(response) -> dict[str, str]:
    """The Link header as {rel: url}."""
    found = {}
    for part in response.headers["Link"].split(", "):
        url, rel = part.split("; ")
        found[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return found


def test_pages_carry_total_and_links_to_their_neighbours(api, five):
    client = api("manager")
    first = client.get("/customers?status=active&sort=name&limit=2")
    body = first.get_json()
    assert (names(first), body["total"], body["limit"], body["offset"], body["has_more"]) == (["Abe", "Bo"], 5, 2, 0,
                                                                                               True)  # fmt: skip
    assert set(links(first)) == {"first", "next"}
    second = client.get(links(first)["next"].removeprefix("http://localhost/api/v1"))
    assert names(second) == ["Cho", "Dai"] and set(links(second)) == {"first", "prev", "next"}
    assert "status=active" in links(second)["next"] and "sort=name" in links(second)["next"]
    last = client.get("/customers?status=active&sort=name&limit=2&offset=4")
    assert names(last) == ["Eda"] and last.get_json()["has_more"] is False
    assert set(links(last)) == {"first", "prev"} and "offset=2" in links(last)["prev"]


def test_paging_out_of_range_is_422(api, five):
    for query in ("limit=101", "limit=0", "limit=x", "offset=-1", "offset=1.5", "offset=1000001"):
        error = error_of(api("manager").get(f"/customers?status=active&{query}"), 422)
        assert set(error["details"]) == {query.split("=")[0]}, query
    assert api("manager").get("/customers?status=active&limit=100").status_code == 200


SORTED = {
    "name": ["Abe", "Bo", "Cho", "Dai", "Eda"],
    "-name": ["Eda", "Dai", "Cho", "Bo", "Abe"],
    "created_at": ["Eda", "Cho", "Abe", "Dai", "Bo"],
    "-created_at": ["Bo", "Dai", "Abe", "Cho", "Eda"],
}


def test_sort_orders_the_list(api, five):
    for sort, expected in SORTED.items():
        assert names(api("manager").get(f"/customers?status=active&sort={sort}")) == expected, sort


def test_sort_by_spending_and_last_visit(api, world, five):
    client = api("manager")
    sell(client, world.store_id, five[1], 500)  # Cho
    sell(client, world.store_id, five[3], 1200)  # Dai, the latest visit
    assert names(client.get("/customers?status=active&sort=-total_spent"))[:2] == ["Dai", "Cho"]
    assert names(client.get("/customers?status=active&sort=total_spent"))[-2:] == ["Cho", "Dai"]
    assert names(client.get("/customers?status=active&sort=-last_visit"))[:2] == ["Dai", "Cho"]
    assert names(client.get("/customers?status=active&sort=last_visit"))[:2] == ["Cho", "Dai"]  # never-seen last


def test_searches_find_by_each_filter_and_have_no_total(api, customer, five):
    client = api("manager")
    for query in ("q=Tanaka", "name=tanaka", "phone=090-1234-5678", "email=taro@example.com",
                  "customer_number=CUST-000001", "q=5678"):  # fmt: skip
        response = client.get(f"/customers?{query}")
        assert response.status_code == 200, (query, response.get_json())
        assert [row["id"] for row in response.get_json()["data"]] == [customer], query
        assert response.get_json()["total"] is None, query


def test_filters_by_tag_and_status(app, api, world, customer, five):
    with app.app_context():
        vip = tags.create_tag(actor_for(world.owner), {"name": "VIP"})
        tags.set_customer_tags(actor_for(world.owner), five[0], [vip.id])
    client = api("manager")
    assert names(client.get("/customers?tag=VIP")) == ["Eda"]
    assert (
        client.patch(f"/customers/{five[2]}", json={"status": "blocked", "status_reason": "Fraud"}).status_code == 200
    )
    assert names(client.get("/customers?status=blocked")) == ["Abe"]
    assert client.get("/customers?status=blocked").get_json()["total"] == 1


def test_a_search_pages_on_without_a_total(app, api, world, customer):
    with app.app_context():
        other = str(make_customer(world, name="Tanaka Hana", phone="090-8888-0000").id)
    client = api("manager")
    first = client.get("/customers?q=Tanaka&limit=1")
    assert first.get_json()["total"] is None and first.get_json()["has_more"] is True
    second = client.get("/customers?q=Tanaka&limit=1&offset=1")
    assert second.get_json()["has_more"] is False and "next" not in links(second)
    found = [response.get_json()["data"][0]["id"] for response in (first, second)]
    assert sorted(found) == sorted([customer, other])


def test_managers_list_deleted_customers_and_cashiers_may_not(api, customer, five):
    api("manager").delete(f"/customers/{five[0]}")
    assert names(api("owner").get("/customers?status=deleted")) == ["Eda"]
    assert set(error_of(api("cashier").get("/customers?status=deleted"), 422)["details"]) == {"status"}
    details = error_of(api("manager").get("/customers?q=Eda&status=deleted"), 422)["details"]
    assert details == {"status": "Deleted customers are listed, not searched: send status=deleted alone."}


def test_a_search_needs_a_filter_and_known_values(api):
    refused = {"": "q", "sort=name": "q", "status=gone": "status", "status=active&sort=age": "sort",
               "tag=nope": "tag", "q=a&phone=1": "phone"}  # fmt: skip
    for query, field in refused.items():
        assert set(error_of(api("manager").get(f"/customers?{query}"), 422)["details"]) == {field}, query


# --- change ----------------------------------------------------------------------------


def test_patch_changes_only_what_it_carries(app, api, customer):
    response = api("manager").patch(f"/customers/{customer}", json={"name": "Tanaka Jiro", "gender": "male"})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    changed = response.get_json()
    assert (changed["name"], changed["gender"], changed["version"]) == ("Tanaka Jiro", "male", 2)
    assert (changed["phone"], changed["email"], changed["date_of_birth"]) == ("+819012345678", "taro@example.com",
                                                                              "1990-04-01")  # fmt: skip


def test_patch_across_sections_saves_all_of_it(app, api, world, customer):
    with app.app_context():
        tags.create_tag(actor_for(world.owner), {"name": "VIP"})
    data = {"name": "Tanaka Jiro", "email": "jiro@example.com", "receipt_delivery": "email", "tags": ["VIP"],
            "status": "inactive", "status_reason": "Moved away"}  # fmt: skip
    changed = api("manager").patch(f"/customers/{customer}", json=data).get_json()
    assert {field: changed[field] for field in data} == data
    assert api("manager").get(f"/customers/{customer}").get_json() == changed
    for query in ("q=Jiro", "email=jiro@example.com", "tag=VIP&status=inactive"):  # findable as changed
        assert [row["id"] for row in api("manager").get(f"/customers?{query}").get_json()["data"]] == [customer]
    assert api("manager").get("/customers?email=taro@example.com").get_json()["data"] == []


def test_patch_with_one_bad_field_changes_nothing(app, api, customer):
    error = error_of(api("manager").patch(f"/customers/{customer}", json={"name": "Jiro", "email": "jiro@"}), 422)
    assert set(error["details"]) == {"email"}
    after = customer_row(app, customer)
    assert (after.name, after.email, after.version) == ("Tanaka Taro", "taro@example.com", 1)


@pytest.mark.parametrize(
    "data, details",
    [
        ({"merchant_id": 2}, {"merchant_id": "This field is read-only."}),
        ({"customer_number": "CUST-000009", "name": "X"}, {"customer_number": "This field is read-only."}),
        ({"total_spent": 0}, {"total_spent": "This field is read-only."}),
        ({"favourite": "tea"}, {"favourite": "There is no such field."}),
        ({"status": "merged", "status_reason": "x"}, {"status": "Choose one of the listed options."}),
        ({"status": "blocked"}, {"status_reason": "Say why, so colleagues know."}),
        ({"tags": "VIP"}, {"tags": "Give a list of tag names."}),
        ({"phone": None, "email": None}, {"phone": "Give a phone number or an email address."}),
    ],
)
def test_patch_refuses_read_only_unknown_and_bad_fields(app, api, customer, data, details):
    assert error_of(api("manager").patch(f"/customers/{customer}", json=data), 422)["details"] == details
    assert customer_row(app, customer).version == 1


def test_patch_refuses_a_phone_of_another_customer(app, api, world, customer):
    with app.app_context():
        other = str(make_customer(world, name="Other", phone="090-9999-0000").id)
    error = error_of(api("manager").patch(f"/customers/{other}", json={"phone": "09012345678"}), 422)
    assert "Tanaka Taro (CUST-000001)" in error["details"]["phone"]


def test_delete_hides_the_customer_and_restore_brings_them_back(app, api, customer):
    client = api("manager")
    deleted = client.delete(f"/customers/{customer}")
    assert deleted.status_code == 200 and deleted.get_json()["deleted_at"] is not None
    error_of(client.get("/customers/phone/09012345678"), 404)
    assert client.get("/customers?q=Tanaka").get_json()["data"] == []
    error_of(api("cashier").get(f"/customers/{customer}"), 404)
    assert client.get(f"/customers/{customer}").get_json()["deleted_at"] is not None  # a manager may restore it
    error_of(client.delete(f"/customers/{customer}"), 404)
    restored = client.post(f"/customers/{customer}/restore")
    assert restored.status_code == 200 and restored.get_json()["deleted_at"] is None
    assert client.get("/customers/phone/09012345678").get_json()["id"] == customer
    assert client.post(f"/customers/{customer}/restore").get_json()["version"] == restored.get_json()["version"]


def test_restore_is_refused_when_the_phone_went_to_someone_else(app, api, customer):
    client = api("manager")
    client.delete(f"/customers/{customer}")
    assert client.post("/customers", json={"name": "New holder", "phone": "09012345678"}).status_code == 201
    error = error_of(client.post(f"/customers/{customer}/restore"), 422)
    assert "New holder" in error["details"]["phone"]
    assert customer_row(app, customer).deleted_at is not None


# --- addresses and notes ---------------------------------------------------------------


def test_addresses_are_added_changed_and_removed_with_one_default(app, api, customer):
    client = api("manager")
    base = f"/customers/{customer}/addresses"
    home = client.post(base, json={"postal_code": "1000001", "region": "Tokyo", "city": "Chiyoda",
                                   "street": "1-1"})  # fmt: skip
    assert home.status_code == 201
    assert home.get_json() | {"id": None} == {
        "id": None, "label": "home", "use": "shipping", "country": "JP", "postal_code": "100-0001",
        "region": "Tokyo", "city": "Chiyoda", "street": "1-1", "building": None, "latitude": None,
        "longitude": None, "delivery_notes": None, "is_default": True,
    }  # fmt: skip
    work = client.post(base, json={"label": "work", "city": "Osaka", "is_default": True}).get_json()
    listed = client.get(base).get_json()["data"]
    assert [(row["city"], row["is_default"]) for row in listed] == [("Chiyoda", False), ("Osaka", True)]
    changed = client.patch(f"{base}/{home.get_json()['id']}", json={"building": "Room 5"})
    assert changed.status_code == 200
    assert (changed.get_json()["city"], changed.get_json()["building"]) == ("Chiyoda", "Room 5")
    assert client.delete(f"{base}/{work['id']}").status_code == 204
    assert [(row["city"], row["is_default"]) for row in client.get(base).get_json()["data"]] == [("Chiyoda", True)]
    assert client.get(f"/customers/{customer}").get_json()["addresses"][0]["building"] == "Room 5"


@pytest.mark.parametrize(
    "data, fields",
    [
        ({"postal_code": "12345", "city": "Osaka"}, {"postal_code"}),
        ({"building": "Room 5"}, {"street"}),
        ({"city": "Osaka", "latitude": 91, "label": "moon"}, {"latitude", "label"}),
        ({"city": "Osaka", "country": "XX"}, {"country"}),
        ({"city": "Osaka", "floor": 3}, {"floor"}),
    ],
)
def test_a_bad_address_is_refused_by_field(app, api, customer, data, fields):
    assert set(error_of(api("manager").post(f"/customers/{customer}/addresses", json=data), 422)["details"]) == fields
    assert count(app, Address) == 0


def test_an_address_of_another_customer_is_404(app, api, world, customer):
    client = api("manager")
    address = client.post(f"/customers/{customer}/addresses", json={"city": "Osaka"}).get_json()["id"]
    with app.app_context():
        other = str(make_customer(world, name="Other", phone="090-9999-0000").id)
    error_of(client.patch(f"/customers/{other}/addresses/{address}", json={"city": "Kobe"}), 404)
    error_of(client.delete(f"/customers/{other}/addresses/{address}"), 404)
    error_of(client.delete(f"/customers/{customer}/addresses/999999"), 404)
    assert client.get(f"/customers/{customer}/addresses").get_json()["data"][0]["city"] == "Osaka"


def test_notes_are_added_by_anyone_and_listed_newest_first(app, api, customer):
    first = api("cashier").post(f"/customers/{customer}/notes", json={"body": "Likes oat milk"})
    assert first.status_code == 201
    assert (first.get_json()["body"], first.get_json()["author"]) == ("Likes oat milk", "Cashier of Alpha Coffee")
    api("manager").post(f"/customers/{customer}/notes", json={"body": "Birthday in April"})
    listed = api("cashier").get(f"/customers/{customer}/notes").get_json()["data"]
    assert [note["body"] for note in listed] == ["Birthday in April", "Likes oat milk"]


@pytest.mark.parametrize("data, field", [({"body": "  "}, "body"), ({"body": "x" * 2001}, "body"),
                                         ({"body": 5}, "body"), ({"body": "x", "pinned": True}, "pinned")])  # fmt: skip
def test_a_bad_note_is_refused(api, customer, data, field):
    assert set(error_of(api("manager").post(f"/customers/{customer}/notes", json=data), 422)["details"]) == {field}
    assert api("manager").get(f"/customers/{customer}/notes").get_json()["data"] == []


# --- purchase history ------------------------------------------------------------------


def test_history_lists_paid_orders_newest_first_with_filters(app, api, world, customer):
    client = api("cashier")
    first = sell(client, world.store_id, customer, 500)
    second = sell(client, world.other_store_id, customer, 300, 200)
    sell(client, world.store_id, customer, 700, complete=False)  # an open sale is not history yet
    history = client.get(f"/customers/{customer}/orders")
    assert history.status_code == 200
    assert [order["id"] for order in history.get_json()["data"]] == [second["id"], first["id"]]
    assert history.get_json()["total"] == 2 and history.get_json()["data"][0]["total"] == 500
    paged = client.get(f"/customers/{customer}/orders?limit=1&offset=1")
    assert [order["id"] for order in paged.get_json()["data"]] == [first["id"]] and "prev" in links(paged)
    in_store = client.get(f"/customers/{customer}/orders?store={world.other_store_id}").get_json()["data"]
    assert [order["id"] for order in in_store] == [second["id"]]
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the merchant's business day, not the machine's
    tomorrow = today + timedelta(days=1)
    assert client.get(f"/customers/{customer}/orders?start_date={tomorrow}").get_json()["total"] == 0
    both = f"/customers/{customer}/orders?start_date={today - timedelta(days=1)}&end_date={tomorrow}&status=paid"
    assert client.get(both).get_json()["total"] == 2
    assert client.get(f"/customers/{customer}/orders?status=refunded").get_json()["total"] == 0
    assert client.get(f"/customers/{customer}").get_json()["total_spent"] == 1000


def test_history_refuses_bad_filters_by_their_names(api, customer):
    refused = {"start_date=30-04-2026": "start_date", "end_date=2026-02-30": "end_date", "store=999999": "store",
               "status=lost": "status", "limit=101": "limit"}  # fmt: skip
    for query, field in refused.items():
        error = error_of(api("manager").get(f"/customers/{customer}/orders?{query}"), 422)
        assert set(error["details"]) == {field}, query


# --- export ----------------------------------------------------------------------------


def test_the_owner_exports_live_customers_as_csv_and_it_is_audited(app, api, world, customer, five):
    api("manager").delete(f"/customers/{five[0]}")
    response = api("owner").get("/customers/export")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="customers.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == list(COLUMNS)
    assert [row["name"] for row in rows] == ["Tanaka Taro", "Cho", "Abe", "Dai", "Bo"]
    assert rows[0]["phone"] == "+819012345678" and rows[0]["date_of_birth"] == "1990-04-01"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "customers.exported"))
        assert (event.actor_id, event.actor_kind, event.changes) == (str(world.owner.id), "api",
                                                                     {"customers": [None, 5]})  # fmt: skip


@pytest.mark.parametrize("role", ["manager", "cashier"])
def test_only_the_owner_may_export(app, api, customer, role):
    assert error_of(api(role).get("/customers/export"), 403)["code"] == "forbidden"
    assert count(app, AuditEvent, AuditEvent.action == "customers.exported") == 0
