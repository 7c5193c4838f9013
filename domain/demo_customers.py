"""Realistic demo customers, deterministic and fast enough for a million rows.

Japanese names with kana readings, Vietnamese names with diacritics, English names;
phones from Japan, Vietnam, Oman and the United States. Rows go in by bulk inserts, and
the customer numbers come from one atomic reservation of the whole block.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from extensions import db

from .customers.models import ContactPoint, Customer
from .customers.names import romanise, sort_key
from .customers.search_index import add_vocabulary, term_rows
from .customers.search_keys import phone_digits
from .customers.search_models import NEVER, CustomerTerm
from .ids import uuid7
from .merchants import Merchant, Store
from .sales.models import OrderLine, SaleOrder
from .sequences import next_value
from .staff import StaffUser
from .types import utcnow


def _pairs(text: str) -> list[tuple[str, str]]:
    """`漢字:カナ` words → (name, reading) pairs."""
    return [tuple(word.split(":")) for word in text.split()]


JAPANESE_FAMILY = _pairs(
    "田中:タナカ 鈴木:スズキ 佐藤:サトウ 高橋:タカハシ 伊藤:イトウ 渡辺:ワタナベ 山本:ヤマモト "
    "中村:ナカムラ 小林:コバヤシ 加藤:カトウ 吉田:ヨシダ 山田:ヤマダ 佐々木:ササキ 山口:ヤマグチ "
    "松本:マツモト 井上:イノウエ 木村:キムラ 林:ハヤシ 清水:シミズ 斎藤:サイトウ 服部:ハットリ "
    "石川:イシカワ 前田:マエダ 藤田:フジタ 岡田:オカダ"
)
JAPANESE_GIVEN = _pairs(
    "太郎:タロウ 花子:ハナコ 健:ケン 美咲:ミサキ 翔:ショウ 陽菜:ヒナ 大輔:ダイスケ "
    "結衣:ユイ 拓海:タクミ さくら:サクラ 蓮:レン 葵:アオイ 悠真:ユウマ 凛:リン "
    "湊:ミナト 芽依:メイ 京子:キョウコ 一郎:イチロウ 直樹:ナオキ 由美:ユミ"
)
VIETNAMESE_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                     "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
VIETNAMESE_MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Đức", "Ngọc", "Thanh", "Quốc", "Gia", "Xuân"]
VIETNAMESE_GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
                    "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn",
                    "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Việt", "Yến"]  # fmt: skip
ENGLISH_GIVEN = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
                 "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
                 "Emily", "Olivia", "Noah", "Liam", "Emma", "Ava", "Oliver", "Sophia"]  # fmt: skip
ENGLISH_FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
                  "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark",
                  "Lewis", "Walker", "Young", "King"]  # fmt: skip
US_AREAS = [212, 213, 305, 312, 415, 617, 646, 702, 713, 808]


def ascii_fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def phone_for(index: int, rng: random.Random) -> str:
    """A valid, unique E.164 number: index-derived digits in a range of its country."""
    country = rng.random()
    if country < 0.7:
        return f"+8190{10_000_000 + index:08d}"  # Japanese mobile, 090-1xxx-xxxx onwards
    if country < 0.8:
        return f"+849{rng.choice('1468')}{index % 10_000_000:07d}"
    if country < 0.9:
        return f"+9689{index % 10_000_000:07d}"
    return f"+1{rng.choice(US_AREAS)}{2 + (index // 1_000_000) % 8}{index % 1_000_000:06d}"


def person(rng: random.Random) -> dict:
    """A name, its kana reading when Japanese, and an email-friendly ASCII form."""
    kind = rng.random()
    if kind < 0.6:
        (family, family_kana), (given, given_kana) = rng.choice(JAPANESE_FAMILY), rng.choice(JAPANESE_GIVEN)
        kana = f"{family_kana} {given_kana}"
        return {"name": f"{family} {given}", "name_kana": kana, "ascii": romanise(kana).replace(" ", ".")}
    if kind < 0.8:
        name = " ".join([rng.choice(VIETNAMESE_FAMILY), rng.choice(VIETNAMESE_MIDDLE), rng.choice(VIETNAMESE_GIVEN)])
        return {"name": name, "name_kana": None, "ascii": ascii_fold(name).lower().replace(" ", ".")}
    name = f"{rng.choice(ENGLISH_GIVEN)} {rng.choice(ENGLISH_FAMILY)}"
    return {"name": name, "name_kana": None, "ascii": name.lower().replace(" ", ".")}


# (item, category, price in yen): a café-bakery's menu; other currencies scale it.
MENU = [("Latte", "Drinks", 480), ("Cappuccino", "Drinks", 460), ("Drip coffee", "Drinks", 380),
        ("Matcha latte", "Drinks", 520), ("Iced tea", "Drinks", 350), ("Croissant", "Bakery", 280),
        ("Melon pan", "Bakery", 220), ("Curry bread", "Bakery", 260), ("Sandwich", "Food", 650),
        ("Cheesecake", "Sweets", 520), ("Coffee beans 200 g", "Retail", 1800), ("Tumbler", "Retail", 2500)]  # fmt: skip
PRICE_SCALE = {"JPY": 1, "VND": 170, "USD": 0.7, "OMR": 2.6}  # yen → the currency's minor units
ORDER_SPAN = timedelta(days=730)  # two years of history


def _lines(rng: random.Random, scale: float) -> list[dict]:
    picked = rng.sample(MENU, rng.randrange(1, 4))
    return [{"position": position, "name": name, "category": category, "quantity": rng.choice((1, 1, 1, 2)),
             "unit_price": max(1, round(price * scale))}
            for position, (name, category, price) in enumerate(picked, 1)]  # fmt: skip


def _orders(rng: random.Random, row: dict, per_customer: float, stores: list[int], cashier_id: int,
            merchant: Merchant, now) -> list[tuple[dict, list[dict]]]:  # fmt: skip
    """Paid (and a few refunded) orders of one customer since they joined, at most two years
    back, with their lines; the customer's counters are set from the paid ones."""
    scale = PRICE_SCALE.get(merchant.currency, 1)
    start = max(row["created_at"], now - ORDER_SPAN)
    count = 0 if rng.random() < 0.3 else rng.randrange(1, max(2, round(per_customer / 0.7 * 2)))
    span = (now - start).total_seconds()
    receipt = row["receipt_delivery"] if row["receipt_delivery"] in ("print", "none") else "print"
    orders = []
    for paid_at in sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count)):
        lines = _lines(rng, scale)
        refunded = rng.random() < 0.02
        order = {"id": uuid7(paid_at, rng.getrandbits(74)), "merchant_id": merchant.id, "store_id": rng.choice(stores),
                 "cashier_id": cashier_id, "status": "refunded" if refunded else "paid", "customer_id": row["id"],
                 "customer_name": row["name"], "customer_phone": row["phone"], "currency": merchant.currency,
                 "total": sum(line["quantity"] * line["unit_price"] for line in lines),
                 "item_count": sum(line["quantity"] for line in lines), "payment_method": rng.choice(PAYMENTS),
                 "receipt_channel": receipt, "opened_at": paid_at - timedelta(minutes=2), "paid_at": paid_at,
                 "closed_at": paid_at + timedelta(days=1) if refunded else None, "version": 1}  # fmt: skip
        orders.append((order, lines))
    paid = [order for order, _lines in orders if order["status"] == "paid"]
    row.update(total_spent=sum(order["total"] for order in paid), total_visits=len(paid),
               first_visit_at=paid[0]["paid_at"] if paid else None,
               last_visit_at=paid[-1]["paid_at"] if paid else None)  # fmt: skip
    return orders


