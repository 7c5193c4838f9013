"""phone prefix visits: the national-digits index carries each phone's last visit, as the
last-digits index does since 0010, so the phones that start with what was typed are
ranked most recent visit first from the index alone. Four typed digits start thousands
of phones at a million customers ("9012": one in a hundred Japanese mobiles); the search
read the first 200 of them in number order, a table row apiece.

Revision ID: 0015_phone_prefix_visits
Revises: 0014_term_starts
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_phone_prefix_visits"
down_revision = "0014_term_starts"
branch_labels = None
depends_on = None

LIVE = {"sqlite_where": sa.text("live = 1"), "postgresql_where": sa.text("live")}


def _national_digits_index(columns_after_digits):
    op.drop_index("ix_contact_point_digits", table_name="contact_point")
    op.create_index("ix_contact_point_digits", "contact_point", ["merchant_id", "digits", *columns_after_digits],
                    **LIVE)  # fmt: skip


def upgrade():
    _national_digits_index(["customer_id", "live", "last_visit_at"])


def downgrade():
    _national_digits_index(["customer_id", "live"])
