"""Receipts leave through real transports: SMTP to a server on loopback (aiosmtpd), SMS to
an HTTP provider the test serves; a mail server that is down never loses the sale."""

import email
import json
import re
import socket
import threading
from datetime import timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller

from domain import outbox
from domain.customers import records
from domain.sales.models import SaleOrder
from domain.transports import transports_from
from domain.types import utcnow
from extensions import db
from tests.conftest import build_app, sign_in, text_of
from tests.factories import actor_for, make_customer
from tests.web.test_checkout import HX, add_item, open_sale


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    """A real SMTP server on loopback; `.inbox.messages` holds what it received."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.inbox = inbox
    yield controller
    controller.stop()


@pytest.fixture
def sms_provider():
    """An SMS provider's HTTP endpoint on loopback: records each request, answers `status`."""
    received, state = [], {"status": 202}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.headers.get("Authorization"), body))
            self.send_response(state["status"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/messages", received, state
    server.shutdown()


def complete_with_receipt(client, sale, **choice):
    return client.post(f"/checkout/sales/{sale}/complete", data={"payment_method": "card", **choice}, headers=HX)


def test_email_receipt_arrives_in_the_customers_language(app, database_url, world, smtp):
    mail_app = build_app(database_url, MAIL_HOST="127.0.0.1", MAIL_PORT=smtp.port)
    with mail_app.test_request_context():
        customer = make_customer(world, name="佐藤 花子", phone="090-2222-3333", email="hanako@example.jp")
        records.update_section(actor_for(world.manager), customer.id, "preferences",
                               {"receipt_delivery": "email", "language": "ja"}, customer.version)  # fmt: skip
        customer_id = customer.id
    client = mail_app.test_client()
    sign_in(client, world.cashier.email)
    sale = open_sale(client)
    attached = client.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(customer_id)}, headers=HX)
    assert re.search(r'<input checked [^>]*value="email"', attached.get_data(as_text=True))  # now the default
    add_item(client, sale, "Latte", "480", "2")
    add_item(client, sale, "Croissant", "320")
    done = complete_with_receipt(client, sale)  # the customer's preference: email
    assert done.status_code == 200 and "Sent" in text_of(done)

    [(recipients, message)] = smtp.inbox.messages
    assert recipients == ["hanako@example.jp"]
    assert message["Subject"] != "Your receipt from Alpha Coffee"  # Japanese, not English
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Latte" in body and "Croissant" in body and "￥1,280" in body  # ja writes the yen full-width
        assert "/r/" in body  # the link to the receipt online
    assert '<html lang="ja"' in html
    purchases = text_of(client.get(f"/customers/{customer_id}/purchases", headers=HX))
    assert "Email · Sent" in purchases  # the profile shows how the receipt went out


def test_mail_server_down_keeps_the_sale_and_a_retry_delivers(app, database_url, world, smtp):
    down = free_port()  # nothing listens here
    down_app = build_app(database_url, MAIL_HOST="127.0.0.1", MAIL_PORT=down)
    client = down_app.test_client()
    sign_in(client, world.cashier.email)
    sale = open_sale(client)
    add_item(client, sale)
    done = complete_with_receipt(client, sale, receipt_channel="email", receipt_destination="walkin@example.com")
    assert done.status_code == 200 and "Sale complete" in text_of(done) and "Not delivered" not in text_of(done)
    assert "Waiting to send" in text_of(done) and "Failed" in text_of(done)  # the attempt, with its error
    with down_app.app_context():
        assert db.session.scalar(db.select(SaleOrder.status)) == "paid"
        [message] = db.session.scalars(db.select(outbox.OutboxMessage)).all()
        assert (message.status, message.attempts, len(message.attempt_log)) == ("pending", 1, 1)
        assert message.attempt_log[0].outcome == "failed" and str(down) in message.attempt_log[0].error

    up_app = build_app(database_url, MAIL_HOST="127.0.0.1", MAIL_PORT=smtp.port)
    with up_app.app_context():
        transports = transports_from(up_app.config)
        assert outbox.deliver_due(transports) == {}  # not due yet: retries wait
        assert outbox.deliver_due(transports, now=utcnow() + timedelta(minutes=2)) == {"sent": 1}
        [message] = db.session.scalars(db.select(outbox.OutboxMessage)).all()
        assert message.status == "sent" and [a.outcome for a in message.attempt_log] == ["failed", "sent"]
    assert [recipients for recipients, _ in smtp.inbox.messages] == [["walkin@example.com"]]
    page = text_of(client.get(f"/orders/{sale}"))
    assert "Sent" in page and "Failed" in page


