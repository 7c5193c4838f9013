"""The audit trail: who changed what, when, from where — for every change to a customer."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from .types import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __table_args__ = (Index("ix_audit_event_subject", "merchant_id", "subject_type", "subject_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_name: Mapped[str | None] = mapped_column(String(120))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("store.id"))
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[str] = mapped_column(String(64))
    subject_version: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def record(actor, action: str, subject_type: str, subject_id, changes: dict | None = None, version=None):
    """Adds an event to the session: it commits, or rolls back, with the change itself.

    `changes` maps a field to [before, after]."""
    event = AuditEvent(
        merchant_id=actor.merchant_id,
        actor_kind=actor.kind,
        actor_id=str(actor.id) if actor.id is not None else None,
        actor_name=actor.name[:120],
        store_id=actor.store_id,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        subject_version=version,
        changes=changes or {},
        request_id=actor.request_id,
    )
    db.session.add(event)
    return event


def events_for(merchant_id: int, subject_type: str, subject_id, *, after_version=None, limit=200):
    query = (
        select(AuditEvent)
        .where(
            AuditEvent.merchant_id == merchant_id,
            AuditEvent.subject_type == subject_type,
            AuditEvent.subject_id == str(subject_id),
        )
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    if after_version is not None:
        query = query.where(AuditEvent.subject_version > after_version)
    return list(db.session.scalars(query))
