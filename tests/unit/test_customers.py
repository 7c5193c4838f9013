"""Customer rules on the domain: numbering, uniqueness, stubs, versions, audit, sections."""

import multiprocessing
import uuid

import pytest
from sqlalchemy import func, select

from domain import audit
from domain.customers import addresses, contacts, notes, records, tags
from domain.customers.models import Address, ContactPoint, Customer
from domain.errors import Forbidden, Invalid, NotFound
from extensions import db
from tests.factories import actor_for, make_customer


def test_numbers_follow_the_merchant_prefix_and_sequence(app, world, other_world):
    with app.app_context():
        first = make_customer(world, phone="090-1234-0001")
        second = make_customer(world, phone="090-1234-0002")
        theirs = make_customer(other_world, phone="0912 345 678")
        assert (first.customer_number, second.customer_number) == ("CUST-000001", "CUST-000002")
        assert theirs.customer_number == "CUST-000001"  # each merchant counts on its own


def test_a_failed_create_does_not_use_up_a_number(app, world):
    with app.app_context():
        make_customer(world, phone="090-1234-0001")
        with pytest.raises(Invalid):
            make_customer(world, phone="090-1234-0001")
        assert make_customer(world, phone="090-1234-0002").customer_number == "CUST-000002"


def test_the_same_phone_may_exist_at_another_merchant(app, world, other_world):
    with app.app_context():
        make_customer(world, phone="+81 90 1234 5678")
        make_customer(other_world, phone="+81 90 1234 5678")
        with pytest.raises(records.DuplicateContact) as duplicate:
            make_customer(world, name="Someone Else", phone="09012345678")
        assert "Tanaka Taro (CUST-000001)" in duplicate.value.errors["phone"]


def test_email_is_unique_too_and_stored_normalised(app, world):
    with app.app_context():
        customer = make_customer(world, phone="", email="Hana@Example.COM")
        assert customer.email == "hana@example.com"
        with pytest.raises(records.DuplicateContact):
            make_customer(world, phone="", email="hana@example.com")


@pytest.mark.parametrize(
    "data, level, field",
    [
        ({"name": "", "phone": "090-1234-5678"}, "full", "name"),
        ({"name": "Ann", "phone": "", "email": ""}, "full", "phone"),
        ({"name": "Ann", "phone": "", "email": "ann@example.com"}, "stub", "phone"),
        ({"name": "Ann", "phone": "12"}, "full", "phone"),
        ({"name": "Ann", "phone": "090-1234-5678", "email": "nope"}, "full", "email"),
        ({"name": "Ann", "phone": "090-1234-5678", "date_of_birth": "2023-02-30"}, "full", "date_of_birth"),
        ({"name": "Ann", "phone": "090-1234-5678", "date_of_birth": "2999-01-01"}, "full", "date_of_birth"),
        ({"name": "Ann", "phone": "090-1234-5678", "name_kana": "Tanaka"}, "full", "name_kana"),
        ({"name": "Ann", "phone": "090-1234-5678", "gender": "robot"}, "full", "gender"),
        ({"name": "A" * 201, "phone": "090-1234-5678"}, "full", "name"),
    ],
)
def test_bad_records_are_refused_and_nothing_is_written(app, world, data, level, field):
    with app.app_context():
        with pytest.raises(Invalid) as refused:
            records.create_customer(actor_for(world.manager), data, profile_level=level)
        assert field in refused.value.errors
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 0


def test_kana_is_normalised_and_drives_the_sort_key(app, world):
    with app.app_context():
        customer = make_customer(world, name="田中 太郎", name_kana="たなか ﾀﾛｳ")
        assert customer.name_kana == "タナカ タロウ"
        assert customer.sort_name == "タナカ タロウ"


def test_merchant_and_number_never_change(app, world, other_world):
    with app.app_context():
        customer = make_customer(world)
        with pytest.raises(ValueError):
            customer.customer_number = "CUST-999999"
        with pytest.raises(ValueError):
            customer.merchant_id = other_world.merchant_id


def test_stale_edit_is_refused_with_what_changed(app, world):
    with app.app_context():
        customer = make_customer(world)
        actor = actor_for(world.manager)
        records.update_section(actor, customer.id, "identity", {"name": "Tanaka Jiro"}, customer.version - 0)
        with pytest.raises(records.StaleEdit) as stale:
            records.update_section(actor, customer.id, "identity", {"name": "Tanaka Saburo"}, 1)
        change = stale.value.changes[0]
        assert (change.field, change.before, change.after) == ("name", "Tanaka Taro", "Tanaka Jiro")
        assert db.session.get(Customer, customer.id).name == "Tanaka Jiro"


