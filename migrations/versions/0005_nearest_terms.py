"""nearest terms: a GiST trigram index so PostgreSQL finds the closest name terms by
walking the index in distance order (`term <-> phrase`), instead of testing every term of
the vocabulary against the similarity threshold.

SQLite keeps its FTS5 trigram table (0004); nothing changes there.

Revision ID: 0005_nearest_terms
Revises: 0004_fuzzy_search
"""

from alembic import op

revision = "0005_nearest_terms"
down_revision = "0004_fuzzy_search"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_name_vocabulary_trgm_gist ON name_vocabulary USING gist (term gist_trgm_ops)")
    op.execute("DROP INDEX IF EXISTS ix_name_vocabulary_trgm")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_name_vocabulary_trgm ON name_vocabulary USING gin (term gin_trgm_ops)")
    op.execute("DROP INDEX IF EXISTS ix_name_vocabulary_trgm_gist")
