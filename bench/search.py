"""Search at scale: a deterministic workload of query kinds, each with the customer it must
find, measured through HTTP against gunicorn (2 workers): p50/p95/p99 per kind,
sequential and with 8 concurrent clients, the hit rate, and the /healthz floor.

    .venv/bin/python -m bench.search --customers 100000 --database sqlite
    .venv/bin/python -m bench.search --customers 1000000 --database postgres

The answer key comes from the generated rows, not from the search code: phones and
numbers belong to one customer; a name query must find the most recent visitor among the
customers of that name (the ranking contract: exact > prefix > fuzzy, then last visit).
"""

from __future__ import annotations

import argparse
import random
import threading
import unicodedata
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from urllib.parse import quote

import phonenumbers
from sqlalchemy import create_engine, text

from config import database_url_from

from .harness import (
    Timings,
    add_dataset_arguments,
    at_each_concurrency,
    dataset,
    gunicorn,
    run_concurrently,
    server_note,
    signed_in_clients,
    timed,
    write_section,
)

FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _never():
    return datetime(1970, 1, 1)


def load_rows(database: str) -> list:
    engine = create_engine(database_url_from(database))
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT c.id, c.name, c.name_kana, c.name_alt, c.sort_name, c.phone, c.email, c.number, "
            "c.customer_number, c.last_visit_at "
            "FROM customer c WHERE c.merchant_id = 1 AND c.deleted_at IS NULL")).all()  # fmt: skip
    engine.dispose()
    return rows


def _visit(row):
    visit = row.last_visit_at
    if isinstance(visit, str):
        visit = datetime.fromisoformat(visit)
    return visit.replace(tzinfo=None) if visit else _never()


def _contract_order(row) -> tuple:
    """How the ranking contract orders equally good matches: the most recent visit, then
    the newest customer by its time-ordered id (search.py orders the same way)."""
    return -_visit(row).timestamp(), -uuid.UUID(str(row.id)).int


def _first_by_contract(group):
    return min(group, key=_contract_order)


FIRST_LETTERS = 4


def _starts(row) -> dict[str, int]:
    """The first letters of every name term of a customer, as typed at the till ("tana"
    for tanaka tarou, "nguy" for Nguyễn Văn An), with the rank the contract gives them:
    exact (0) when a whole term is those letters, else prefix (1)."""
    from domain.customers.search_keys import name_terms

    starts = {}
    for term in name_terms(row.name, row.name_kana, row.name_alt):
        letters = term[:FIRST_LETTERS]
        if len(letters) == FIRST_LETTERS and letters.isascii() and letters.isalpha():
            starts[letters] = min(starts.get(letters, 1), 0 if term == letters else 1)
    return starts


def _first_of_each_start(rows) -> dict[str, object]:
    """For each start of a name: whom the contract puts first among its customers (the
    best rank, then as `_first_by_contract`)."""
    best = {}
    for row in rows:
        order = _contract_order(row)
        for letters, rank in _starts(row).items():
            if letters not in best or (rank, *order) < best[letters][0]:
                best[letters] = ((rank, *order), row)
    return {letters: row for letters, (_key, row) in best.items()}


def _typo(word: str, rng: random.Random) -> str:
    """One letter dropped inside the word (never the first): 'tanaka' → 'tanka'."""
    if len(word) < 5:
        return word
    position = rng.randrange(2, len(word) - 1)
    return word[:position] + word[position + 1 :]