def test_every_change_is_audited_with_actor_store_and_values(app, world):
    with app.app_context():
        customer = make_customer(world, document_number="AB1234567")
        actor = actor_for(world.manager, world.store_id)
        records.update_section(actor, customer.id, "identity", {"name": "Tanaka Jiro"}, customer.version)
        records.update_section(actor, customer.id, "status", {"status": "blocked", "status_reason": "Fraud"}, 2)
        records.delete_customer(actor, customer.id)
        records.restore_customer(actor, customer.id)
        events = audit.events_for(world.merchant_id, "customer", customer.id)
        actions = [event.action for event in reversed(events)]
        assert actions == [
            "customer.created",
            "customer.updated",
            "customer.status_changed",
            "customer.deleted",
            "customer.restored",
        ]
        created = events[-1]
        assert created.changes["document_number"] == [None, "•••• 4567"]  # masked by policy
        assert (events[0].actor_name, events[0].store_id) == ("Manager of Alpha Coffee", world.store_id)
        assert events[-2].changes["name"] == ["Tanaka Taro", "Tanaka Jiro"]


def test_contacts_addresses_tags_and_notes_are_audited(app, world):
    with app.app_context():
        manager = actor_for(world.manager, world.store_id)
        customer = make_customer(world)
        point = contacts.add_contact_point(manager, customer.id, "email", "t@example.com", "work")
        contacts.add_contact_point(manager, customer.id, "phone", "03-1234-5678", "home")
        other = next(p for p in customer.contact_points if p.value == "+81312345678")
        contacts.remove_contact_point(manager, customer.id, other.id)
        address = addresses.add_address(manager, customer.id, {"city": "Kyoto"})
        addresses.update_address(manager, customer.id, address.id, {"city": "Nara"})
        addresses.delete_address(manager, customer.id, address.id)
        vip = tags.create_tag(manager, {"name": "VIP"})
        tags.set_customer_tags(manager, customer.id, [vip.id])
        note = notes.add_note(manager, customer.id, "Allergic to nuts")
        notes.set_pinned(manager, customer.id, note.id, True)
        actions = [e.action for e in reversed(audit.events_for(world.merchant_id, "customer", customer.id))]
        assert actions == [
            "customer.created",
            "contact.added",
            "contact.added",
            "contact.removed",
            "address.added",
            "address.changed",
            "address.removed",
            "customer.tags_changed",
            "note.added",
            "note.pinned",
        ]
        assert point.value == "t@example.com"


def test_status_other_than_active_needs_a_reason(app, world):
    with app.app_context():
        customer = make_customer(world)
        with pytest.raises(Invalid) as refused:
            records.update_section(actor_for(world.owner), customer.id, "status", {"status": "inactive"}, 1)
        assert "status_reason" in refused.value.errors


def test_delete_frees_the_phone_and_restore_reclaims_it(app, world):
    with app.app_context():
        manager = actor_for(world.manager)
        gone = make_customer(world)
        records.delete_customer(manager, gone.id)
        with pytest.raises(NotFound):
            records.get_customer(manager, gone.id)
        taker = make_customer(world, name="New Holder")
        with pytest.raises(records.DuplicateContact) as refused:
            records.restore_customer(manager, gone.id)
        assert "New Holder" in refused.value.errors["phone"]
        records.delete_customer(manager, taker.id)
        assert records.restore_customer(manager, gone.id).deleted_at is None


def test_cashiers_create_and_note_but_cannot_touch_sensitive_data(app, world):
    with app.app_context():
        cashier = actor_for(world.cashier)
        customer = records.create_customer(cashier, {"name": "Quick", "phone": "080-1111-2222"}, profile_level="stub")
        assert customer.profile_level == "stub"
        notes.add_note(cashier, customer.id, "Prefers oat milk")
        records.update_section(cashier, customer.id, "preferences", {"receipt_delivery": "sms"}, 1)
        refused = [
            lambda: records.update_section(cashier, customer.id, "identity", {"date_of_birth": "1990-01-01"}, 2),
            lambda: records.update_section(cashier, customer.id, "identity", {"document_number": "X"}, 2),
            lambda: records.update_section(cashier, customer.id, "status", {"status": "blocked"}, 2),
            lambda: contacts.update_primary_contacts(cashier, customer.id, {"phone": "080-1111-3333"}, 2),
            lambda: contacts.add_contact_point(cashier, customer.id, "email", "a@example.com", "work"),
            lambda: addresses.add_address(cashier, customer.id, {"city": "Tokyo"}),
            lambda: tags.create_tag(cashier, {"name": "VIP"}),
            lambda: records.delete_customer(cashier, customer.id),
            lambda: records.create_customer(cashier, {"name": "X", "phone": "080-1111-4444",
                                                       "document_number": "D1"}),
        ]  # fmt: skip
        for action in refused:
            with pytest.raises(Forbidden):
                action()


def test_consent_records_time_and_source_and_withdrawal(app, world):
    with app.app_context():
        customer = make_customer(world)
        actor = actor_for(world.cashier, world.store_id)
        records.update_section(actor, customer.id, "preferences", {"email_consent": "y"}, 1)
        assert customer.email_consent and customer.email_consent_source == "in_store"
        granted_at = customer.email_consent_at
        records.update_section(actor, customer.id, "preferences", {"email_consent": ""}, 2)
        assert not customer.email_consent and customer.email_consent_at >= granted_at


