"""Messages to customers (receipts by email or SMS), written in the same transaction as
the change that causes them and sent afterwards, with retries. Sending never blocks or
breaks a sale: a mail server that is down leaves a pending message and a failed attempt.

Any process may send: a message is claimed by a conditional write with a short lease, so
two senders never send it twice, and one that died mid-send frees it when the lease ends.
What a message says is composed when it is sent, by the composer registered for its
purpose (the web layer registers the receipt's templates).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ForeignKey, Index, Integer, String, Text, Uuid, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from .types import UTCDateTime, utcnow

log = logging.getLogger(__name__)

RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
               timedelta(hours=12))  # fmt: skip
LEASE = timedelta(minutes=2)


class OutboxMessage(db.Model):
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_subject", "merchant_id", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    channel: Mapped[str] = mapped_column(String(8))  # email, sms
    destination: Mapped[str] = mapped_column(String(254))
    purpose: Mapped[str] = mapped_column(String(24))  # which composer writes it: "receipt"
    subject_id: Mapped[str] = mapped_column(String(64))  # e.g. the order's id
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("customer.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default="pending")  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    lease_until = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    sent_at = mapped_column(UTCDateTime)

    attempt_log: Mapped[list[DeliveryAttempt]] = relationship(order_by="DeliveryAttempt.id", lazy="selectin")

    @property
    def can_retry(self) -> bool:
        """Waiting for its next try or given up: "send again now" makes it due at once."""
        return self.status in ("pending", "failed")


class DeliveryAttempt(db.Model):
    """One try at sending a message: what happened and when."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    attempted_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    outcome: Mapped[str] = mapped_column(String(8))  # sent, failed
    error: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str | None = None


class DeliveryError(Exception):
    """A transport could not send; the message says why (kept on the attempt)."""


# purpose → function(message) → Composed; filled in by the application at start.
composers: dict[str, Callable[[OutboxMessage], Composed]] = {}


def enqueue(merchant_id: int, channel: str, destination: str, purpose: str, subject_id, *, locale: str,
            customer_id=None) -> OutboxMessage:  # fmt: skip
    """Adds a message to the session: it is sent only if the caller's transaction commits."""
    message = OutboxMessage(merchant_id=merchant_id, channel=channel, destination=destination, purpose=purpose,
                            subject_id=str(subject_id), locale=locale, customer_id=customer_id)  # fmt: skip
    db.session.add(message)
    return message


def messages_for(merchant_id: int, subject_id) -> list[OutboxMessage]:
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.merchant_id == merchant_id,
                                    OutboxMessage.subject_id == str(subject_id)).order_by(OutboxMessage.id)
    ))  # fmt: skip


def _due(now):
    """Waiting and its time has come, or being sent by a sender whose lease ran out."""
    return or_(
        (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now),
    )


def _claim(message_id: int, now) -> bool:
    """Takes the message for this sender if it is due."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(status="sending", lease_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def deliver(message_id: int, transports, now=None) -> str | None:
    """Sends one message if it is due; records the attempt. Returns the outcome, or None
    when the message was not due or another sender has it."""
    now = now or utcnow()
    if not _claim(message_id, now):
        return None
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    try:
        content = composers[message.purpose](message)
        transports.send(message.channel, message.destination, content)
    except Exception as error:  # any failure is an attempt to record, never a crash
        log.warning("outbox message %s to %s failed: %s", message.id, message.channel, error)
        _finish(message, "failed", f"{type(error).__name__}: {error}"[:1000])
        return "failed"
    _finish(message, "sent", None)
    return "sent"


def _finish(message: OutboxMessage, outcome: str, error: str | None) -> None:
    now = utcnow()
    db.session.add(DeliveryAttempt(message_id=message.id, attempted_at=now, outcome=outcome, error=error))
    message.lease_until = None
    message.last_error = error
    if outcome == "sent":
        message.status, message.sent_at = "sent", now
    elif message.attempts > len(RETRY_AFTER):
        message.status = "failed"  # gave up; shown on the order, can be sent again by hand
    else:
        message.status, message.next_attempt_at = "pending", now + RETRY_AFTER[message.attempts - 1]
    db.session.commit()


def deliver_due(transports, now=None, limit: int = 100) -> dict[str, int]:
    """Sends what is due (the worker's loop calls this); returns outcome counts."""
    now = now or utcnow()
    ids = list(db.session.scalars(select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(limit)))
    db.session.commit()
    outcomes: dict[str, int] = {}
    for message_id in ids:
        outcome = deliver(message_id, transports, now)
        if outcome:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def retry_now(merchant_id: int, message_id) -> OutboxMessage | None:
    """Makes a pending or given-up message due at once (a cashier's "send again")."""
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.merchant_id == merchant_id,
                                                            OutboxMessage.id == message_id))  # fmt: skip
    if message is None or not message.can_retry:
        return message
    message.status, message.next_attempt_at = "pending", utcnow()
    if message.attempts > len(RETRY_AFTER):
        message.attempts = len(RETRY_AFTER)  # one more try, then given up again
    db.session.commit()
    return message
