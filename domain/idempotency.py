"""Idempotency keys: a client that retries a POST with the same key gets the first answer
again instead of a second customer or sale.

The key is claimed in its own committed row before the work starts, so a concurrent
duplicate (another worker, another process) finds the claim, waits for the first request
to finish and replays its answer. The same key with a different request is a conflict.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from . import sql
from .errors import Conflict, Invalid
from .types import UTCDateTime, utcnow

KEPT_FOR = timedelta(hours=24)  # after this a key may be used again
ABANDONED_AFTER = timedelta(minutes=5)  # a claim whose request never finished (a crashed worker)
WAIT_FOR_FIRST = 10.0  # seconds a duplicate waits for the first request's answer


class IdempotentRequest(db.Model):
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)  # None while the first request runs
    body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    headers: dict


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\0".join([method.encode(), path.encode(), body])).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise Invalid({"Idempotency-Key": _("Use at most %(count)d characters.", count=255)})
    return key


def claim(token_id: int, key: str, print_: str) -> tuple[int | None, Answer | None]:
    """(claim id, None) when this request is the first with the key and should run;
    (None, answer) when an earlier one already answered. Raises Conflict when the key
    belongs to a different request, or its first request is still running after a wait."""
    deadline = time.monotonic() + WAIT_FOR_FIRST
    _forget_expired(token_id, key)
    while True:
        claimed = db.session.execute(
            sql.dialect_insert(IdempotentRequest)
            .values(token_id=token_id, key=key, fingerprint=print_, headers={}, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["token_id", "key"])
            .returning(IdempotentRequest.id)
        ).scalar()
        db.session.commit()
        if claimed is not None:
            return claimed, None
        first = db.session.scalar(
            select(IdempotentRequest)
            .where(IdempotentRequest.token_id == token_id, IdempotentRequest.key == key)
            .execution_options(populate_existing=True)  # objects outlive commits: each look reads anew
        )
        db.session.commit()  # end the read, so the next look sees the first request's answer
        if first is None:
            continue  # released (a 5xx) between the insert and the read: claim it now
        if first.fingerprint != print_:
            raise Conflict(_("This Idempotency-Key was already used for a different request."))
        if first.status is not None:
            return None, Answer(first.status, first.body or "", first.headers or {})
        if time.monotonic() > deadline:
            raise Conflict(_("A request with this Idempotency-Key is still running. Try again shortly."))
        time.sleep(0.05)


def _forget_expired(token_id: int, key: str) -> None:
    now = utcnow()
    db.session.execute(
        delete(IdempotentRequest).where(
            IdempotentRequest.token_id == token_id,
            IdempotentRequest.key == key,
            (IdempotentRequest.created_at < now - KEPT_FOR)
            | (IdempotentRequest.status.is_(None) & (IdempotentRequest.created_at < now - ABANDONED_AFTER)),
        )
    )


def record(claim_id: int, answer: Answer) -> None:
    """Keeps the first request's answer for its retries."""
    row = db.session.get(IdempotentRequest, claim_id)
    row.status, row.body, row.headers = answer.status, answer.body, answer.headers
    db.session.commit()


def release(claim_id: int) -> None:
    """The first request failed on our side (5xx): a retry may run it again."""
    db.session.rollback()
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == claim_id))
    db.session.commit()
