"""Engine settings: SQLite made a sound embedded default, PostgreSQL's plans kept.

The sqlite3 module opens a transaction at the first write, not at the first read, so a
writing request takes SQLite's single write lock with a busy wait instead of failing with
SQLITE_BUSY_SNAPSHOT when another worker wrote since it read. Rules that must hold under
concurrency are therefore written as single atomic statements or database constraints
(unique indexes, `UPDATE … RETURNING` counters), which hold on SQLite and PostgreSQL alike.
"""

import re

from sqlalchemy import event


def configure_engine(engine) -> None:
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _plan_once)
        event.listen(engine, "before_cursor_execute", _note_writes)
        for end in ("commit", "rollback"):
            event.listen(engine, end, _forget_writes)
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


def ends_read_only(sessions, error=None) -> None:
    """Ends a request's transaction with COMMIT when it only read: the same as ROLLBACK to
    PostgreSQL, but psycopg forgets every statement it prepared on a rollback, so each
    request that did not write parsed and planned its statements again (see `_plan_once`).
    Anything else (a write not committed, a change not flushed, a failure) rolls back."""
    if error is not None or not sessions.registry.has():  # a request that used no session
        return
    session = sessions()
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return
    if not (session.new or session.dirty or session.deleted or session.connection().info.get("writes")):
        session.commit()


_READS = re.compile(r"\s*SELECT\b", re.IGNORECASE)


def _note_writes(connection, _cursor, statement, *_):
    if not _READS.match(statement):
        connection.info["writes"] = True


def _forget_writes(connection):
    connection.info.pop("writes", None)


def _plan_once(dbapi_connection, _record):
    """psycopg prepares a statement the fifth time a connection runs it (and keeps it, see
    `ends_read_only`); PostgreSQL then still planned a search's ranking for its values
    nearly every time, 0.6–0.8 ms at a million customers, more than running it. Every
    statement here is written so that one index answers it whatever the values (see
    domain/customers/search.py), so the plan made once for any values is the plan."""
    dbapi_connection.execute("SET plan_cache_mode = force_generic_plan")
    dbapi_connection.commit()  # a SET in a transaction that ends in rollback is undone
