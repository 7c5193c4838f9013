"""Demo merchants and staff, created once: running it again changes nothing."""

from sqlalchemy import select

from extensions import db

from .merchants import Merchant, Store
from .staff import StaffUser, create_staff

# Demo credentials are public by design; they only ever exist in a demo database.
DEMO_MERCHANTS = [
    {
        "merchant": {
            "name": "Sakura Coffee",
            "country": "JP",
            "phone_region": "JP",
            "currency": "JPY",
            "default_locale": "ja",
            "time_zone": "Asia/Tokyo",
            "customer_number_prefix": "CUST-",
        },
        "stores": ["Shibuya", "Umeda"],
        "domain": "sakura.example",
    },
    {
        "merchant": {
            "name": "Lotus Bakery",
            "country": "VN",
            "phone_region": "VN",
            "currency": "VND",
            "default_locale": "vi",
            "time_zone": "Asia/Ho_Chi_Minh",
            "customer_number_prefix": "LOTUS-",
        },
        "stores": ["Hoan Kiem", "District 1"],
        "domain": "lotus.example",
    },
]
ROLE_NAMES = {"owner": "Olivia Owner", "manager": "Max Manager", "cashier": "Casey Cashier"}


def demo_password(role: str) -> str:
    return f"demo-{role}-pass"


def ensure_demo_merchant(spec: dict) -> tuple[Merchant, list[StaffUser]]:
    merchant = db.session.scalar(select(Merchant).where(Merchant.name == spec["merchant"]["name"]))
    if merchant is None:
        merchant = Merchant(**spec["merchant"])
        db.session.add(merchant)
        db.session.flush()
        db.session.add_all(Store(merchant_id=merchant.id, name=name) for name in spec["stores"])
    staff = []
    for role, name in ROLE_NAMES.items():
        email = f"{role}@{spec['domain']}"
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            data = {"name": name, "email": email, "role": role}
            user = create_staff(merchant.id, data, demo_password(role), temporary=False)
        staff.append(user)
    db.session.commit()
    return merchant, staff


def ensure_demo() -> list[tuple[Merchant, list[StaffUser]]]:
    return [ensure_demo_merchant(spec) for spec in DEMO_MERCHANTS]
