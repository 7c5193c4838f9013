"""The till through HTTP: a sale with its customer, items, completion and receipt choice."""

import re

from domain.customers.models import Customer
from domain.sales.models import SaleOrder
from extensions import db
from tests.conftest import text_of
from tests.factories import make_customer

HX = {"HX-Request": "true"}


def open_sale(client) -> str:
    response = client.post("/checkout/sales")
    assert response.status_code == 302, text_of(response)
    return re.search(r"/checkout/sales/([0-9a-f-]+)", response.location).group(1)


def add_item(client, sale, name="Latte", price="480", quantity="1", category="Drinks"):
    """As the till's item form sends it: aimed at the rows, to append the new one."""
    data = {"name": name, "category": category, "quantity": quantity, "unit_price": price}
    return client.post(f"/checkout/sales/{sale}/lines", data=data, headers={**HX, "HX-Target": "lines"})


def customer_row(app, customer_id):
    with app.app_context():
        return db.session.get(Customer, customer_id)


def order_row(app, sale):
    import uuid

    with app.app_context():
        order = db.session.get(SaleOrder, uuid.UUID(sale))
        order.lines  # noqa: B018 (loaded while the context is open)
        return order


def test_a_sale_attached_to_a_customer_updates_their_counters(app, world, signed_in):
    with app.app_context():
        customer_id = make_customer(world, name="田中 太郎", name_kana="タナカ タロウ", phone="090-1234-5678").id
    client = signed_in("cashier")
    sale = open_sale(client)
    page = client.get(f"/checkout/sales/{sale}")
    assert page.status_code == 200 and 'data-focus-on="search"' in page.get_data(as_text=True)

    found = client.get(f"/customers/search?q=5678&sale={sale}", headers=HX).get_data(as_text=True)
    assert f'action="/checkout/sales/{sale}/customer"' in found and "田中 太郎" in found

    attached = client.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(customer_id)}, headers=HX)
    html = attached.get_data(as_text=True)
    assert attached.status_code == 200 and "田中 太郎" in html and "タナカ タロウ" in html
    assert "•••• 5678" in html and "090-1234-5678" not in html  # a cashier sees the masked phone
    assert 'data-focus-on="item"' in html
    # Only the customer travels, and the receipt's default (the customer's preference) out of band.
    assert html.lstrip().startswith('<section class="panel till-customer" id="sale-customer"')
    assert 'id="receipt-channels" hx-swap-oob="true"' in html and 'id="items"' not in html

    add_item(client, sale, "Latte", "480", "2")
    added = add_item(client, sale, "Croissant", "320")
    html = added.get_data(as_text=True)
    assert "¥1,280" in text_of(added) and 'id="till-total" hx-swap-oob="true"' in html
    # Only the new row and the total travel: the form the cashier types in stays as it is.
    assert html.lstrip().startswith("<tr>") and "Croissant" in html and "Latte" not in html
    assert 'id="line-form"' not in html and "田中 太郎" not in html
    removed = client.post(f"/checkout/sales/{sale}/lines/{order_row(app, sale).lines[0].id}/remove", headers=HX)
    assert "Latte" not in text_of(removed) and "Croissant" in text_of(removed) and "¥320" in text_of(removed)
    add_item(client, sale, "Latte", "480", "2")

    done = client.post(f"/checkout/sales/{sale}/complete", headers=HX,
                       data={"payment_method": "card", "receipt_channel": "print"})  # fmt: skip
    assert done.status_code == 200 and "Sale complete" in text_of(done)
    customer = customer_row(app, customer_id)
    assert (customer.total_spent, customer.total_visits) == (1280, 1)
    assert customer.first_visit_at == customer.last_visit_at is not None
    order = order_row(app, sale)
    assert (order.status, order.customer_name, order.customer_phone) == ("paid", "田中 太郎", "+819012345678")


