"""The query plans behind each kind of search, written to bench/RESULTS.md: the evidence
that no keystroke scans a table.

    .venv/bin/python -m bench.plans --database-url sqlite:///$PWD/bench/data/regulars_bench_1000000.db
"""

import argparse
import os

from sqlalchemy import event, select, text

from .harness import write_section

QUERIES = {
    "phone, national": "090-1000-1234",
    "phone, last 4 digits": "1234",
    "customer number": "CUST-000123",
    "email, prefix": "tanaka.taro@",
    "email, fragment": "@example",
    "name, romanised prefix": "tanaka ta",
    "name, first letters (a common start)": "tana",
    "name, first two letters (a common start)": "ta",
    "name, kana": "たなか",
    "name, one typo": "tanka tarou",
}


def capture(actor, query):
    """The SQL statements one search runs, with their parameters."""
    from domain.customers.search import search
    from extensions import db

    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        search(actor, query)
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return [s for s in statements if s[0].lstrip().upper().startswith("SELECT")]


def explain(statement, parameters) -> str:
    from extensions import db

    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        rows = connection.exec_driver_sql("EXPLAIN (COSTS OFF) " + statement, parameters)
        return "\n".join(row[0] for row in rows)
    rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    return "\n".join(f"{'  ' * 0}{row[3]}" for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench")
    from app import create_app
    from domain.actors import Actor
    from domain.staff import StaffUser
    from extensions import db

    app = create_app()
    parts = []
    with app.test_request_context():
        actor = Actor(db.session.scalar(select(StaffUser).where(StaffUser.email == "cashier@sakura.example")))
        kind = db.session.connection().dialect.name
        db.session.execute(text("ANALYZE"))
        for label, query in QUERIES.items():
            for statement, parameters in capture(actor, query):
                parts.append(f"**{label}** (`{query}`)\n\n```\n{explain(statement, parameters)}\n```")
    write_section(f"plans-{kind}", f"## Search query plans on {kind}\n\nCommand: `.venv/bin/python -m bench.plans "
                                   f"--database-url …`\n\n" + "\n\n".join(parts))  # fmt: skip
    print("\n\n".join(parts)[:3000])


if __name__ == "__main__":
    main()
