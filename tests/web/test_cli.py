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