def test_detach_and_change_the_customer_while_the_sale_is_open(app, world, signed_in):
    with app.app_context():
        first = make_customer(world, name="Anna", phone="090-1111-2222").id
        second = make_customer(world, name="Bruno", phone="090-3333-4444").id
    client = signed_in("cashier")
    sale = open_sale(client)
    client.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(first)}, headers=HX)
    removed = client.post(f"/checkout/sales/{sale}/customer/remove", headers=HX)
    assert "Anna" not in text_of(removed) and 'id="search-q"' in removed.get_data(as_text=True)
    changed = client.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(second)}, headers=HX)
    assert "Bruno" in text_of(changed)
    assert order_row(app, sale).customer_id == second


def test_quick_create_attaches_a_new_stub_and_offers_the_existing_one_for_a_known_phone(app, world, signed_in):
    with app.app_context():
        known = make_customer(world, name="Known Person", phone="090-5555-6666").id
    client = signed_in("cashier")
    sale = open_sale(client)
    offered = client.post(f"/checkout/sales/{sale}/quick-create", headers=HX,
                          data={"name": "Someone Else", "phone": "09055556666"})  # fmt: skip
    assert offered.status_code == 409
    assert "Attach Known Person instead" in text_of(offered)
    assert order_row(app, sale).customer_id is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Customer)) == 1  # nothing half-written

    created = client.post(f"/checkout/sales/{sale}/quick-create", headers=HX,
                          data={"name": "New Regular", "phone": "080-1234-0000", "email": ""})  # fmt: skip
    assert created.status_code == 200 and "New Regular" in text_of(created)
    order = order_row(app, sale)
    stub = customer_row(app, order.customer_id)
    assert (stub.name, stub.profile_level, stub.phone) == ("New Regular", "stub", "+818012340000")
    assert order.customer_id != known


def test_bad_input_at_the_till_is_explained_and_changes_nothing(app, world, signed_in):
    client = signed_in("cashier")
    sale = open_sale(client)
    for data, message in [
        ({"name": "", "unit_price": "100"}, "This field is required."),
        ({"name": "Tea", "unit_price": "abc"}, "Enter an amount, like 1,200."),
        ({"name": "Tea", "unit_price": "1.5"}, "Use at most 0 decimal places."),
        ({"name": "Tea", "unit_price": "100", "quantity": "0"}, "Enter a quantity from 1 to 9999."),
    ]:
        response = client.post(f"/checkout/sales/{sale}/lines", data=data, headers={**HX, "HX-Target": "lines"})
        assert response.status_code == 422 and message in text_of(response), data
        # Not appended as a row: the section comes back with the form showing the problem,
        # aimed (once corrected) at the whole section, which clears the message.
        assert (response.headers["HX-Retarget"], response.headers["HX-Reswap"]) == ("#items", "outerHTML")
        assert 'hx-target="#items" hx-swap="outerHTML"' in response.get_data(as_text=True)
    empty = client.post(f"/checkout/sales/{sale}/complete", data={"payment_method": "cash"}, headers=HX)
    assert empty.status_code == 422 and "Add at least one item" in text_of(empty)
    bad_phone = client.post(f"/checkout/sales/{sale}/quick-create", data={"name": "X", "phone": "12"}, headers=HX)
    assert bad_phone.status_code == 422 and "too short" in text_of(bad_phone)
    order = order_row(app, sale)
    assert (order.status, order.lines, order.total) == ("open", [], 0)


def test_a_closed_sale_cannot_change(app, world, signed_in):
    client = signed_in("cashier")
    sale = open_sale(client)
    add_item(client, sale)
    client.post(f"/checkout/sales/{sale}/complete", data={"payment_method": "cash", "receipt_channel": "none"})
    again = client.post(f"/checkout/sales/{sale}/complete", data={"payment_method": "cash"}, headers=HX)
    assert again.status_code == 409
    assert add_item(client, sale).status_code == 409
    assert order_row(app, sale).total == 480


