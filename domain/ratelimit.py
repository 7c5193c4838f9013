"""Fixed-window counters kept in the database, so every worker process sees one limit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from . import sql
from .types import UTCDateTime, utcnow


class RateCounter(db.Model):
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def _window(seconds: int, now: datetime) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, now.tzinfo)


def seconds_left(seconds: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    return max(1, int((_window(seconds, now) + timedelta(seconds=seconds) - now).total_seconds()))


def current_count(key: str, seconds: int) -> int:
    window = _window(seconds, utcnow())
    query = select(RateCounter.count).where(RateCounter.key == key, RateCounter.window_start == window)
    return db.session.scalar(query) or 0


def increment(key: str, seconds: int) -> int:
    """Adds one to the key's current window atomically; returns the new count. The first
    count of a window clears the key's earlier ones, so a key keeps one row, not one a minute."""
    window = _window(seconds, utcnow())
    count = sql.increment(RateCounter, {"key": key, "window_start": window}, "count")
    if count == 1:
        db.session.execute(delete(RateCounter).where(RateCounter.key == key, RateCounter.window_start < window))
    return count


def reset(key: str) -> None:
    db.session.execute(delete(RateCounter).where(RateCounter.key == key))
