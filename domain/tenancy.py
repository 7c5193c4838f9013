"""The one way to read a tenant's rows: every query starts from `scoped`."""

import uuid

from sqlalchemy import Integer, select

from extensions import db

from .errors import NotFound
from .validation import whole_number


def scoped(model, merchant_id: int):
    """A SELECT of `model` limited to one merchant's rows: the start of every tenant read."""
    return select(model).where(model.merchant_id == merchant_id)


def record_id(model, value):
    """`value` as an id of `model` (a whole number or a UUID); NotFound when it cannot be one."""
    if isinstance(model.id.type, Integer):
        parsed = whole_number(value)
    else:
        try:
            parsed = uuid.UUID(str(value))
        except ValueError:
            parsed = None
    if parsed is None:
        raise NotFound()
    return parsed


def get_scoped(model, value, merchant_id: int):
    """The merchant's record with this id; NotFound when missing or another merchant's."""
    record = db.session.scalar(scoped(model, merchant_id).where(model.id == record_id(model, value)))
    if record is None:
        raise NotFound()
    return record
