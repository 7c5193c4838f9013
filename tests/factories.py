"""Test data built through the domain, so tests exercise the same rules as the app."""

from dataclasses import dataclass

from domain.merchants import Merchant, Store
from domain.staff import StaffUser, create_staff
from extensions import db

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Staff:
    id: int
    email: str
    role: str


@dataclass(frozen=True)
class World:
    """One merchant with two stores and one staff member per role, as plain values: tests
    read the database inside their own app context, never through stale ORM objects."""

    merchant_id: int
    store_id: int
    other_store_id: int
    owner: Staff
    manager: Staff
    cashier: Staff

    def staff(self, role: str) -> Staff:
        return getattr(self, role)


def make_merchant(slug: str, **overrides) -> Merchant:
    fields = {
        "name": f"{slug.title()} Coffee",
        "country": "JP",
        "phone_region": "JP",
        "currency": "JPY",
        "default_locale": "en",
        "time_zone": "Asia/Tokyo",
        "customer_number_prefix": "CUST-",
    } | overrides
    merchant = Merchant(**fields)
    db.session.add(merchant)
    db.session.flush()
    return merchant


def make_staff(merchant: Merchant, role: str, email: str, **overrides) -> StaffUser:
    data = {"name": f"{role.title()} of {merchant.name}", "email": email, "role": role} | overrides
    user = create_staff(merchant.id, data, PASSWORD, temporary=False)
    db.session.flush()
    return user


def make_world(slug: str, **merchant_fields) -> World:
    merchant = make_merchant(slug, **merchant_fields)
    stores = [
        Store(merchant_id=merchant.id, name=name) for name in (f"{slug.title()} Main Street", f"{slug.title()} Station")
    ]
    db.session.add_all(stores)
    db.session.flush()
    staff = {role: make_staff(merchant, role, f"{role}@{slug}.example") for role in ("owner", "manager", "cashier")}
    db.session.commit()
    return World(
        merchant.id,
        stores[0].id,
        stores[1].id,
        **{role: Staff(user.id, user.email, role) for role, user in staff.items()},
    )


def actor_for(staff: Staff, store_id: int | None = None):
    """A domain Actor for a staff member of a World (inside an app context)."""
    from domain.actors import Actor

    return Actor(db.session.get(StaffUser, staff.id), store_id=store_id)


def make_customer(world: World, role: str = "manager", **data):
    from domain.customers.records import create_customer

    data = {"name": "Tanaka Taro", "phone": "090-1234-5678"} | data
    return create_customer(actor_for(world.staff(role), world.store_id), data)
