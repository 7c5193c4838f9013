"""rank from the search keys: search now chooses its page from the visit copied into each
name term and contact point, so the customer ranking index of 0009 has no reader left,
and dropping it is one index fewer to write on every sale.

Revision ID: 0011_rank_from_search_keys
Revises: 0010_phone_visits
"""

from alembic import op

revision = "0011_rank_from_search_keys"
down_revision = "0010_phone_visits"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_customer_ranking", table_name="customer")


def downgrade():
    op.create_index(
        "ix_customer_ranking", "customer", ["id", "merchant_id", "deleted_at", "last_visit_at", "sort_name"]
    )
