"""The directory as CSV, for the owner: every live customer, one row each, audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from extensions import db

from .. import audit
from .models import Customer
from .permissions import require

COLUMNS = (
    "customer_number", "name", "name_kana", "name_alt", "phone", "email", "date_of_birth", "gender",
    "customer_type", "profile_level", "status", "receipt_delivery", "language", "email_consent", "sms_consent",
    "tags", "total_spent", "total_visits", "first_visit_at", "last_visit_at", "created_at",
)  # fmt: skip
# Free text a spreadsheet could read as a formula ("=HYPERLINK(…)") is written as text.
FREE_TEXT = frozenset({"name", "name_kana", "name_alt", "tags"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _live(actor):
    return select(Customer).where(Customer.merchant_id == actor.merchant_id, Customer.deleted_at.is_(None))


def export_customers(actor) -> Iterator[str]:
    """Records the export (who, how many), then yields the CSV a few hundred rows at a time."""
    require(actor, "export")
    count = db.session.scalar(select(func.count()).select_from(_live(actor).subquery()))
    audit.record(actor, "customers.exported", "merchant", actor.merchant_id, {"customers": [None, count]})
    db.session.commit()
    return _csv(actor)


def _cell(column: str, customer: Customer):
    value = ", ".join(tag.name for tag in customer.tags) if column == "tags" else getattr(customer, column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if column in FREE_TEXT and str(value).startswith(FORMULA_STARTS):
        return "'" + str(value)
    return value


def _csv(actor) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    query = _live(actor).options(selectinload(Customer.tags)).order_by(Customer.number).execution_options(yield_per=500)
    for count, customer in enumerate(db.session.scalars(query), 1):
        writer.writerow([_cell(column, customer) for column in COLUMNS])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
