"""One search box for the till and the directory: it reads what was typed and looks in the
right place. Digits: phones (national or international form, or the last digits) and
customer numbers. "@": emails. Anything else: names, in any script, width or case.

Every lookup is an index range over stored keys, capped, so no keystroke scans a table.
Ranking: exact before prefix (before fuzzy), then the most recent visit, then the most
recently added customer (ids are time-ordered).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

import phonenumbers
from sqlalchemy import Float, String, and_, bindparam, case, func, literal_column, select, union_all

from extensions import db

from ..sql import bound_dialect, prefix_end
from ..validation import whole_number
from .fuzzy import ONE_SIDE_INTACT, TERMS, email_fragment_points, similar_terms, typo_sides
from .models import ContactPoint, Customer, Tag
from .search_keys import words
from .search_models import NEVER_IN_SQL, START, CustomerTerm, term_start
from .tags import grouped_by_customer, tags_joined, with_joined_tags, with_tags

PAGE = 20
CANDIDATES = 200  # per way of matching; ranked afterwards
# One phrase can match a customer by several terms (romanised variants: "tanaka yuma" and
# "tanaka yuuma"), so a page of N customers reads up to this many times N term rows.
TERMS_PER_CUSTOMER = 4
MIN_DIGITS = 4
EXACT, PREFIX, FUZZY = 0, 1, 2
_PHONE_LIKE = re.compile(r"\+?[\d\s\-().‐－]+")
_NUMBER_LIKE = re.compile(r"([A-Za-z]{1,11}-?)?0*(\d{1,12})")  # CUST-000123, 000123, 123


class Badge(NamedTuple):
    """A tag as a result list shows it."""

    name: str
    colour: str


class Listed(NamedTuple):
    """What a result list shows of a customer. The live search reads only this, as plain
    rows: loading its twenty customers and their tags as entities was a fifth of a name
    search's instructions."""

    id: uuid.UUID
    customer_number: str
    name: str
    name_kana: str | None
    phone: str | None
    status: str
    status_reason: str | None
    deleted_at: datetime | None
    total_visits: int
    last_visit_at: datetime | None
    tags: list[Badge]


@dataclass(frozen=True)
class Hit:
    customer: Customer | Listed
    rank: float  # EXACT, PREFIX, or FUZZY plus how far the match is (2.0 closest … <3.0)


@dataclass(frozen=True)
class Results:
    query: str
    kind: str  # "phone", "email", "name", or "" when there is nothing to search yet
    hits: list[Hit]
    has_more: bool = False

    @property
    def customers(self) -> list:
        return [hit.customer for hit in self.hits]


def classify(query: str) -> str:
    """ "email", "phone" (phones and customer numbers), "name", or "" when too short to search."""
    text = unicodedata.normalize("NFKC", query).strip()
    if "@" in text:
        return "email"
    if _PHONE_LIKE.fullmatch(text) or _NUMBER_LIKE.fullmatch(text.replace(" ", "")):
        return "phone"
    return "name" if len("".join(words(text))) >= (1 if _is_cjk(text) else 2) else ""


def _is_cjk(text: str) -> bool:
    return any("\u3040" <= char <= "\u9fff" for char in text)


# Each way of matching is one prebuilt statement of (customer_id, rank, visit) rows, at
# most :wanted of them, with its values as bound parameters. A search names the ways it
# needs and passes the values, so no keystroke pays for building SQL (building it took
# longer than running it). `visit` is the search key's copy of the customer's last visit:
# the page is ranked from the keys alone, and only its customers are read.
_MERCHANT = bindparam("merchant")
_WANTED = bindparam("wanted")
# The customers up to the page's end: all a way needs to give when its index yields them
# most recent visit first and once each (an exact term). The directory, which filters and
# re-sorts, passes `wanted` instead.
_PAGE_END = bindparam("page_end")


def _rank(value: int):
    return literal_column(str(value)).label("rank")


def _found(customer_id, rank, visit):
    """A way's rows: (customer_id, rank, visit)."""
    return select(customer_id.label("customer_id"), rank, visit.label("visit"))


def _terms(condition, rank, wanted=_WANTED, by_visit=CustomerTerm.last_visit_at):
    """Customers of the name terms meeting `condition`, most recent visit first: read in
    that order from an index, unless `by_visit` is an expression no index holds."""
    mine = CustomerTerm.merchant_id == _MERCHANT
    return (_found(CustomerTerm.customer_id, rank, CustomerTerm.last_visit_at).where(mine, condition)
            .order_by(by_visit.desc()).limit(wanted))  # fmt: skip