PAYMENTS = ("cash", "cash", "card", "card", "wallet", "other")


def _number_orders(merchant: Merchant, orders: list[dict]) -> None:
    """Order numbers per store and business day, reserved from the same sequences the till
    uses, so a later sale on any of those days never takes a number twice."""
    zone = ZoneInfo(merchant.time_zone)
    by_day: dict[tuple[int, date], list[dict]] = {}
    for order in orders:
        order["business_date"] = order["paid_at"].astimezone(zone).date()
        by_day.setdefault((order["store_id"], order["business_date"]), []).append(order)
    for (store_id, day), group in by_day.items():
        last = next_value(merchant.id, f"order:{store_id}:{day:%Y%m%d}", len(group))
        for sequence, order in enumerate(sorted(group, key=lambda o: o["paid_at"]), start=last - len(group) + 1):
            order["sequence"], order["number"] = sequence, f"{day:%Y%m%d}-{store_id}-{sequence:04d}"


def generate(merchant: Merchant, stores: list[int], first_number: int, count: int, seed: int) -> Iterator[dict]:
    """Customer rows for bulk insert, the same for the same seed and numbers."""
    rng = random.Random(f"{seed}:{merchant.id}:{first_number}")
    now = utcnow()
    for offset in range(count):
        number = first_number + offset
        who = person(rng)
        # Created in number order over the last three years, as a real directory grows: the
        # time-ordered ids then append to the primary-key index instead of landing anywhere.
        created = now - timedelta(minutes=(count - offset) * 3 * 365 * 24 * 60 // count + rng.randrange(60))
        born = (now - timedelta(days=rng.randrange(18 * 365, 80 * 365))).date() if rng.random() < 0.5 else None
        row = {
            "id": uuid7(created, rng.getrandbits(74)),
            "merchant_id": merchant.id,
            "number": number,
            "customer_number": f"{merchant.customer_number_prefix}{number:06d}",
            "name": who["name"],
            "name_kana": who["name_kana"],
            "sort_name": sort_key(who["name"], who["name_kana"]),
            "phone": phone_for(number, rng),
            "email": f"{who['ascii']}.{number}@example.com" if rng.random() < 0.5 else None,
            "date_of_birth": born,
            "gender": rng.choice(["male", "female", "other", "prefer_not_to_say", None]),
            "customer_type": "wholesale" if rng.random() < 0.05 else "retail",
            "profile_level": "stub" if rng.random() < 0.3 else "full",
            "receipt_delivery": rng.choice(["email", "sms", "print", "none"]),
            "created_at": created,
            "updated_at": created,
            "created_store_id": rng.choice(stores) if stores else None,
            "version": 1,
            "first_visit_at": None,
            "last_visit_at": None,
            "total_visits": 0,
            "total_spent": 0,
        }
        yield row


def _contact_rows(rows: list[dict]) -> list[dict]:
    contacts = []
    for row in rows:
        for kind in ("phone", "email"):
            if row[kind]:
                digits = phone_digits(row[kind]) if kind == "phone" else (None, None)
                contacts.append({"merchant_id": row["merchant_id"], "customer_id": row["id"], "kind": kind,
                                 "value": row[kind], "label": "mobile" if kind == "phone" else "other",
                                 "is_primary": True, "verified": False, "live": True, "created_at": row["created_at"],
                                 "digits": digits[0], "digits_reversed": digits[1],
                                 "last_visit_at": row.get("last_visit_at") or NEVER})  # fmt: skip
    return contacts


def _term_rows(rows: list[dict]) -> list[dict]:
    return [term for row in rows for term in term_rows(row["id"], row["merchant_id"], row["name"], row["name_kana"],
                                                       None, row.get("last_visit_at"))]  # fmt: skip


def _defaults() -> dict:
    """Column defaults that bulk inserts do not apply by themselves."""
    return {"status": "active", "email_consent": False, "sms_consent": False}


def add_demo_customers(merchant: Merchant, count: int, *, seed: int = 2026, batch: int = 10_000, progress=None,
                       orders_per_customer: float = 0) -> int:  # fmt: skip
    """Inserts `count` customers in batches, with about `orders_per_customer` orders each
    over the last two years (counters computed from them); returns how many were added."""
    last = next_value(merchant.id, "customer", count)  # reserves the whole block at once
    first = last - count + 1
    stores = [store.id for store in db.session.query(Store).filter_by(merchant_id=merchant.id)]
    cashier_id = db.session.scalar(select(StaffUser.id).where(StaffUser.merchant_id == merchant.id)
                                   .order_by(StaffUser.role == "cashier", StaffUser.id.desc()))  # fmt: skip
    order_rng, now = random.Random(f"orders:{seed}:{merchant.id}:{first}"), utcnow()
    rows, orders = [], []
    for done, row in enumerate(generate(merchant, stores, first, count, seed), start=1):
        rows.append(_defaults() | row)
        if orders_per_customer and stores and cashier_id:
            orders += _orders(order_rng, rows[-1], orders_per_customer, stores, cashier_id, merchant, now)
        if len(rows) == batch or done == count:
            _insert(merchant, rows, orders)
            rows, orders = [], []
            if progress:
                progress(done)
    _after_bulk_load()
    return count


def _after_bulk_load() -> None:
    """Fresh statistics, as after any bulk import: without them the planner cannot know the
    new rows make the indexes the cheap path (PostgreSQL sorted a million rows). PostgreSQL
    also vacuums, so index-only scans need not visit the table to check row visibility."""
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def _insert(merchant: Merchant, rows: list[dict], orders: list[tuple[dict, list[dict]]]) -> None:
    """One batch in one transaction. Core inserts: one executemany per table; the ORM's bulk
    path would compile statement after statement for rows it cannot batch."""
    db.session.execute(Customer.__table__.insert(), rows)
    db.session.execute(ContactPoint.__table__.insert(), _contact_rows(rows))
    terms = _term_rows(rows)
    db.session.execute(CustomerTerm.__table__.insert(), terms)
    add_vocabulary(merchant.id, (term["term"] for term in terms))
    if orders:
        _number_orders(merchant, [order for order, _lines in orders])
        db.session.execute(SaleOrder.__table__.insert(), [order for order, _lines in orders])
        lines = [line | {"order_id": order["id"]} for order, order_lines in orders for line in order_lines]
        db.session.execute(OrderLine.__table__.insert(), lines)
    db.session.commit()
