"""The floor: what the app costs before any feature work — `/healthz` and the signed-in
home page — sequentially and with 8 concurrent clients. Later benchmarks compare to it.

    .venv/bin/python -m bench.floor [--database sqlite|postgres] [--requests 500]
"""

import argparse
import platform
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
    write_section,
)

PATHS = {"floor /healthz": "/healthz", "home page (signed in)": "/"}


def measure(host, port, requests: int, concurrency: int) -> Timings:
    return measure_paths(signed_in_clients(host, port, concurrency), PATHS, requests // concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()

    database = database_url(args.database, "regulars_bench_floor")
    flask(database, "db", "upgrade")
    flask(database, "demo")
    with gunicorn(database) as (host, port):

        def measured(concurrency):
            timings = measure(host, port, args.requests, concurrency)
            return timings, markdown_table(timings, list(PATHS))

        results = at_each_concurrency(measured)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"## Floor on {args.database} ({stamp})\n\n"
        f"gunicorn, 2 sync workers, 127.0.0.1; {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}. Command: `.venv/bin/python -m bench.floor --database {args.database}`"
    )
    write_section(f"floor-{args.database}", header + "\n\n" + results)
    print(results)


if __name__ == "__main__":
    main()