def test_walk_in_snapshot_and_later_registration(app, world, signed_in):
    client = signed_in("cashier")
    sale = open_sale(client)
    noted = client.post(f"/checkout/sales/{sale}/walk-in", headers=HX,
                        data={"walk_in_name": "Passer By", "walk_in_phone": "090-7777-8888"})  # fmt: skip
    assert noted.status_code == 200 and "Passer By" in text_of(noted)
    add_item(client, sale, price="1000")
    client.post(f"/checkout/sales/{sale}/complete", data={"payment_method": "cash", "receipt_channel": "none"})
    order = order_row(app, sale)
    assert (order.customer_id, order.customer_name, order.customer_phone) == (None, "Passer By", "+819077778888")

    registered = client.post(f"/orders/{sale}/register")
    assert registered.status_code == 302
    order = order_row(app, sale)
    customer = customer_row(app, order.customer_id)
    assert (customer.name, customer.phone, customer.total_spent, customer.total_visits) == (
        "Passer By", "+819077778888", 1000, 1)  # fmt: skip


def test_another_merchants_sale_or_customer_is_not_found(app, world, other_world, signed_in):
    with app.app_context():
        theirs = make_customer(other_world, phone="0912 345 678").id
    other_client = signed_in("cashier", other_world)
    their_sale = open_sale(other_client)
    client = signed_in("cashier")
    assert client.get(f"/checkout/sales/{their_sale}").status_code == 404
    assert client.get(f"/orders/{their_sale}").status_code == 404
    assert add_item(client, their_sale).status_code == 404
    mine = open_sale(client)
    assert client.post(f"/checkout/sales/{mine}/customer", data={"customer_id": str(theirs)}).status_code == 404
    assert client.post(f"/checkout/sales/{mine}/customer", data={"customer_id": "nonsense"}).status_code == 404


def test_profile_shows_purchases_with_filters_and_the_spending_summary(app, world, signed_in):
    with app.app_context():
        customer_id = make_customer(world, name="Regular One", phone="090-8888-9999").id
    client = signed_in("cashier")
    for price in ("480", "1200"):
        sale = open_sale(client)
        client.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(customer_id)}, headers=HX)
        add_item(client, sale, "Latte", price)
        client.post(f"/checkout/sales/{sale}/complete", data={"payment_method": "cash", "receipt_channel": "none"})
    history = client.get(f"/customers/{customer_id}/purchases", headers=HX)
    text = text_of(history)
    assert history.status_code == 200 and "2 orders" in text and "¥1,200" in text and "¥480" in text
    assert text.index("¥1,200") < text.index("¥480")  # newest first
    assert "No orders match" in text_of(client.get(f"/customers/{customer_id}/purchases?status=refunded"))
    refused = client.get(f"/customers/{customer_id}/purchases?since=yesterday")
    assert refused.status_code == 422 and "Enter a date like 2026-04-30." in text_of(refused)
    summary = client.get(f"/customers/{customer_id}")
    text = text_of(summary)
    assert "Lifetime value ¥1,680" in text and "Average order ¥840" in text and "Latte × 2" in text
    assert "<svg" in summary.get_data(as_text=True)


def test_order_detail_shows_masked_data_to_cashiers_and_voids_to_managers_only(app, world, signed_in):
    with app.app_context():
        customer_id = make_customer(world, phone="090-1212-3434", email="someone@example.com").id
    cashier = signed_in("cashier")
    sale = open_sale(cashier)
    cashier.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(customer_id)}, headers=HX)
    add_item(cashier, sale)
    cashier.post(f"/checkout/sales/{sale}/complete", data={"payment_method": "card", "receipt_channel": "email"})
    page = cashier.get(f"/orders/{sale}").get_data(as_text=True)
    assert "someone@example.com" not in page and "090-1212-3434" not in page
    assert "Refund" not in page and cashier.post(f"/orders/{sale}/refund").status_code == 403
    manager = signed_in("manager")
    assert "someone@example.com" in manager.get(f"/orders/{sale}").get_data(as_text=True)
    assert manager.post(f"/orders/{sale}/refund").status_code == 302
    assert "Refunded" in text_of(manager.get(f"/orders/{sale}"))
    assert customer_row(app, customer_id).total_visits == 0
