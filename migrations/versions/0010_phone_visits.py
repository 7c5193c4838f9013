"""phone visits: each contact point carries its customer's last visit, in the last-digits
index, so "1234" ranks only the most recent of the hundred phones ending in it at a
million customers instead of reading every one of their customers.

Plain operations (no batch): on SQLite a batch would copy contact_point and lose the FTS
triggers on it; the column stays nullable for that reason, the domain always sets it.

Revision ID: 0010_phone_visits
Revises: 0009_search_ranking
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0010_phone_visits"
down_revision = "0009_search_ranking"
branch_labels = None
depends_on = None

LIVE = {"sqlite_where": sa.text("live = 1"), "postgresql_where": sa.text("live")}
NEVER = datetime(1970, 1, 1)  # see domain.customers.search_models.NEVER (stored as naive UTC)


def _last_digits_index(columns_after_digits):
    op.drop_index("ix_contact_point_digits_reversed", table_name="contact_point")
    op.create_index("ix_contact_point_digits_reversed", "contact_point",
                    ["merchant_id", "digits_reversed", *columns_after_digits], **LIVE)  # fmt: skip


def upgrade():
    op.add_column("contact_point", sa.Column("last_visit_at", sa.DateTime(), nullable=True))
    never = sa.bindparam("never", NEVER, type_=sa.DateTime())  # written as SQLAlchemy writes dates
    op.execute(
        sa.text("UPDATE contact_point SET last_visit_at = coalesce((SELECT last_visit_at FROM customer "
                "WHERE customer.id = contact_point.customer_id), :never)").bindparams(never)
    )  # fmt: skip
    _last_digits_index(["customer_id", "live", "last_visit_at"])


def downgrade():
    _last_digits_index(["customer_id", "live"])
    op.drop_column("contact_point", "last_visit_at")
