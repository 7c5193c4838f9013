"""A fresh database for one test run: an SQLite file, or a new PostgreSQL database when
TEST_DATABASE_URL points at a server (the run creates and drops its own database there)."""

import os
import uuid
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url

from config import database_url_from


@contextmanager
def fresh_database(tmp_dir, worker: str):
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_dir / f'regulars-{worker}.db'}"
        return
    url = make_url(database_url_from(server_url))
    name = f"regulars_test_{worker}_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_all_tables(db) -> None:
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in reversed(tables):
                connection.execute(table.delete())
