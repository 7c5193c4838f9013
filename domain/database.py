"""Engine settings: SQLite made a sound embedded default, PostgreSQL's plans kept.

Both databases read outside a transaction until a request first writes. The sqlite3 module
opens a transaction at the first write, not at the first read, so a writing request takes
SQLite's single write lock with a busy wait instead of failing with SQLITE_BUSY_SNAPSHOT
when another worker wrote since it read; PostgreSQL is given the same shape (see
`_begin_at_first_write`). Rules that must hold under concurrency are therefore written as
single atomic statements, locking reads or database constraints (unique indexes,
`UPDATE … RETURNING` counters), which hold on SQLite and PostgreSQL alike.
"""

import logging
import re
import sqlite3
import threading
from functools import lru_cache

from psycopg.pq import TransactionStatus
from sqlalchemy import event


def configure_engine(engine) -> None:
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _plan_once)
        event.listen(engine, "before_cursor_execute", _begin_at_first_write)
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


# While a thread checkpoints, SQLite's own checkpoint only stops the WAL from growing
# without bound should the thread fall behind (64 MB of 4 KB pages).
BACKSTOP_PAGES = 16_000


def checkpoint_beside_requests(engine, every: float = 1.0) -> threading.Event | None:
    """SQLite: copy the write-ahead log back into the database from a thread of this
    process, every `every` seconds. Left to SQLite, the commit that takes the log past
    1,000 pages does it, inside its request: a thousand pages written back and two fsyncs,
    which made a till's "complete sale" (the biggest write) the slowest request at 1M
    customers. For server processes (gunicorn.conf.py); a checkpoint must not stop writers
    or readers, so it is PASSIVE. Returns an event that stops the thread when set, or None
    on PostgreSQL."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        return None
    event.listen(engine, "connect", _leave_checkpoints_to_the_thread)
    engine.dispose()  # connections opened before now would go on checkpointing in their commits
    stop = threading.Event()
    threading.Thread(target=_checkpoint_every, args=(path, every, stop), name="sqlite-checkpoints", daemon=True).start()
    return stop


def _leave_checkpoints_to_the_thread(dbapi_connection, _record):
    dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")


def _checkpoint_every(path: str, every: float, stop: threading.Event) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=1000")
    while not stop.wait(every):
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as error:  # a busy moment or a full disk: the next round tries again
            logging.getLogger(__name__).warning("WAL checkpoint failed: %s", error)
    connection.close()


# A plain SELECT; one that locks rows (FOR UPDATE, FOR SHARE, …) must hold them to the commit.
_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)


def _begin_at_first_write(_connection, cursor, statement, _parameters, context, _executemany):
    """Runs a plain SELECT outside a transaction when none is open, and opens one (psycopg
    sends BEGIN) for anything else. Under READ COMMITTED every statement takes its own
    snapshot inside a transaction too, so no request sees anything different; but one that
    only reads (every search) sends no BEGIN and no COMMIT, two round trips of a search's
    five, and psycopg keeps the statements it prepared, which it forgets on a rollback."""
    connection, options = cursor.connection, context.execution_options
    if connection.pgconn.transaction_status != TransactionStatus.IDLE or "isolation_level" in options:
        return  # inside a transaction everything stays in it; VACUUM asks for AUTOCOMMIT itself
    # A streamed result is read through a server-side cursor, which lives in a transaction.
    reading = _reads_only(statement) and not options.get("stream_results")
    if connection.autocommit != reading:
        connection.autocommit = reading


@lru_cache(maxsize=1024)  # the same few statements, request after request
def _reads_only(statement: str) -> bool:
    return bool(_READ.match(statement)) and not _LOCKING.search(statement)


def _plan_once(dbapi_connection, _record):
    """psycopg prepares a statement the fifth time a connection runs it (and keeps it, see
    `_begin_at_first_write`); PostgreSQL then still planned a search's ranking for its
    values nearly every time, 0.6–0.8 ms at a million customers, more than running it.
    Every statement here is written so that one index answers it whatever the values (see
    domain/customers/search.py), so the plan made once for any values is the plan."""
    dbapi_connection.execute("SET plan_cache_mode = force_generic_plan")
    dbapi_connection.commit()  # a SET in a transaction that ends in rollback is undone