def build_workload(rows: list, per_kind: int, seed: int = 11) -> list[tuple[str, str, str | None]]:
    """(kind, query, expected customer id or None) triples, the same for the same data."""
    from domain.customers.names import romanise
    from domain.customers.search_keys import fold, shorten_vowels

    rng = random.Random(seed)
    by_name: dict[str, list] = defaultdict(list)
    for row in rows:
        by_name[row.name].append(row)
    best_of_name = {name: _first_by_contract(group).id for name, group in by_name.items()}
    by_region = defaultdict(list)
    for row in rows:
        by_region[phonenumbers.region_code_for_number(phonenumbers.parse(row.phone))].append(row)
    by_suffix = defaultdict(list)
    for row in rows:
        by_suffix[str(phonenumbers.parse(row.phone).national_number)[-4:]].append(row)
    suffix_best = {key: _first_by_contract(group) for key, group in by_suffix.items()}
    by_number = {row.number: row for row in rows}
    known_words = {fold(row.name) for row in rows} | {fold(romanise(row.name_kana)) for row in rows if row.name_kana}
    known_words |= {shorten_vowels(word) for word in known_words}
    japanese = [row for row in rows if row.name_kana]
    latin = [row for row in rows if not row.name_kana]
    with_email = [row for row in rows if row.email]
    first_of_start = _first_of_each_start(rows)
    work = []

    def add(kind, query, expected):
        work.append((kind, query, str(uuid.UUID(str(expected))) if expected else None))

    for _ in range(per_kind):
        jp = rng.choice(by_region["JP"])
        national = phonenumbers.format_number(phonenumbers.parse(jp.phone), phonenumbers.PhoneNumberFormat.NATIONAL)
        add("phone, national (090-…)", national, jp.id)
        add(
            "phone, international",
            phonenumbers.format_number(phonenumbers.parse(jp.phone), phonenumbers.PhoneNumberFormat.INTERNATIONAL),
            jp.id,
        )
        add("phone, full-width digits", national.translate(FULL_WIDTH), jp.id)
        vn = rng.choice(by_region["VN"])
        add(
            "phone, Vietnamese national",
            phonenumbers.format_number(phonenumbers.parse(vn.phone), phonenumbers.PhoneNumberFormat.NATIONAL),
            vn.id,
        )
        anyone = rng.choice(rows)
        last4 = str(phonenumbers.parse(anyone.phone).national_number)[-4:]
        number_hit = by_number.get(int(last4))
        add("phone, last 4 digits", last4, (number_hit or suffix_best[last4]).id)
        numbered = rng.choice(rows)
        add("customer number", numbered.customer_number if rng.random() < 0.5 else str(numbered.number), numbered.id)
        mailed = rng.choice(with_email)
        add("email, whole", mailed.email.upper() if rng.random() < 0.3 else mailed.email, mailed.id)
        add("email, prefix", mailed.email.split("@")[0] + "@", mailed.id)
        person = rng.choice(japanese)
        kana = person.name_kana
        add("name, kanji", person.name, best_of_name[person.name])
        add(
            "name, hiragana",
            "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana),
            best_of_name[person.name],
        )
        add(
            "name, half-width kana",
            unicodedata.normalize("NFKC", kana).translate(_HALF_WIDTH),
            best_of_name[person.name],
        )
        roman = romanise(kana).replace("ou", "o")  # typed the short way: tanaka taro
        add("name, romanised", roman, best_of_name[person.name])
        foreign = rng.choice(latin)
        add("name, no diacritics", fold(foreign.name), best_of_name[foreign.name])
        words = fold(foreign.name if rng.random() < 0.5 else romanise(person.name_kana)).split()
        typo_target = foreign if fold(foreign.name).split() == words else person
        typo = " ".join(_typo(w, rng) if i == 0 else w for i, w in enumerate(words))
        if typo not in known_words:  # a "typo" that spells another real name is no typo
            add("name, one typo", typo, best_of_name[typo_target.name])
        if starts := sorted(_starts(rng.choice(rows))):
            start = rng.choice(starts)
            add("name, first letters", start, first_of_start[start].id)
        add("no match", f"zq{rng.randrange(10**6)}x", None)
    return work


_HALF_WIDTH = str.maketrans(dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンー",
    "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｰ", strict=True)))  # fmt: skip


def _first_customer_ids(body: bytes, expected: str | None) -> bool:
    html = body.decode()
    if expected is None:
        return "match-link" not in html
    return f'/customers/{expected}"' in html


def measure(host, port, workload, concurrency: int) -> tuple[Timings, dict]:
    """Each client (one till) sends its share of the workload, each search followed by the
    floor route; returns the timings and, per kind, [hits, queries]."""
    timings, hits, lock = Timings(), defaultdict(lambda: [0, 0]), threading.Lock()
    clients = signed_in_clients(host, port, concurrency)
    shares = dict(zip(map(id, clients), (workload[i::concurrency] for i in range(concurrency)), strict=True))

    def work(client):
        for kind, query, expected in shares[id(client)]:
            body = timed(client, timings, kind, f"/customers/search?q={quote(query)}", {"HX-Request": "true"})
            with lock:
                hits[kind][0] += _first_customer_ids(body, expected)
                hits[kind][1] += 1
            timed(client, timings, "floor /healthz", "/healthz")

    run_concurrently(clients, work)
    return timings, hits


def table(timings: Timings, hits: dict, kinds: list[str]) -> str:
    floor = timings.summary("floor /healthz")["p95"]
    lines = [
        "| query kind | n | hit rate | p50 ms | p95 ms | p99 ms | p95 ÷ floor |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in kinds:
        s = timings.summary(kind)
        rate = f"{100 * hits[kind][0] / hits[kind][1]:.1f} %" if kind in hits else "—"
        lines.append(f"| {kind} | {s['n']} | {rate} | {s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
                     f"{s['p95'] / floor:.1f} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_dataset_arguments(parser)
    parser.add_argument("--per-kind", type=int, default=300)
    args = parser.parse_args()

    database, kind_of_db = dataset(args)
    workload = build_workload(load_rows(database), args.per_kind)
    kinds = list(dict.fromkeys(kind for kind, _, _ in workload))
    with gunicorn(database) as (host, port):

        def measured(concurrency):
            timings, hits = measure(host, port, workload, concurrency)
            return timings, table(timings, hits, [*kinds, "floor /healthz"])

        results = at_each_concurrency(measured)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (f"## Search on {kind_of_db}, {args.customers:,} customers (+{args.other:,} in a second merchant), "
              f"{stamp}\n\ngunicorn, 2 sync workers, 127.0.0.1; {args.per_kind} queries per kind. Command: "
              f"`.venv/bin/python -m bench.search --customers {args.customers} --database {kind_of_db}`"
              f"{server_note(database)}")  # fmt: skip
    write_section(f"search-{kind_of_db}-{args.customers}", header + "\n\n" + results)
    print(results)


if __name__ == "__main__":
    main()
