"""The customer directory at scale: list, sort, filter and page, and open profiles.

    .venv/bin/python -m bench.directory --customers 100000 [--database sqlite|postgres]
    .venv/bin/python -m bench.directory --database-url sqlite:///bench/data/m1.db   # reuse a loaded one

Generates the customers with `flask demo --customers N` unless an existing database is given.
"""

import argparse
import random
import re
from datetime import UTC, datetime

from .harness import (
    Timings,
    at_each_concurrency,
    database_url,
    flask,
    gunicorn,
    markdown_table,
    measure_paths,
    signed_in_clients,
    timed,
    write_section,
)

QUERIES = {
    "directory, default (name)": "/customers",
    "directory, last visit": "/customers?sort=last_visit",
    "directory, newest number": "/customers?sort=-number",
    "directory, wholesale filter": "/customers?customer_type=wholesale",
    "directory, page 200": "/customers?page=200",
}


def measure(host, port, requests: int, concurrency: int) -> Timings:
    clients = signed_in_clients(host, port, concurrency, role="manager")
    _, page = clients[0].get("/customers?sort=-number")
    profiles = sorted(set(re.findall(rb'href="(/customers/[0-9a-f-]{36})"', page)))
    rng = random.Random(7)

    def open_a_profile(client, timings):
        timed(client, timings, "profile", rng.choice(profiles).decode())

    return measure_paths(clients, QUERIES, requests // concurrency, extra=open_a_profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", help="an already loaded database to measure")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    database = args.database_url
    if not database:
        database = database_url(args.database, "regulars_bench_directory")
        flask(database, "db", "upgrade")
        flask(database, "demo", "--customers", str(args.customers))
    kind = "postgres" if database.startswith("postgres") else "sqlite"
    with gunicorn(database) as (host, port):

        def measured(concurrency):
            timings = measure(host, port, args.requests, concurrency)
            return timings, markdown_table(timings, [*QUERIES, "profile"])

        results = at_each_concurrency(measured)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    source = f"--database-url {args.database_url}" if args.database_url else f"--database {kind}"
    header = (
        f"## Directory on {kind}, {args.customers:,} customers ({stamp})\n\ngunicorn, 2 sync workers, "
        f"127.0.0.1. Command: `.venv/bin/python -m bench.directory --customers {args.customers} {source}`"
    )
    write_section(f"directory-{kind}", header + "\n\n" + results)
    print(results)


if __name__ == "__main__":
    main()
