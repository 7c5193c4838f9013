"""Notes on a customer: written by any staff member, pinned by owners and managers."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db

from .. import audit
from .. import validation as check
from ..errors import Invalid, NotFound
from .models import Note
from .permissions import require
from .records import get_customer


def list_notes(actor, customer_id) -> list[Note]:
    customer = get_customer(actor, customer_id, include_deleted=True)
    return list(
        db.session.scalars(
            select(Note)
            .where(Note.merchant_id == actor.merchant_id, Note.customer_id == customer.id)
            .order_by(Note.pinned.desc(), Note.created_at.desc(), Note.id.desc())
        )
    )


def add_note(actor, customer_id, body) -> Note:
    require(actor, "add_note")
    customer = get_customer(actor, customer_id)
    errors: dict[str, str] = {}
    body = check.text(errors, "body", body, max_length=2000)
    if errors:
        raise Invalid(errors)
    note = Note(merchant_id=actor.merchant_id, customer_id=customer.id, author_id=actor.id, body=body)
    db.session.add(note)
    audit.record(actor, "note.added", "customer", customer.id, {"note": [None, body[:200]]})
    db.session.commit()
    return note


def set_pinned(actor, customer_id, note_id, pinned: bool) -> Note:
    require(actor, "pin_note")
    customer = get_customer(actor, customer_id)
    note = db.session.scalar(
        select(Note).where(Note.merchant_id == actor.merchant_id, Note.customer_id == customer.id,
                           Note.id == check.whole_number(note_id))
    )  # fmt: skip
    if note is None:
        raise NotFound()
    if note.pinned != pinned:
        note.pinned = pinned
        audit.record(actor, "note.pinned" if pinned else "note.unpinned", "customer", customer.id,
                     {"note": [None, note.body[:200]]})  # fmt: skip
    db.session.commit()
    return note
