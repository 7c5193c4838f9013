"""The HTTP harness: the app under gunicorn (2 workers) on loopback, clients that keep
their connection alive, percentiles per kind of request, results into bench/RESULTS.md."""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from sqlalchemy import create_engine, text

from config import database_url_from

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data"
RESULTS = Path(__file__).parent / "RESULTS.md"
PYTHON = sys.executable


def database_url(kind: str, name: str) -> str:
    """A fresh database of the given kind ('sqlite' or 'postgres') for one benchmark run."""
    if kind == "sqlite":
        DATA.mkdir(exist_ok=True)
        path = DATA / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def add_dataset_arguments(parser) -> None:
    """The options every benchmark on generated customers takes."""
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", help="a database already loaded by this command")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--other", type=int, default=100_000, help="customers of the second merchant")
    parser.add_argument("--fresh", action="store_true", help="load the data again even if it is there")


DEMO_ORDERS = "5"  # orders per customer: 5,000,000 at a million customers


def dataset(args) -> tuple[str, str]:
    """(database URL, "sqlite" or "postgres"): the one given, else the shared benchmark data
    of this size (`flask demo`: customers with about five orders each over two years),
    loaded once and reused by the search and checkout benchmarks unless --fresh."""
    database = args.database_url
    if not database:
        name = f"regulars_bench_{args.customers}"
        database = _existing(args.database, name, args.customers) if not args.fresh else None
        if database is None:
            database = database_url(args.database, name)
            flask(database, "db", "upgrade")
            flask(database, "demo", "--customers", str(args.customers), "--other-customers", str(args.other),
                  "--orders-per-customer", DEMO_ORDERS)  # fmt: skip
        _maintained(database)  # a fresh load as much as a reused one
    return database, "postgres" if database.startswith("postgres") else "sqlite"


def _existing(kind: str, name: str, customers: int) -> str | None:
    """The URL of a complete earlier load of this dataset, if there is one."""
    if kind == "sqlite":
        path = DATA / f"{name}.db"
        url = f"sqlite:///{path}" if path.exists() else None
    else:
        server = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        url = f"{server}/{name}" if found else None
    if url is None:
        return None
    try:
        flask(url, "db", "upgrade")
        engine = create_engine(database_url_from(url))
        with engine.connect() as connection:
            loaded = connection.execute(text("SELECT max(number) FROM customer WHERE merchant_id = 1")).scalar()
        engine.dispose()
    except Exception:  # a half-made database: load it again
        return None
    return url if loaded == customers else None


# What a till and a search read: a running server has these in memory. Orders and their
# lines, written once and read per customer, are left to be read as needed.
WORKING_SET = ("customer", "customer_term", "contact_point", "name_vocabulary", "tag", "customer_tag", "staff_session")


def _maintained(url: str) -> None:
    """A migration that rewrote rows leaves them to autovacuum, and until it comes PostgreSQL
    reads the table to check each index entry: measure the database as maintained, with
    the working set in PostgreSQL's buffers, as a server that has been running has it."""
    if url.startswith("postgres"):
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
            connection.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            connection.execute(
                "SELECT pg_prewarm(c.oid) FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid "
                "WHERE coalesce(i.indrelid, c.oid)::regclass::text = ANY(%s) AND c.relkind IN ('r', 'i')",
                (list(WORKING_SET),),
            )


def server_note(database: str) -> str:
    """What a reader needs to know of the machine and the server: how fast the machine ran
    Python just then (a virtual machine's host may be busy: the same code measured 40 %
    slower from one session to the next), and PostgreSQL's buffer size (the working set in
    its buffers, or read through the operating system's cache)."""
    note = f" CPU yardstick (ten million Python additions): {cpu_yardstick():.2f} s."
    if database.startswith("postgres"):
        with psycopg.connect(database) as connection:
            note += f" PostgreSQL shared_buffers: {connection.execute('SHOW shared_buffers').fetchone()[0]}."
    return note


def cpu_yardstick() -> float:
    """Seconds for a fixed piece of pure Python: compare two sections by it before comparing
    their numbers (0.65–0.72 s on 2026-11-21, a day the old code's till ran 40 % slower
    than it had the session before)."""
    start = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.perf_counter() - start


