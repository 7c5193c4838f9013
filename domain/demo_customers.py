"""Realistic demo customers, deterministic and fast enough for a million rows.

Japanese names with kana readings, Vietnamese names with diacritics, English names;
phones from Japan, Vietnam, Oman and the United States. Rows go in by bulk inserts, and
the customer numbers come from one atomic reservation of the whole block.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import text

from extensions import db

from .customers.models import ContactPoint, Customer
from .customers.names import romanise, sort_key
from .customers.search_index import add_vocabulary, term_rows
from .customers.search_keys import phone_digits
from .customers.search_models import CustomerTerm
from .ids import uuid7
from .merchants import Merchant, Store
from .sequences import next_value
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


def _visits(rng: random.Random, created, now) -> dict:
    """Synthetic visit counters, for benchmarks that rank by last visit before orders exist
    (with orders, the counters come from them: see the checkout)."""
    if rng.random() < 0.3:
        return {}
    span = (now - created).total_seconds()
    first = created + timedelta(seconds=rng.random() * span / 2)
    last = first + timedelta(seconds=rng.random() * (now - first).total_seconds())  # always before now
    visits = rng.randrange(1, 60)
    return {"first_visit_at": first, "last_visit_at": last, "total_visits": visits,
            "total_spent": visits * rng.randrange(300, 5000)}  # fmt: skip


def generate(merchant: Merchant, stores: list[int], first_number: int, count: int, seed: int,
             visits: bool = False) -> Iterator[dict]:  # fmt: skip
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
        yield row | (_visits(rng, created, now) if visits else {})


def _contact_rows(rows: list[dict]) -> list[dict]:
    contacts = []
    for row in rows:
        for kind in ("phone", "email"):
            if row[kind]:
                digits = phone_digits(row[kind]) if kind == "phone" else (None, None)
                contacts.append({"merchant_id": row["merchant_id"], "customer_id": row["id"], "kind": kind,
                                 "value": row[kind], "label": "mobile" if kind == "phone" else "other",
                                 "is_primary": True, "verified": False, "live": True, "created_at": row["created_at"],
                                 "digits": digits[0], "digits_reversed": digits[1]})  # fmt: skip
    return contacts


def _term_rows(rows: list[dict]) -> list[dict]:
    return [term for row in rows for term in term_rows(row["id"], row["merchant_id"], row["name"], row["name_kana"],
                                                       None, row.get("last_visit_at"))]  # fmt: skip


def _defaults() -> dict:
    """Column defaults that bulk inserts do not apply by themselves."""
    return {"status": "active", "email_consent": False, "sms_consent": False}


def add_demo_customers(merchant: Merchant, count: int, *, seed: int = 2026, batch: int = 10_000, progress=None,
                       visits: bool = False) -> int:  # fmt: skip
    """Inserts `count` customers in batches; returns how many were added."""
    last = next_value(merchant.id, "customer", count)  # reserves the whole block at once
    first = last - count + 1
    stores = [store.id for store in db.session.query(Store).filter_by(merchant_id=merchant.id)]
    rows: list[dict] = []
    for done, row in enumerate(generate(merchant, stores, first, count, seed, visits), start=1):
        rows.append(_defaults() | row)
        if len(rows) == batch or done == count:
            # Core inserts: one executemany per table; the ORM's bulk path would compile
            # statement after statement for rows it cannot batch.
            db.session.execute(Customer.__table__.insert(), rows)
            db.session.execute(ContactPoint.__table__.insert(), _contact_rows(rows))
            terms = _term_rows(rows)
            db.session.execute(CustomerTerm.__table__.insert(), terms)
            add_vocabulary(merchant.id, (term["term"] for term in terms))
            db.session.commit()
            rows = []
            if progress:
                progress(done)
    # Fresh statistics, as after any bulk import: without them the planner cannot know the
    # new rows make the indexes the cheap path (PostgreSQL sorted a million rows).
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return count