def test_primary_contacts_and_further_contact_points(app, world):
    with app.app_context():
        manager = actor_for(world.manager)
        customer = make_customer(world)
        contacts.add_contact_point(manager, customer.id, "phone", "03-1234-5678", "work")
        work = next(p for p in customer.contact_points if p.value == "+81312345678")
        contacts.make_primary(manager, customer.id, work.id)
        assert customer.phone == "+81312345678"
        contacts.update_primary_contacts(manager, customer.id, {"email": "t@example.com"}, customer.version)
        assert customer.email == "t@example.com"
        points = db.session.scalars(select(ContactPoint).where(ContactPoint.customer_id == customer.id)).all()
        assert sorted((p.kind, p.value, p.is_primary) for p in points) == [
            ("email", "t@example.com", True),
            ("phone", "+81312345678", True),
            ("phone", "+819012345678", False),
        ]
        with pytest.raises(Invalid):
            contacts.remove_contact_point(manager, customer.id, work.id)
        with pytest.raises(Invalid):
            contacts.update_primary_contacts(manager, customer.id, {"phone": "", "email": ""}, customer.version)


def test_exactly_one_default_address(app, world):
    with app.app_context():
        manager = actor_for(world.manager)
        customer = make_customer(world)
        home = addresses.add_address(manager, customer.id, {"postal_code": "〒1000001", "region": "東京都",
                                                           "city": "千代田区", "street": "千代田1-1"})  # fmt: skip
        assert (home.is_default, home.postal_code, home.country) == (True, "100-0001", "JP")
        work = addresses.add_address(manager, customer.id, {"label": "work", "city": "Osaka", "is_default": "y"})
        defaults = db.session.scalars(select(Address.id).where(Address.is_default)).all()
        assert defaults == [work.id]
        addresses.delete_address(manager, customer.id, work.id)
        assert db.session.scalars(select(Address.id).where(Address.is_default)).all() == [home.id]
        with pytest.raises(Invalid) as refused:
            addresses.add_address(manager, customer.id, {"postal_code": "12", "city": "Kyoto"})
        assert "seven digits" in refused.value.errors["postal_code"]


def test_tags_of_another_merchant_cannot_be_assigned(app, world, other_world):
    with app.app_context():
        ours = tags.create_tag(actor_for(world.owner), {"name": "VIP", "colour": "purple"})
        theirs = tags.create_tag(actor_for(other_world.owner), {"name": "VIP"})
        customer = make_customer(world)
        with pytest.raises(Invalid):
            tags.set_customer_tags(actor_for(world.manager), customer.id, [theirs.id])
        tags.set_customer_tags(actor_for(world.manager), customer.id, [ours.id])
        assert [t.name for t in customer.tags] == ["VIP"]


def test_another_merchants_customer_is_not_found(app, world, other_world):
    with app.app_context():
        customer = make_customer(world)
        intruder = actor_for(other_world.owner)
        for attempt in (
            lambda: records.get_customer(intruder, customer.id),
            lambda: records.update_section(intruder, customer.id, "identity", {"name": "X"}, 1),
            lambda: records.delete_customer(intruder, customer.id),
            lambda: notes.add_note(intruder, customer.id, "hello"),
            lambda: records.get_customer(intruder, uuid.uuid4()),
            lambda: records.get_customer(intruder, "not-a-uuid"),
        ):
            with pytest.raises(NotFound):
                attempt()


def _create_many(database_url, owner_id, store_id, count, phone=None):
    """Runs in a separate process: creates `count` customers, returns numbers and refusals."""
    from domain.actors import Actor
    from domain.staff import StaffUser
    from tests.conftest import build_app  # also makes argon2 cheap, as in the parent

    app = build_app(database_url)
    numbers, refused = [], 0
    with app.test_request_context():
        actor = Actor(db.session.get(StaffUser, owner_id), store_id=store_id)
        for index in range(count):
            data = {"name": f"Racer {index}", "phone": phone or f"+81 90 1{uuid.uuid4().int % 10**7:07d}"}
            try:
                numbers.append(records.create_customer(actor, data).customer_number)
            except Invalid:
                db.session.rollback()
                refused += 1
        db.engine.dispose()
    return numbers, refused


def _race(database_url, world, per_process, phone=None):
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        args = [(database_url, world.manager.id, world.store_id, per_process, phone)] * 4
        return pool.starmap(_create_many, args)


def test_concurrent_creates_get_consecutive_distinct_numbers(app, database_url, world):
    results = _race(database_url, world, 50)
    numbers = sorted(number for process_numbers, _ in results for number in process_numbers)
    assert numbers == [f"CUST-{n:06d}" for n in range(1, 201)]


def test_concurrent_creates_of_one_phone_give_one_customer(app, database_url, world):
    results = _race(database_url, world, 5, phone="090-5555-0000")
    assert sum(len(numbers) for numbers, _ in results) == 1
    assert sum(refused for _, refused in results) == 19
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 1
