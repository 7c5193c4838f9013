"""recent terms: on SQLite, name terms by merchant and last visit, so the first letters of
a common name ("nguy", "tana": tens of thousands of terms) are read most recent first and
stop at a page, instead of sorting every term that starts so. PostgreSQL keeps sorting
(see the index's comment in search_models).

Revision ID: 0012_recent_terms
Revises: 0011_rank_from_search_keys
"""

from alembic import op

revision = "0012_recent_terms"
down_revision = "0011_rank_from_search_keys"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(
            "ix_customer_term_recent", "customer_term", ["merchant_id", "last_visit_at", "term", "customer_id"]
        )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_customer_term_recent", table_name="customer_term")
