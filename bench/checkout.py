"""The till under load: tills serving a queue of known customers for a fixed time, each
sale being *search by phone → attach → add 3 items → complete*, every request timed
through HTTP against gunicorn (2 workers), with the /healthz floor in the same run.

    .venv/bin/python -m bench.checkout --customers 1000000 --database sqlite
    .venv/bin/python -m bench.checkout --customers 1000000 --database postgres

The data is `flask demo` with about 5 orders per customer (5,000,000 orders at a million).
Afterwards `flask customers recompute --check` must find no drift: every sale of the run
landed on the right customer's counters. A sale whose search did not put the expected
customer first counts as an error.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import phonenumbers
from sqlalchemy import create_engine, text

from config import database_url_from

from .harness import (
    Client,
    Timings,
    add_dataset_arguments,
    csrf_token,
    dataset,
    flask,
    gunicorn,
    markdown_table,
    run_concurrently,
    server_note,
    signed_in_clients,
    write_section,
)

KINDS = ["open sale", "search by phone", "attach customer", "add item", "complete sale", "floor /healthz"]
ITEMS = [("Latte", "Drinks", "480"), ("Croissant", "Bakery", "280"), ("Sandwich", "Food", "650")]
SALE_URL = re.compile(r"/checkout/sales/([0-9a-f-]{36})")


def queue_of_customers(database: str, count: int, seed: int = 5) -> list[tuple[str, str]]:
    """(phone as a cashier types it, customer id) for customers of the first merchant."""
    engine = create_engine(database_url_from(database))
    with engine.connect() as connection:
        highest = connection.execute(text("SELECT max(number) FROM customer WHERE merchant_id = 1")).scalar()
        numbers = random.Random(seed).sample(range(1, highest + 1), min(count, highest))
        rows = _rows(connection, numbers)
    engine.dispose()
    typed = []
    for phone, customer_id in rows:
        number = phonenumbers.parse(phone)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        typed.append((national, str(uuid.UUID(str(customer_id)))))
    return typed


def _rows(connection, numbers: list[int]) -> list:
    rows = []
    for start in range(0, len(numbers), 500):
        chunk = ",".join(str(n) for n in numbers[start : start + 500])
        rows += connection.execute(text(f"SELECT phone, id FROM customer WHERE merchant_id = 1 "
                                        f"AND deleted_at IS NULL AND number IN ({chunk})")).all()  # fmt: skip
    return rows


class Till:
    """One cashier's screen: a signed-in client with the page's CSRF token."""

    def __init__(self, client: Client):
        self.client = client
        _, page = client.get("/")
        self.headers = {"HX-Request": "true", "X-CSRFToken": csrf_token(page)}

    pause = 0.0  # seconds a cashier spends between two requests (scanning, talking)

    def call(self, timings: Timings, kind: str, method: str, path: str, body: dict | None = None, ok=(200,),
             target: str | None = None):  # fmt: skip
        """One request as htmx sends it (`target`: the id of the element it swaps into)."""
        start = time.perf_counter()
        status, content = self.client.request(method, path, body, aimed(self.headers, target))
        timings.add(kind, (time.perf_counter() - start) * 1000, status in ok)
        time.sleep(self.pause)
        return status, content

    def serve(self, timings: Timings, phone: str, customer_id: str) -> None:
        """One sale for one customer, as a cashier rings it up."""
        self.call(timings, "open sale", "POST", "/checkout/sales")  # "Next sale": the new sale, its URL pushed
        sale = SALE_URL.search(self.client.last_location or "")
        if not sale:
            timings.errors += 1
            return
        for kind, method, path, body, target in sale_steps(sale.group(1), phone, customer_id):
            _, content = self.call(timings, kind, method, path, body, target=target)
            if kind == "search by phone" and f'name="customer_id" value="{customer_id}"' not in content.decode():
                timings.errors += 1  # the wrong customer, or none, on top
        self.call(timings, "floor /healthz", "GET", "/healthz")


def aimed(headers: dict, target: str | None) -> dict:
    """htmx's headers for a request that swaps its answer into the element `target`."""
    return {**headers, "HX-Target": target} if target else headers


