"""The demo command: credentials printed one per line, idempotent, and they work."""

from sqlalchemy import func, select

from domain.merchants import Merchant, Store
from domain.staff import StaffUser
from extensions import db


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