def test_sms_receipt_goes_through_the_http_provider(app, database_url, world, sms_provider):
    url, received, state = sms_provider
    sms_app = build_app(database_url, SMS_PROVIDER="http", SMS_HTTP_URL=url, SMS_HTTP_TOKEN="secret-token")
    with sms_app.app_context():
        customer_id = make_customer(world, phone="090-4444-5555").id
    client = sms_app.test_client()
    sign_in(client, world.cashier.email)
    sale = open_sale(client)
    client.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(customer_id)}, headers=HX)
    add_item(client, sale, price="1500")
    complete_with_receipt(client, sale, receipt_channel="sms")
    [(authorization, body)] = received
    assert authorization == "Bearer secret-token" and body["to"] == "+819044445555"
    assert "¥1,500" in body["text"] and "/r/" in body["text"]
    link = body["text"][body["text"].index("/r/") :].split()[0]
    receipt = client.get(link)
    assert receipt.status_code == 200 and "¥1,500" in text_of(receipt)

    state["status"] = 503  # the provider refuses: recorded, not lost
    second = open_sale(client)
    add_item(client, second)
    page = complete_with_receipt(client, second, receipt_channel="sms", receipt_destination="090-4444-5555")
    assert "Sale complete" in text_of(page) and "SMS provider answered 503" in text_of(page)


def test_the_cashier_overrides_the_receipt_and_bad_destinations_are_refused(app, world, signed_in):
    with app.app_context():
        customer_id = make_customer(world, phone="090-6666-7777").id  # no email on file
    client = signed_in("cashier")
    sale = open_sale(client)
    client.post(f"/checkout/sales/{sale}/customer", data={"customer_id": str(customer_id)}, headers=HX)
    add_item(client, sale)
    page = client.get(f"/checkout/sales/{sale}").get_data(as_text=True)
    assert re.search(r'<input checked [^>]*value="print"', page)  # the customer's preference is the default
    no_email = complete_with_receipt(client, sale, receipt_channel="email")
    assert no_email.status_code == 422 and "Give an email address for the receipt." in text_of(no_email)
    bad = complete_with_receipt(client, sale, receipt_channel="email", receipt_destination="not-an-email")
    assert bad.status_code == 422 and "valid email address" in text_of(bad)
    with app.app_context():
        assert db.session.scalar(db.select(SaleOrder.status)) == "open"
        assert db.session.scalar(db.select(db.func.count()).select_from(outbox.OutboxMessage)) == 0
    printed = complete_with_receipt(client, sale, receipt_channel="print")
    assert printed.status_code == 200
    receipt = client.get(f"/orders/{sale}/receipt")
    assert receipt.status_code == 200 and "@media print" not in text_of(receipt) and "¥480" in text_of(receipt)


def test_receipt_links_are_unguessable(client, world):
    assert client.get("/r/short").status_code == 404
    assert client.get("/r/" + "x" * 32).status_code == 404


def test_send_again_now_delivers_a_waiting_receipt(app, database_url, world, smtp):
    down_app = build_app(database_url, MAIL_HOST="127.0.0.1", MAIL_PORT=free_port())
    client = down_app.test_client()
    sign_in(client, world.cashier.email)
    sale = open_sale(client)
    add_item(client, sale)
    complete_with_receipt(client, sale, receipt_channel="email", receipt_destination="later@example.com")
    with down_app.app_context():
        message_id = db.session.scalar(db.select(outbox.OutboxMessage.id))
    up_app = build_app(database_url, MAIL_HOST="127.0.0.1", MAIL_PORT=smtp.port)
    cashier = up_app.test_client()
    sign_in(cashier, world.cashier.email)
    assert cashier.post(f"/orders/{sale}/messages/{message_id}/retry").status_code == 302
    assert [recipients for recipients, _ in smtp.inbox.messages] == [["later@example.com"]]
    assert cashier.post(f"/orders/{sale}/messages/999999/retry").status_code == 404
