"""The one way to read a tenant's rows: every query starts from `scoped`."""

import uuid

from sqlalchemy import Integer, select

from extensions import db

from .errors import NotFound
from .validation import whole_number


def scoped(model, merchant_id: int):
    """A SELECT of `model` limited to one merchant's rows: the start of every tenant read."""
    return select(model).where(model.merchant_id == merchant_id)


def get_scoped(model, record_id, merchant_id: int):
    """The merchant's record with this id; NotFound when missing or another merchant's."""
    if isinstance(model.id.type, Integer):
        record_id = whole_number(record_id)
    else:
        try:
            record_id = uuid.UUID(str(record_id))
        except ValueError:
            record_id = None
    if record_id is None:
        raise NotFound()
    record = db.session.scalar(scoped(model, merchant_id).where(model.id == record_id))
    if record is None:
        raise NotFound()
    return record
