"""Rules held by the domain itself, without HTTP: the JSON API will share every one."""

import threading

import pytest
from sqlalchemy import select

from domain import merchants, ratelimit, staff
from domain.errors import Forbidden, Invalid, NotFound
from domain.merchants import Store
from domain.staff import StaffUser
from domain.tenancy import get_scoped
from extensions import db
from tests.conftest import build_app

OWNER_ONLY = [
    lambda actor, world: merchants.add_store(actor, "Airport"),
    lambda actor, world: merchants.rename_store(actor, world.store_id, "Renamed"),
    lambda actor, world: merchants.set_store_active(actor, world.other_store_id, False),
    lambda actor, world: merchants.update_merchant(actor, {"name": "x"}),
    lambda actor, world: staff.add_staff(actor, {"name": "N", "email": "n@alpha.example", "role": "cashier"}),
    lambda actor, world: staff.change_role(actor, world.cashier.id, "manager"),
    lambda actor, world: staff.set_staff_active(actor, world.cashier.id, False),
    lambda actor, world: staff.list_staff(actor),
]


@pytest.mark.parametrize("role", ["manager", "cashier"])
@pytest.mark.parametrize("action", range(len(OWNER_ONLY)))
def test_owner_only_operations_refuse_other_roles(app, world, role, action):
    with app.app_context():
        actor = db.session.get(StaffUser, world.staff(role).id)
        with pytest.raises(Forbidden):
            OWNER_ONLY[action](actor, world)


def test_records_of_another_merchant_are_not_found(app, world, other_world):
    with app.app_context():
        assert get_scoped(Store, world.store_id, world.merchant_id).id == world.store_id
        for record_id in (world.store_id, "1; drop table store", None, "abc"):
            with pytest.raises(NotFound):
                get_scoped(Store, record_id, other_world.merchant_id)
        intruder = db.session.get(StaffUser, other_world.owner.id)
        with pytest.raises(NotFound):
            staff.change_role(intruder, world.cashier.id, "owner")
        assert db.session.get(StaffUser, world.cashier.id).role == "cashier"


def test_the_last_owner_is_kept(app, world):
    with app.app_context():
        owner = db.session.get(StaffUser, world.owner.id)
        with pytest.raises(Invalid):
            staff.change_role(owner, owner.id, "manager")
        db.session.rollback()
        staff.change_role(owner, world.manager.id, "owner")
        staff.change_role(owner, owner.id, "manager")  # another owner now exists
        roles = dict(db.session.execute(select(StaffUser.id, StaffUser.role)).all())
        assert roles[world.owner.id] == "manager" and roles[world.manager.id] == "owner"


def test_rate_counters_are_exact_under_concurrent_writers(app, database_url):
    """Two app instances (as two workers) and several threads bump one counter at once."""
    apps = [app, build_app(database_url)]

    def bump(worker_app):
        with worker_app.app_context():
            for _ in range(10):
                ratelimit.increment("login:account:race@example.com", 900)
                db.session.commit()

    threads = [threading.Thread(target=bump, args=(apps[i % 2],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert ratelimit.current_count("login:account:race@example.com", 900) == 40
    with apps[1].app_context():
        db.engine.dispose()


def test_customer_ids_are_time_ordered_uuids():
    from datetime import UTC, datetime, timedelta

    from domain.ids import uuid7

    earlier = uuid7(datetime(2026, 1, 1, tzinfo=UTC))
    later = uuid7(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(milliseconds=1))
    assert earlier < later and earlier.version == 7 and str(earlier)[14] == "7"
    assert uuid7(random_bits=5) != uuid7(random_bits=6)
