"""The demo command: credentials printed one per line, idempotent, and they work."""

from sqlalchemy import func, select

from domain.merchants import Merchant, Store
from domain.staff import StaffUser
from extensions import db
from tests.web.test_receipts import smtp  # noqa: F401 (the SMTP server fixture)


def counts(app):
    with app.app_context():
        return [db.session.scalar(select(func.count()).select_from(m)) for m in (Merchant, Store, StaffUser)]


def test_demo_prints_working_credentials_and_can_run_twice(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    assert lines[0] == "Sakura Coffee" and "Lotus Bakery" in lines
    users = [line.split() for line in lines if line.split()[0] in ("owner", "manager", "cashier")]
    assert [u[0] for u in users] == ["owner", "manager", "cashier"] * 2
    assert counts(app) == [2, 4, 6]

    second = runner.invoke(args=["demo"])
    assert second.output == first.output
    assert counts(app) == [2, 4, 6]

    for _role, email, password in users:
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": password}).status_code == 302, email


def test_demo_customers_are_realistic_numbered_and_can_be_added_again(app):
    import phonenumbers

    from domain.customers.models import ContactPoint, Customer

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--customers", "300"]).exit_code == 0
    assert runner.invoke(args=["demo", "--customers", "200"]).exit_code == 0
    with app.app_context():
        rows = db.session.execute(select(Customer.customer_number, Customer.phone, Customer.name,
                                         Customer.name_kana, Customer.merchant_id)).all()  # fmt: skip
        phones_in_use = db.session.scalars(select(ContactPoint.value).where(ContactPoint.kind == "phone")).all()
    assert sorted(number for number, *_ in rows) == [f"CUST-{n:06d}" for n in range(1, 501)]
    assert len({merchant for *_, merchant in rows}) == 1
    assert len(set(phones_in_use)) == len(phones_in_use) == 500
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(phone)) for _, phone, *_ in rows)
    regions = {phonenumbers.region_code_for_number(phonenumbers.parse(phone)) for _, phone, *_ in rows}
    assert regions == {"JP", "VN", "OM", "US"}
    assert any(kana for *_, kana, _ in rows)  # Japanese names carry their reading
    assert any("ễ" in name or "ầ" in name or "ạ" in name or "ư" in name for _, _, name, *_ in rows)


def test_demo_customers_come_with_orders_and_recompute_finds_no_drift(app):
    from domain.customers.models import Customer
    from domain.sales.models import SaleOrder

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "--customers", "40", "--other-customers", "5"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SaleOrder)) > 40
        assert db.session.scalar(select(func.sum(Customer.total_visits))) > 0
    check = runner.invoke(args=["customers", "recompute", "--check"])
    assert check.exit_code == 0 and "No drift." in check.output
    with app.app_context():
        third = Customer.__table__.update().where(Customer.customer_number == "CUST-000003")
        db.session.execute(third.values(total_spent=1))
        db.session.commit()
    drifted = runner.invoke(args=["customers", "recompute", "--check"])
    assert drifted.exit_code == 1 and "CUST-000003: stored spent=1" in drifted.output
    assert "Repaired 1 customers." in runner.invoke(args=["customers", "recompute"]).output
    assert runner.invoke(args=["customers", "recompute", "--check"]).exit_code == 0


def test_outbox_worker_sends_what_is_due(app, world, smtp):  # noqa: F811
    from domain import outbox
    from domain.sales import orders
    from tests.conftest import build_app
    from tests.factories import actor_for

    with app.test_request_context():  # a sale whose receipt is waiting: OUTBOX_DELIVERY=worker
        actor = actor_for(world.cashier, world.store_id)
        sale = orders.open_sale(actor)
        orders.add_line(actor, sale.id, {"name": "Tea", "unit_price": "300"}, "en")
        orders.complete_sale(actor, sale.id, "cash", "email", "worker@example.com")
    worker_app = build_app(app.config["SQLALCHEMY_DATABASE_URI"], MAIL_HOST="127.0.0.1", MAIL_PORT=smtp.port)
    result = worker_app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0 and "sent: 1" in result.output
    assert [recipients for recipients, _ in smtp.inbox.messages] == [["worker@example.com"]]
    with app.app_context():
        assert db.session.scalar(select(outbox.OutboxMessage.status)) == "sent"
