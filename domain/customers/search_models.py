"""Tables that exist only to find customers fast; the domain writes them on every change."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ForeignKey, Index, Uuid, func, literal, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

from ..types import UTCDateTime, key_string

# Never-visited customers carry this instead of NULL, so "most recent visit first" is the
# plain descending order on SQLite and PostgreSQL alike, never-visited last.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
NEVER_IN_SQL = literal(NEVER, UTCDateTime())  # for statements: written as the app writes dates


class CustomerTerm(db.Model):
    """One searchable term of one live customer, with the customer's last visit copied in,
    so "this term, most recent visit first" is read in order from one index."""

    # Covering: a common name has thousands of customers, read from the index alone (a table
    # read per customer made "yamamoto taro" 100 ms when its pages were not cached).
    __table_args__ = (
        Index("ix_customer_term_lookup", "merchant_id", "term", "last_visit_at", "customer_id"),
        # The first letters of a common name start tens of thousands of terms; those are read
        # most recent first from here, and the walk stops at a page (see search.WALK_FROM).
        Index("ix_customer_term_recent", "merchant_id", "last_visit_at", "term", "customer_id"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(key_string(120), primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    last_visit_at = mapped_column(UTCDateTime)


# A term's first letters: the terms that start with a typed phrase share its first START,
# and most of those start with the whole phrase, so a walk over them, most recent first,
# meets a page early (see search._prefix_way). Literal arguments: a database uses an index
# on an expression only for that same expression.
START = 3


def term_start(term):
    return func.substr(term, literal_column("1"), literal_column(str(START)))


Index("ix_customer_term_start", CustomerTerm.merchant_id, term_start(CustomerTerm.term), CustomerTerm.last_visit_at,
      CustomerTerm.term, CustomerTerm.customer_id)  # fmt: skip


class NameVocabulary(db.Model):
    """Every distinct term of a merchant, once: the small set a typo-tolerant (trigram)
    search runs over before it looks customers up by the terms it found."""

    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"), primary_key=True)
    term: Mapped[str] = mapped_column(key_string(120), primary_key=True)