def sale_steps(sale: str, phone: str, customer_id: str) -> list[tuple]:
    """What a till sends for an open sale, up to its completion, as htmx sends it:
    (kind, method, path, form, id of the element the answer swaps into)."""
    items = [("add item", "POST", f"/checkout/sales/{sale}/lines",
              {"name": name, "category": category, "quantity": "1", "unit_price": price}, "lines")
             for name, category, price in ITEMS]  # fmt: skip
    return [
        ("search by phone", "GET", f"/customers/search?q={quote(phone)}&sale={sale}", None, None),
        ("attach customer", "POST", f"/checkout/sales/{sale}/customer", {"customer_id": customer_id}, None),
        *items,
        ("complete sale", "POST", f"/checkout/sales/{sale}/complete",
         {"payment_method": "card", "receipt_channel": "print"}, None),
    ]  # fmt: skip


def run(host: str, port: int, queue: list, tills: int, seconds: float, pause: float = 0) -> tuple[Timings, int]:
    """`tills` cashiers serve customers from the queue until time is up, `pause` seconds
    between requests; returns timings and the number of sales completed."""
    timings, sales = Timings(), [0]
    stations = [Till(client) for client in signed_in_clients(host, port, tills)]
    for station in stations:
        station.pause = pause
    deadline = time.monotonic() + seconds
    shares = {id(station): queue[index::tills] for index, station in enumerate(stations)}

    def work(station):
        for phone, customer_id in shares[id(station)]:
            if time.monotonic() > deadline:
                return
            station.serve(timings, phone, customer_id)
            sales[0] += 1

    run_concurrently(stations, work)
    return timings, sales[0]


def drift(database: str) -> str:
    try:
        return flask(database, "customers", "recompute", "--check").strip().splitlines()[-1]
    except subprocess.CalledProcessError as error:
        return f"drift found: {error.stdout.strip().splitlines()[-1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_dataset_arguments(parser)
    parser.add_argument("--tills", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60, help="length of each pass")
    parser.add_argument("--pause", type=float, default=0.25, help="seconds between requests in the paced pass")
    args = parser.parse_args()

    database, kind_of_db = dataset(args)
    orders = _count(database, "sale_order")
    queue = queue_of_customers(database, 20_000)
    results = []
    with gunicorn(database) as (host, port):
        run(host, port, queue[:200], args.tills, 10)  # warm both workers' caches first
        rest = queue[200:]
        for pause, label in (
            (0, "flat out: each till sends its next request as soon as the last is answered"),
            (args.pause, f"at a cashier's pace: {args.pause * 1000:.0f} ms between a till's requests"),
        ):
            timings, sales = run(host, port, rest, args.tills, args.seconds, pause)
            rest = rest[sales:]
            results.append(f"**{args.tills} concurrent tills, {label}** — sales completed: {sales:,} "
                           f"({sales / args.seconds:.1f} a second); errors: {timings.errors}\n\n"
                           + markdown_table(timings, KINDS))  # fmt: skip
    check = drift(database)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (f"## Checkout on {kind_of_db}, {args.customers:,} customers and {orders:,} orders, {stamp}\n\n"
              f"gunicorn, 2 sync workers, 127.0.0.1; {args.tills} tills, {args.seconds:.0f} s per pass, each sale "
              f"*search by phone → attach → add 3 items → complete*. Counters after both passes "
              f"(`flask customers recompute --check`): {check} Command: `.venv/bin/python -m bench.checkout "
              f"--customers {args.customers} --database {kind_of_db}`{server_note(database)}")  # fmt: skip
    body = "\n\n".join(results)
    write_section(f"checkout-{kind_of_db}-{args.customers}", header + "\n\n" + body)
    print(body)


def _count(database: str, table: str) -> int:
    engine = create_engine(database_url_from(database))
    with engine.connect() as connection:
        count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return count


if __name__ == "__main__":
    main()
