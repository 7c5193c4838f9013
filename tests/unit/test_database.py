"""How requests use PostgreSQL's transactions: reads run outside one until the first write
(as the sqlite3 module does), so a request that only reads sends no BEGIN or COMMIT and
psycopg keeps the statements it prepared; a write, or a read that locks rows, opens one
that lasts until the commit, and an uncommitted change still rolls back. A server process
on SQLite checkpoints beside its requests, not in them."""

import time

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import create_engine, select, text, update

from domain.customers.models import Customer
from domain.database import BACKSTOP_PAGES, checkpoint_beside_requests, configure_engine
from domain.merchants import Merchant
from extensions import db
from tests.factories import make_customer

HX = {"HX-Request": "true"}


@pytest.fixture
def postgres(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's driver opens transactions at the first write itself")


def _status():
    return db.session.connection().connection.dbapi_connection.pgconn.transaction_status


def test_searches_reuse_the_statements_earlier_requests_prepared(app, postgres, world, signed_in):
    client = signed_in("cashier")
    for _ in range(6):  # psycopg prepares a statement the fifth time a connection runs it
        assert client.get("/customers/search?q=tanaka", headers=HX).status_code == 200
    with app.app_context():  # requests take turns on one pooled connection
        prepared = db.session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
        mode = db.session.execute(text("SHOW plan_cache_mode")).scalar()
    assert prepared > 0 and mode == "force_generic_plan"


def test_reads_open_no_transaction_until_a_write_and_then_stay_in_it(app, postgres, world):
    with app.app_context():
        customer_id = make_customer(world, name="Anna").id
    with app.app_context():
        db.session.scalar(select(Customer.name).where(Customer.id == customer_id))
        assert _status() == TransactionStatus.IDLE
        db.session.execute(update(Customer).where(Customer.id == customer_id).values(name="Anne"))
        assert _status() == TransactionStatus.INTRANS
        db.session.scalar(select(Customer.name).where(Customer.id == customer_id))
        assert _status() == TransactionStatus.INTRANS  # the read after a write is part of it
        db.session.commit()
        assert _status() == TransactionStatus.IDLE


def test_a_locking_read_holds_its_lock_until_the_commit(app, postgres, world):
    with app.app_context():
        db.session.execute(select(Merchant.id).where(Merchant.id == world.merchant_id).with_for_update())
        assert _status() == TransactionStatus.INTRANS
        locks = db.session.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' "
                                        "AND pid = pg_backend_pid()")).scalar()  # fmt: skip
        assert locks == 1


def test_a_write_or_a_change_left_uncommitted_still_rolls_back(app, postgres, world):
    with app.app_context():
        customer_id = make_customer(world, name="Anna").id
    with app.app_context():
        db.session.execute(update(Customer).where(Customer.id == customer_id).values(name="Written"))
    with app.app_context():
        db.session.get(Customer, customer_id).name = "Changed"  # never flushed
    with app.app_context():
        assert db.session.get(Customer, customer_id).name == "Anna"


def test_a_server_process_on_sqlite_checkpoints_beside_its_requests(tmp_path):
    path = tmp_path / "regulars.db"
    engine = create_engine(f"sqlite:///{path}")
    configure_engine(engine)
    stop = checkpoint_beside_requests(engine, every=0.01)
    with engine.begin() as connection:  # a commit no longer checkpoints a thousand pages itself
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        connection.exec_driver_sql("CREATE TABLE receipt (body BLOB)")
        connection.exec_driver_sql("INSERT INTO receipt VALUES (randomblob(400000))")
    deadline = time.monotonic() + 10
    while path.stat().st_size < 400_000 and time.monotonic() < deadline:  # the log is copied back
        time.sleep(0.01)
    assert path.stat().st_size >= 400_000
    with engine.connect() as connection:
        assert len(connection.exec_driver_sql("SELECT body FROM receipt").scalar()) == 400_000
    stop.set()
    engine.dispose()