# Terms longer than the typed phrase that start with it (the exact term is its own way).
_LONGER_TERMS = and_(CustomerTerm.term > bindparam("phrase"), CustomerTerm.term < bindparam("phrase_end"))
# Up to this many such terms are read whole and sorted by visit. More (a common start:
# "yama", "nguy" begin tens of thousands of terms) are walked most recent first until a
# page is met: among the terms that share the phrase's first START letters, where most
# entries match (ix_customer_term_start), or, for a shorter phrase, among all the
# merchant's terms (ix_customer_term_recent). A rare start walked would read the whole
# group, hence the count first. Where walk and sort cost the same was measured at a
# million customers: PostgreSQL sorts faster, and its walk checks the table for each
# entry that sales updated since the last vacuum.
WALK_FROM = {"sqlite": 10_000, "postgresql": 20_000}
# Within a start group the walk wins on both from a few hundred terms. The 300 typed first
# letters of the search benchmark at a million customers, each the best of ten, against
# 2,000: SQLite p50 4.41 -> 3.76 ms, p95 5.48 -> 4.73; PostgreSQL 7.50 -> 6.24, 9.50 -> 8.02.
WALK_START_FROM = 300


_TERM_SEPARATOR = "\n"  # never inside a term: terms are words joined by spaces


# One statement tells both what starts with the phrase (the longer terms, counted up to
# walk_from) and whether it is a term itself: when neither, no way can match. With
# `typo_lookup`, it then also reads what the typo-tolerant lookup starts from (the
# vocabulary's terms with one side of the phrase intact, see fuzzy.typo_sides): a search
# for a typo makes one round trip fewer.
@lru_cache(maxsize=4)
def _terms_starting(dialect: str, typo_lookup: bool):
    mine = CustomerTerm.merchant_id == _MERCHANT
    longer = select(CustomerTerm.customer_id).where(mine, _LONGER_TERMS).limit(bindparam("walk_from")).subquery()
    exact = select(CustomerTerm.customer_id).where(mine, CustomerTerm.term == bindparam("phrase")).exists()
    found = [select(func.count()).select_from(longer).scalar_subquery(), exact]
    if typo_lookup:
        one_side_intact = ONE_SIDE_INTACT[dialect].columns(term=String).subquery()
        near = select(func.aggregate_strings(one_side_intact.c.term, _TERM_SEPARATOR)).scalar_subquery()
        # Read only when nothing starts with the phrase. That is asked again of the index,
        # one entry at most: reusing the count above would count its terms a second time.
        starting = select(CustomerTerm.customer_id).where(mine, _starts_with(CustomerTerm.term, "phrase"))
        found.append(case((~starting.exists(), near)))
    return select(*found)


# The same terms, tested in a way no index answers, so that the planner can only walk an
# index in visit order (left to choose, SQLite sorted the range once it had statistics).
_STARTING_LONGER = and_(
    func.substr(CustomerTerm.term, 1, func.length(bindparam("phrase"))) == bindparam("phrase"),
    CustomerTerm.term != bindparam("phrase"),
)
# An expression of the visit that no index orders by, so the planner reads the term range
# from ix_customer_term_lookup and sorts it (left to choose, SQLite without statistics
# walked the recent index whatever the range's size).
_VISIT_TO_SORT = func.coalesce(CustomerTerm.last_visit_at, NEVER_IN_SQL)


def _point(kind: str | None, condition, rank: int, wanted=_WANTED, order_by=()):
    # Only phones have digits: leaving out `kind` lets the digit indexes answer alone.
    mine = and_(ContactPoint.merchant_id == _MERCHANT, ContactPoint.live)
    if kind:
        mine = and_(mine, ContactPoint.kind == kind)
    found = _found(ContactPoint.customer_id, _rank(rank), ContactPoint.last_visit_at)
    return found.where(mine, condition).order_by(*order_by).limit(wanted)


def _starts_with(column, name: str):
    """`column` starts with the bound prefix `name`: a range (up to `name`_end, see
    Candidates.starting), so an ordinary B-tree index serves it everywhere."""
    return and_(column >= bindparam(name), column < bindparam(name + "_end"))


