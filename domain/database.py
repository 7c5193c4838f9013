"""Engine settings that make SQLite a sound embedded default.

The sqlite3 module opens a transaction at the first write, not at the first read, so a
writing request takes SQLite's single write lock with a busy wait instead of failing with
SQLITE_BUSY_SNAPSHOT when another worker wrote since it read. Rules that must hold under
concurrency are therefore written as single atomic statements or database constraints
(unique indexes, `UPDATE … RETURNING` counters), which hold on SQLite and PostgreSQL alike.
"""

from sqlalchemy import event


def configure_engine(engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages, not the default 2 MiB
        cursor.close()
