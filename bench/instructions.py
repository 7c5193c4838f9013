"""Instructions per request, counted by valgrind's callgrind. Milliseconds on this shared
virtual machine drift by tens of percent within an hour; the instructions the same code
runs on the same data do not, so a change's effect shows in one run.

    .venv/bin/python -m bench.instructions --customers 1000000 --database sqlite

The app runs in the counted process, behind Flask's test client (no HTTP, no gunicorn):
the till's sale (open, search by phone, attach, three items, complete) as the checkout
benchmark rings it up, a few queries of each kind of the search benchmark, and /healthz
as the floor, each after the same requests once uncounted (a sale: one for the same
customer), so that what a running server built long ago is not counted. On PostgreSQL
only the app's side is counted, not the server's. Needs valgrind (Debian's package).
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import subprocess
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from .checkout import KINDS as SALE_KINDS
from .checkout import SALE_URL, aimed, queue_of_customers, sale_steps
from .harness import PYTHON, ROOT, add_dataset_arguments, csrf_token, dataset, demo_credentials, write_section
from .search import build_workload, load_rows

SALES = 3  # counted, each after an uncounted one for the same customer
FLOOR = "floor /healthz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_dataset_arguments(parser)
    parser.add_argument("--per-kind", type=int, default=10, help="search queries counted per kind")
    parser.add_argument("--counted", help=argparse.SUPPRESS)  # the plan, inside valgrind
    args = parser.parse_args()
    if args.counted:
        return run_counted(pickle.loads(Path(args.counted).read_bytes()))
    database, kind_of_db = dataset(args)
    plan = {"sales": queue_of_customers(database, SALES), "searches": _searches(database, args.per_kind)}
    counts = _count_under_valgrind(database, plan)
    rows = ["| request | counted | M instructions each |", "|---|---:|---:|"]
    rows += [f"| {kind} | {n} | {total / n / 1e6:.1f} |" for kind, (n, total) in counts.items()]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = (f"## Instructions per request on {kind_of_db}, {args.customers:,} customers, {stamp}\n\n"
            f"callgrind, in-process (Flask's test client); {SALES} sales, each after one for the same customer, "
            f"{args.per_kind} queries of each search kind after the same ones once. Command: `.venv/bin/python -m "
            f"bench.instructions --customers {args.customers} --database {kind_of_db}`\n\n")  # fmt: skip
    body += "\n".join(rows)
    write_section(f"instructions-{kind_of_db}-{args.customers}", body)
    print(body)


def _searches(database: str, per_kind: int) -> dict[str, list[str]]:
    queries = defaultdict(list)
    for kind, query, _expected in build_workload(load_rows(database), per_kind):
        queries[kind].append(query)
    return dict(queries)


def _kinds(plan: dict) -> list[str]:
    """Every kind counted, in the table's order; a dump names its kind by position."""
    return [kind for kind in SALE_KINDS if kind != FLOOR] + list(plan["searches"]) + [FLOOR]


def _count_under_valgrind(database: str, plan: dict) -> dict[str, tuple[int, int]]:
    """(requests, instructions) per kind, from one dump per counted batch of requests."""
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "bench", "REGULARS_ENV": "production"}
    kinds, counts = _kinds(plan), {}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "plan").write_bytes(pickle.dumps(plan))
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={folder}/out",
                        PYTHON, "-m", "bench.instructions", "--counted", f"{folder}/plan"],
                       cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
        for dump in Path(folder).glob("out.*"):
            text = dump.read_text(errors="replace")
            position, requests = re.search(r"^desc: Trigger: .*dump kind(\d+)x(\d+)$", text, re.M).groups()
            total = int(re.search(r"^totals: (\d+)", text, re.M).group(1))
            seen = counts.get(kinds[int(position)], (0, 0))
            counts[kinds[int(position)]] = (seen[0] + int(requests), seen[1] + total)
    return {kind: counts[kind] for kind in kinds if kind in counts}


def run_counted(plan: dict) -> None:
    """Inside valgrind: the requests, each batch counted and dumped on its own."""
    from app import create_app

    kinds = _kinds(plan)
    client = _signed_in_till(create_app())

    def counted(kind: str, requests: list[tuple], on: bool = True) -> list:
        if on:
            _callgrind("-i", "on")
        responses = [client.open(path, method=method, data=data, headers=headers)
                     for method, path, data, headers in requests]  # fmt: skip
        if on:
            _callgrind("-i", "off")
            _callgrind("-d", f"kind{kinds.index(kind)}x{len(requests)}")  # not a leading digit: a pid
        return responses

    for phone, customer_id in plan["sales"]:
        _sale(client, counted, phone, customer_id, on=False)
        _sale(client, counted, phone, customer_id, on=True)
    for kind, queries in plan["searches"].items():
        requests = [("GET", f"/customers/search?q={quote(query)}", None, client.hx) for query in queries]
        counted(kind, requests, on=False)
        counted(kind, requests)
    floor = [("GET", "/healthz", None, {})] * 20
    counted(FLOOR, floor, on=False)
    counted(FLOOR, floor)


def _sale(client, counted, phone: str, customer_id: str, on: bool) -> None:
    """One sale, as bench/checkout.py's tills ring it up."""
    (opened,) = counted("open sale", [("POST", "/checkout/sales", None, client.hx)], on)
    sale = SALE_URL.search(opened.headers["HX-Push-Url"]).group(1)
    for kind, method, path, body, target in sale_steps(sale, phone, customer_id):
        counted(kind, [(method, path, body, aimed(client.hx, target))], on)


def _signed_in_till(app):
    """A test client signed in as the demo merchant's cashier, with htmx's headers."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # production cookies are Secure
    token = csrf_token(client.get("/login").data)
    client.post("/login", data={"csrf_token": token, **demo_credentials()})
    client.hx = {"HX-Request": "true", "X-CSRFToken": csrf_token(client.get("/").data)}
    return client


def _callgrind(*command: str) -> None:
    subprocess.run(["callgrind_control", *command, str(os.getpid())], check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