WAYS = {
    "number": lambda: _found(Customer.id, _rank(EXACT), func.coalesce(Customer.last_visit_at, NEVER_IN_SQL)).where(
        Customer.merchant_id == _MERCHANT, Customer.number == bindparam("number"), Customer.deleted_at.is_(None)),
    "e164": lambda: _point("phone", ContactPoint.value == bindparam("e164"), EXACT),
    "e164 prefix": lambda: _point("phone", _starts_with(ContactPoint.value, "e164"), PREFIX),
    "digits": lambda: _point(None, ContactPoint.digits == bindparam("national"), EXACT),
    # Thousands of phones can start with four typed digits, and a hundred share four last
    # digits, at a million customers: the most recent visitors among them, from the index
    # alone (two phones of one customer may both match).
    "digits prefix": lambda: _point(None, _starts_with(ContactPoint.digits, "national"), PREFIX,
                                    _PAGE_END * 2, [ContactPoint.last_visit_at.desc()]),
    "last digits": lambda: _point(None, _starts_with(ContactPoint.digits_reversed, "reversed"), PREFIX,
                                  _PAGE_END * 2, [ContactPoint.last_visit_at.desc()]),
    "email": lambda: _point("email", ContactPoint.value == bindparam("email"), EXACT),
    "email prefix": lambda: _point("email", _starts_with(ContactPoint.value, "email"), PREFIX),
    "email fragment": lambda: _found(ContactPoint.customer_id, _rank(FUZZY), ContactPoint.last_visit_at).where(
        ContactPoint.id.in_(bindparam("points", expanding=True))),
    "name": lambda: _terms(CustomerTerm.term == bindparam("phrase"), _rank(EXACT), _PAGE_END),
    # Longer terms only: the exact term's customers (a common full name has thousands) are
    # already above, and sorting them again by visit is most of a prefix query's work.
    "name prefix": lambda: _terms(_LONGER_TERMS, _rank(PREFIX), by_visit=_VISIT_TO_SORT),
    "name prefix, most recent first": lambda: _terms(_STARTING_LONGER, _rank(PREFIX)),
    "name prefix, most recent of its start": lambda: _terms(
        and_(term_start(CustomerTerm.term) == bindparam("start"), _STARTING_LONGER), _rank(PREFIX)),
    **{f"similar term {i}": (lambda i=i: _terms(CustomerTerm.term == bindparam(f"term_{i}"),
                                                bindparam(f"rank_{i}", type_=Float).label("rank"), _PAGE_END))
       for i in range(TERMS)},
}  # fmt: skip


@dataclass
class Candidates:
    """The ways a query is matched (keys of WAYS) and the values their statements take."""

    ways: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    # Name terms with one side of the phrase intact, read with the ways when none matched
    # (see _terms_starting); None when not read.
    near: list[str] | None = None

    def add(self, way: str, **values) -> None:
        self.ways.append(way)
        self.values.update(values)

    def starting(self, way: str, name: str, prefix: str) -> None:
        self.add(way, **{name: prefix, f"{name}_end": prefix_end(prefix)})


def _phone_candidates(merchant, text: str, phones: bool = True) -> Candidates:
    """For a typed phone or customer number. Customer numbers match exactly from any
    number of digits; phones need MIN_DIGITS."""
    text = unicodedata.normalize("NFKC", text)
    digits = re.sub(r"\D", "", text)
    found = Candidates()
    number = _NUMBER_LIKE.fullmatch(text.replace(" ", ""))
    value = whole_number(number.group(2)) if number else None  # a long phone is no customer number
    if value is not None and (number.group(1) or "").upper() in ("", merchant.customer_number_prefix.upper()):
        found.add("number", number=value)
    if len(digits) < MIN_DIGITS or not phones:
        return found
    if text.lstrip().startswith("+"):  # international: the E.164 value itself
        found.add("e164", e164="+" + digits)
        found.starting("e164 prefix", "e164", "+" + digits)
    else:  # national: drop the trunk prefix (0 in Japan and Vietnam), match the digits after it
        trunk = phonenumbers.country_code_for_region(merchant.phone_region)
        national_prefix = (phonenumbers.PhoneMetadata.metadata_for_region(merchant.phone_region).national_prefix
                           if trunk else None) or ""  # fmt: skip
        national = digits[len(national_prefix) :] if national_prefix and digits.startswith(national_prefix) else digits
        found.add("digits", national=national)
        found.starting("digits prefix", "national", national)
        found.starting("last digits", "reversed", digits[::-1])
    return found