def flask(database: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "bench"}
    return subprocess.run(
        [PYTHON, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database: str, workers: int = 2):
    """Serves the app as production would; yields (host, port)."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "bench", "REGULARS_ENV": "production"}
    command = [PYTHON, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "app:create_app()"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                Client("127.0.0.1", port).get("/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        server.wait(10)


class Client:
    """One till's connection with a cookie jar of one cookie. HTTP/1.1 over a plain socket:
    http.client parses every response's headers with the email package, which cost the
    8 tills a tenth of the CPU the server got; the tills are other machines in a shop, so
    their share of this one is kept small. Reconnects when the server closes."""

    def __init__(self, host: str, port: int, cookie: str | None = None):
        self.address = (host, port)
        self.socket = self.reader = None
        self.cookie = cookie
        self.last_location = None  # where the last response redirected to

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        data = urlencode(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.address[0]}:{self.address[1]}",
                 f"Content-Length: {len(data)}"]  # fmt: skip
        if body is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        message = ("\r\n".join(lines) + "\r\n\r\n").encode() + data
        status, answer, content = self._exchange(message)
        self.last_location = answer.get("hx-redirect") or answer.get("hx-push-url") or answer.get("location")
        if "set-cookie" in answer:
            self.cookie = answer["set-cookie"].split(";", 1)[0]
        return status, content

    def _exchange(self, message: bytes) -> tuple[int, dict[str, str], bytes]:
        """Sends the request and reads the response; once more on a new connection if a
        kept-alive one turns out closed by the server meanwhile, as a browser does."""
        reused = self.socket is not None
        if not reused:
            self.socket = socket.create_connection(self.address, timeout=10)
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.reader = self.socket.makefile("rb")
        try:
            self.socket.sendall(message)
            status_line = self.reader.readline()
        except ConnectionError:
            status_line = b""
        if not status_line and reused:
            self._close()
            return self._exchange(message)
        if not status_line:
            raise ConnectionError(f"{self.address} closed the connection without an answer")
        status = int(status_line.split(b" ", 2)[1])
        answer = {}
        while (line := self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            answer[name.strip().lower()] = value.strip()
        content = self.reader.read(int(answer.get("content-length", 0)))
        if answer.get("connection", "").lower() == "close":
            self._close()
        return status, answer, content

    def _close(self) -> None:
        self.reader.close()
        self.socket.close()
        self.socket = self.reader = None

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def sign_in(self, email: str, password: str) -> Client:
        _, page = self.get("/login")
        status, _ = self.request("POST", "/login", {"csrf_token": csrf_token(page), "email": email,
                                                    "password": password})  # fmt: skip
        if status != 302:
            raise RuntimeError(f"sign-in failed for {email}: {status}")
        return self


def csrf_token(page: bytes) -> str:
    """The CSRF token of a page's first form (a WTForms field or a hand-written input)."""
    return re.search(rb'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1).decode()


@dataclass
class Timings:
    """Latencies in milliseconds per kind of request, and the errors seen."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, milliseconds: float, ok: bool) -> None:
        with self.lock:
            self.samples.setdefault(kind, []).append(milliseconds)
            self.errors += 0 if ok else 1

    def summary(self, kind: str) -> dict[str, float]:
        values = sorted(self.samples[kind])
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        return {"n": len(values), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def timed(client: Client, timings: Timings, kind: str, path: str, headers: dict | None = None) -> bytes:
    start = time.perf_counter()
    status, body = client.get(path, headers)
    timings.add(kind, (time.perf_counter() - start) * 1000, status == 200)
    return body


def run_concurrently(clients: list[Client], work) -> None:
    """Runs `work(client)` on every client at once, each in its own thread."""
    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def demo_credentials(role: str = "cashier") -> dict:
    """The sign-in form's email and password for the demo merchant's staff member of `role`."""
    return {"email": f"{role}@sakura.example", "password": f"demo-{role}-pass"}


def signed_in_clients(host: str, port: int, count: int, role: str = "cashier") -> list[Client]:
    """`count` tills, each signed in on its own session as the demo merchant's `role`."""
    return [Client(host, port).sign_in(**demo_credentials(role)) for _ in range(count)]


def measure_paths(clients: list[Client], paths: dict[str, str], rounds: int, extra=None) -> Timings:
    """Every client requests every path `rounds` times (and `extra(client, timings)` after
    each round, if given), all clients at once."""
    timings = Timings()

    def work(client):
        for _ in range(rounds):
            for kind, path in paths.items():
                timed(client, timings, kind, path)
            if extra:
                extra(client, timings)

    run_concurrently(clients, work)
    return timings


def at_each_concurrency(measure_one) -> str:
    """Runs `measure_one(concurrency)` (→ Timings, markdown body) sequentially and with 8
    concurrent clients; returns the two sections as markdown."""
    sections = []
    for concurrency in (1, 8):
        timings, body = measure_one(concurrency)
        label = "sequential" if concurrency == 1 else f"{concurrency} concurrent clients"
        sections.append(f"**{label}** — errors: {timings.errors}\n\n{body}")
    return "\n\n".join(sections)


def markdown_table(timings: Timings, kinds: list[str]) -> str:
    rows = ["| request | n | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|"]
    for kind in kinds:
        s = timings.summary(kind)
        rows.append(f"| {kind} | {s['n']} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} |")
    return "\n".join(rows)


def write_section(name: str, body: str) -> None:
    """Replaces (or appends) the section between markers named `name` in RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else f"{text.rstrip()}\n\n{block}\n"
    RESULTS.write_text(text)


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:6]}"
