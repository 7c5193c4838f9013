"""covering search indexes: the phone digit indexes and the name term index carry the
customer id (and `live`), so a search reads its candidates from the index alone instead of
one table page per candidate: "1234" or "yamamoto taro" match hundreds to thousands.

Plain index operations (no batch): on SQLite a batch would copy contact_point and lose the
FTS triggers on it.

Revision ID: 0007_covering_search
Revises: 0006_sales
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_covering_search"
down_revision = "0006_sales"
branch_labels = None
depends_on = None

LIVE = {"sqlite_where": sa.text("live = 1"), "postgresql_where": sa.text("live")}


def _digit_indexes(columns_after_digits):
    for name, digits in (("ix_contact_point_digits", "digits"), ("ix_contact_point_digits_reversed", "digits_reversed")):
        op.drop_index(name, table_name="contact_point")
        op.create_index(name, "contact_point", ["merchant_id", digits, *columns_after_digits], **LIVE)


def _term_index(columns):
    op.drop_index("ix_customer_term_lookup", table_name="customer_term")
    op.create_index("ix_customer_term_lookup", "customer_term", columns)


def upgrade():
    _digit_indexes(["customer_id", "live"])
    _term_index(["merchant_id", "term", "last_visit_at", "customer_id"])


def downgrade():
    _digit_indexes([])
    _term_index(["merchant_id", "term", "last_visit_at"])