def _email_candidates(merchant, text: str) -> Candidates:
    found = Candidates()
    email = unicodedata.normalize("NFKC", text).strip().lower()
    found.add("email", email=email)
    found.starting("email prefix", "email", email)
    return found


def _name_candidates(merchant, text: str) -> Candidates:
    """Terms come out of their index most recent visit first, so the first `wanted` of each
    way of matching are all a page can need."""
    found = Candidates()
    phrase = " ".join(words(text))
    if not phrase:  # only punctuation (possible through the explicit name filter)
        return found
    dialect, grouped = bound_dialect(), len(phrase) >= START
    walk_from = WALK_START_FROM if grouped else WALK_FROM[dialect]
    sides = typo_sides(phrase, dialect)
    values = {"merchant": merchant.id, "phrase": phrase, "phrase_end": prefix_end(phrase), "walk_from": walk_from,
              **(sides or {})}  # fmt: skip
    row = db.session.execute(_terms_starting(dialect, sides is not None), values).one()
    longer, exact = row[0], row[1]
    if sides and not (longer or exact):  # then the row's third column holds the typo lookup's terms
        found.near = row[2].split(_TERM_SEPARATOR) if row[2] else []
    if exact:
        found.add("name", phrase=phrase)
    if longer:
        found.add(
            _prefix_way(longer >= walk_from, grouped),
            phrase=phrase,
            phrase_end=values["phrase_end"],
            start=phrase[:START],
        )
    return found


def _prefix_way(many: bool, grouped: bool) -> str:
    """How the terms that start with a phrase are read: sorted, or, when they are many,
    walked most recent first (see WALK_FROM)."""
    if not many:
        return "name prefix"
    return "name prefix, most recent of its start" if grouped else "name prefix, most recent first"


def _fuzzy_name_candidates(merchant, text: str, first: Candidates) -> Candidates:
    """Customers of the few terms closest to the phrase: 'tanka taro' finds 'tanaka tarou'.
    Within one term the most recent visitors come first, so `wanted` of each is enough."""
    found = Candidates()
    for i, (term, distance) in enumerate(similar_terms(merchant.id, " ".join(words(text)), first.near)):
        found.add(f"similar term {i}", **{f"term_{i}": term, f"rank_{i}": FUZZY + distance})
    return found


def _fuzzy_email_candidates(merchant, text: str, _first: Candidates) -> Candidates:
    """Emails containing the fragment anywhere: '@example.vn', 'tanaka@'. The index gives
    them in no visit order, so up to CANDIDATES are ranked to find the recent ones."""
    found = Candidates()
    fragment = unicodedata.normalize("NFKC", text).strip().lower()
    if points := email_fragment_points(merchant.id, fragment, CANDIDATES):
        found.add("email fragment", points=points)
    return found


def _number_candidates(merchant, text: str) -> Candidates:
    return _phone_candidates(merchant, text, phones=False)


FINDERS = {"phone": _phone_candidates, "number": _number_candidates, "email": _email_candidates,
           "name": _name_candidates}  # fmt: skip
# Only when nothing matched exactly or by prefix: a typo is why nothing was found, and
# near-misses after a real match are noise at the till. Most searches never pay for it.
# Each is given what the first lookup found.
FALLBACKS = {"email": _fuzzy_email_candidates, "name": _fuzzy_name_candidates}


def _best(ways: tuple[str, ...]):
    """(customer_id, rank, visit): each customer the ways find once, with its best rank."""
    candidates = union_all(*[WAYS[way]().subquery().select() for way in ways]).subquery()
    return (
        select(
            candidates.c.customer_id,
            func.min(candidates.c.rank).label("rank"),
            func.max(candidates.c.visit).label("visit"),
        )
        .group_by(candidates.c.customer_id)
        .subquery()
    )


def _ranking(ways: tuple[str, ...], listed: bool):
    """(customer, rank, tag) rows of the customers the ways find, best rank first, then
    the most recent visit, then the newest customer; a customer with several tags has a
    row for each (with none, one row whose tag is None), in the tags' order. The page is
    chosen from the search keys' own copies of the visit (a hundred candidates are common
    at a million customers, and each customer read is a page from disk), and only its
    customers' rows and tags are read: one statement."""
    best = _best(ways)
    page = select(best).order_by(*_by_rank(best)).limit(bindparam("limit")).offset(bindparam("offset")).subquery()
    tag = (Tag.name, Tag.colour) if listed else (Tag,)
    return tags_joined(_customers_of(page, listed=listed), *tag).order_by(*_by_rank(page), Tag.name)


