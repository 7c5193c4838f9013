"""term starts: the terms that begin with a typed phrase, most recent visit first, read
among the terms that share its first three letters. "jack" starts 9,055 terms at a million
customers; sorting them took 14–22 ms on SQLite, and walking all the merchant's terms for
them would read hundreds of thousands.

Revision ID: 0014_term_starts
Revises: 0013_recent_terms_everywhere
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_term_starts"
down_revision = "0013_recent_terms_everywhere"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_customer_term_start",
        "customer_term",
        ["merchant_id", sa.text("substr(term, 1, 3)"), "last_visit_at", "term", "customer_id"],
    )


def downgrade():
    op.drop_index("ix_customer_term_start", table_name="customer_term")
