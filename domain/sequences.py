"""Per-merchant counters for numbers people read (customer numbers, later order numbers).

A number is taken by an atomic upsert inside the creating transaction: the row stays
locked until commit, and a rollback gives the number back, so numbers are consecutive,
without gaps or duplicates, across any number of processes.
"""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from . import sql


class MerchantSequence(db.Model):
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def next_value(merchant_id: int, name: str, count: int = 1) -> int:
    """The next number (or the last of `count` consecutive ones, for bulk loads)."""
    return sql.increment(MerchantSequence, {"merchant_id": merchant_id, "name": name}, "value", count)