def _by_rank(rows) -> tuple:
    """The ranking order over rows of (customer_id, rank, visit)."""
    return rows.c.rank, rows.c.visit.desc(), rows.c.customer_id.desc()


def _filtered_ranking(ways: tuple[str, ...], where=(), order_by=None):
    """As `_ranking`, among customers that also meet `where` (the directory's filters), in
    `order_by` if given: both need the customers' own columns."""
    best = _best(ways)
    return (
        _customers_of(best, *where)
        .order_by(*(order_by or _by_rank(best)))
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


_LISTED = [getattr(Customer, name) for name in Listed._fields if name != "tags"]


def _customers_of(rows, *where, listed: bool = False):
    """(customer, rank) for rows of (customer_id, rank, visit): those of the merchant's
    customers that are not deleted; (*Listed columns, rank) if `listed`."""
    return (
        select(*(_LISTED if listed else [Customer]), rows.c.rank)
        .join(rows, rows.c.customer_id == Customer.id)
        .where(Customer.merchant_id == _MERCHANT, Customer.deleted_at.is_(None), *where)
    )


def _listed(rows) -> list[tuple[Listed, float]]:
    """(Listed, rank) from the rows of a listed ranking: the Listed columns, the rank, and a
    tag's name and colour."""
    return [(Listed(*row[:-1], tags=[Badge(*tag) for tag in tags]), row[-1])
            for row, tags in grouped_by_customer(rows, shown=2)]  # fmt: skip


# The till's and the API's searches have no extra filters: their statements are kept.
_prebuilt_ranking = lru_cache(maxsize=128)(_ranking)


def _ranked(actor, found: Candidates, limit: int, offset: int = 0, wanted: int = CANDIDATES, where=(),
            order_by=None, listed: bool = False) -> list:  # fmt: skip
    """The ranked (customer, rank) rows of what `found` matches, at most `wanted` per way,
    with the customers' tags loaded (every page shows them)."""
    if not found.ways:
        return []
    ways, reordered = tuple(found.ways), bool(where or order_by)
    values = {**found.values, "merchant": actor.merchant_id, "wanted": wanted, "limit": limit, "offset": offset,
              "page_end": wanted if reordered else offset + limit}  # fmt: skip
    if reordered:
        rows = db.session.execute(_filtered_ranking(ways, where, order_by), values).all()
        with_tags([customer for customer, _rank in rows])
        return rows
    if listed:  # plain rows: the connection's, without the session's entity loading
        return _listed(db.session.connection().execute(_prebuilt_ranking(ways, True), values))
    return with_joined_tags(db.session.execute(_prebuilt_ranking(ways, False), values))


def search(actor, query: str, *, kind: str | None = None, limit: int = PAGE, offset: int = 0, where=(),
           order_by=None, listed: bool = False) -> Results:  # fmt: skip
    """The customers the query means, best first; deleted customers never appear.

    `kind` forces how the query is read ("phone", "number", "email", "name": the explicit
    filters of the directory and the API); `where` and `order_by` let the directory add its
    filters and its chosen sort to the same search; `listed` gives, instead of customers,
    only what a result list shows of them (Listed: the live search's, which has no filters)."""
    if listed and (where or order_by):
        raise ValueError("a listed search has no filters or sort")
    query = (query or "").strip()[:100]
    kind = kind if kind in FINDERS else (classify(query) if query else "")
    if not kind or not query:
        return Results(query, "", [])
    # Name terms: one customer can match by several (romanised variants), so read more.
    wanted = (offset + limit + 1) * TERMS_PER_CUSTOMER if kind == "name" else CANDIDATES
    found = FINDERS[kind](actor.merchant, query)
    rows = _ranked(actor, found, limit + 1, offset, wanted, where=where, order_by=order_by, listed=listed)
    if kind in FALLBACKS and offset == 0 and not rows:
        rows = _ranked(actor, FALLBACKS[kind](actor.merchant, query, found), limit + 1, wanted=limit + 1, where=where,
                       order_by=order_by, listed=listed)  # fmt: skip
    hits = [Hit(customer, rank) for customer, rank in rows[:limit]]
    return Results(query, kind, hits, has_more=len(rows) > limit)
