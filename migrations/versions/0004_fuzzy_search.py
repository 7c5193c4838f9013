"""fuzzy search: trigram indexes for typo-tolerant names and email fragments

PostgreSQL: pg_trgm GIN indexes. SQLite: FTS5 tables with the trigram tokenizer, kept in
step by triggers. Both serve `similar terms` and `substring` without scanning.

Revision ID: 0004_fuzzy_search
Revises: 0003_search_keys
"""

from alembic import op

revision = "0004_fuzzy_search"
down_revision = "0003_search_keys"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_name_vocabulary_trgm ON name_vocabulary USING gin (term gin_trgm_ops)")
        op.execute("CREATE INDEX ix_contact_point_email_trgm ON contact_point USING gin (value gin_trgm_ops) "
                   "WHERE kind = 'email' AND live")
        return
    op.execute("CREATE VIRTUAL TABLE name_vocabulary_fts USING fts5(term, content='name_vocabulary', "
               "content_rowid='rowid', tokenize='trigram')")
    op.execute("CREATE TRIGGER name_vocabulary_fts_insert AFTER INSERT ON name_vocabulary BEGIN "
               "INSERT INTO name_vocabulary_fts(rowid, term) VALUES (new.rowid, new.term); END")
    op.execute("CREATE TRIGGER name_vocabulary_fts_delete AFTER DELETE ON name_vocabulary BEGIN "
               "INSERT INTO name_vocabulary_fts(name_vocabulary_fts, rowid, term) VALUES ('delete', old.rowid, old.term); END")
    op.execute("INSERT INTO name_vocabulary_fts(name_vocabulary_fts) VALUES ('rebuild')")
    op.execute("CREATE VIRTUAL TABLE email_fts USING fts5(value, content='', tokenize='trigram')")
    op.execute("CREATE TRIGGER email_fts_insert AFTER INSERT ON contact_point WHEN new.kind = 'email' BEGIN "
               "INSERT INTO email_fts(rowid, value) VALUES (new.id, new.value); END")
    op.execute("CREATE TRIGGER email_fts_delete AFTER DELETE ON contact_point WHEN old.kind = 'email' BEGIN "
               "INSERT INTO email_fts(email_fts, rowid, value) VALUES ('delete', old.id, old.value); END")
    op.execute("CREATE TRIGGER email_fts_update AFTER UPDATE OF value ON contact_point WHEN old.kind = 'email' BEGIN "
               "INSERT INTO email_fts(email_fts, rowid, value) VALUES ('delete', old.id, old.value); "
               "INSERT INTO email_fts(rowid, value) VALUES (new.id, new.value); END")
    op.execute("INSERT INTO email_fts(rowid, value) SELECT id, value FROM contact_point WHERE kind = 'email'")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_contact_point_email_trgm")
        op.execute("DROP INDEX IF EXISTS ix_name_vocabulary_trgm")
        return
    for trigger in ("email_fts_update", "email_fts_delete", "email_fts_insert", "name_vocabulary_fts_delete",
                    "name_vocabulary_fts_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS email_fts")
    op.execute("DROP TABLE IF EXISTS name_vocabulary_fts")
