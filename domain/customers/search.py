"""One search box for the till and the directory: it reads what was typed and looks in the
right place. Digits: phones (national or international form, or the last digits) and
customer numbers. "@": emails. Anything else: names, in any script, width or case.

Every lookup is an index range over stored keys, capped, so no keystroke scans a table.
Ranking: exact before prefix (before fuzzy), then the most recent visit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy.orm import selectinload

from extensions import db

from ..validation import whole_number
from .fuzzy import email_fragment_points, similar_terms
from .models import ContactPoint, Customer
from .search_keys import words
from .search_models import CustomerTerm

PAGE = 20
CANDIDATES = 200  # per way of matching; ranked afterwards
# One phrase can match a customer by several terms (romanised variants: "tanaka yuma" and
# "tanaka yuuma"), so a page of N customers reads up to this many times N term rows.
TERMS_PER_CUSTOMER = 4
MIN_DIGITS = 4
EXACT, PREFIX, FUZZY = 0, 1, 2
_PHONE_LIKE = re.compile(r"\+?[\d\s\-().‐－]+")
_NUMBER_LIKE = re.compile(r"([A-Za-z]{1,11}-?)?0*(\d{1,12})")  # CUST-000123, 000123, 123


@dataclass(frozen=True)
class Hit:
    customer: Customer
    rank: float  # EXACT, PREFIX, or FUZZY plus how far the match is (2.0 closest … <3.0)


@dataclass(frozen=True)
class Results:
    query: str
    kind: str  # "phone", "email", "name", or "" when there is nothing to search yet
    hits: list[Hit]
    has_more: bool = False


def _upper_bound(prefix: str) -> str:
    """The smallest string after every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _starts_with(column, prefix: str):
    """A prefix test written as a range, so an ordinary B-tree index serves it everywhere."""
    return and_(column >= prefix, column < _upper_bound(prefix))


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


def _phone_candidates(merchant, text: str, phones: bool = True):
    """(customer_id, rank) selects for a typed phone or customer number. Customer numbers
    match exactly from any number of digits; phones need MIN_DIGITS."""
    text = unicodedata.normalize("NFKC", text)
    digits = re.sub(r"\D", "", text)
    live_phones = and_(ContactPoint.merchant_id == merchant.id, ContactPoint.kind == "phone", ContactPoint.live)
    # Only phones have digits: leaving out `kind` lets the digit indexes answer alone.
    live_digits = and_(ContactPoint.merchant_id == merchant.id, ContactPoint.live)
    selects = []

    def add(condition, rank, column=ContactPoint.customer_id):
        selects.append(select(column.label("customer_id"), literal(rank).label("rank"))
                       .where(condition).limit(CANDIDATES))  # fmt: skip

    number = _NUMBER_LIKE.fullmatch(text.replace(" ", ""))
    value = whole_number(number.group(2)) if number else None  # a long phone is no customer number
    if value is not None and (number.group(1) or "").upper() in ("", merchant.customer_number_prefix.upper()):
        add(and_(Customer.merchant_id == merchant.id, Customer.number == value, Customer.deleted_at.is_(None)),
            EXACT, Customer.id)  # fmt: skip
    if len(digits) < MIN_DIGITS or not phones:
        return selects
    if text.lstrip().startswith("+"):  # international: the E.164 value itself
        e164 = "+" + digits
        add(and_(live_phones, ContactPoint.value == e164), EXACT)
        add(and_(live_phones, _starts_with(ContactPoint.value, e164)), PREFIX)
    else:  # national: drop the trunk prefix (0 in Japan and Vietnam), match the digits after it
        trunk = phonenumbers.country_code_for_region(merchant.phone_region)
        national_prefix = (phonenumbers.PhoneMetadata.metadata_for_region(merchant.phone_region).national_prefix
                           if trunk else None) or ""  # fmt: skip
        national = digits[len(national_prefix) :] if national_prefix and digits.startswith(national_prefix) else digits
        add(and_(live_digits, ContactPoint.digits == national), EXACT)
        add(and_(live_digits, _starts_with(ContactPoint.digits, national)), PREFIX)
        add(and_(live_digits, _starts_with(ContactPoint.digits_reversed, digits[::-1])), PREFIX)
    return selects


def _email_candidates(merchant, text: str):
    email = unicodedata.normalize("NFKC", text).strip().lower()
    live_emails = and_(ContactPoint.merchant_id == merchant.id, ContactPoint.kind == "email", ContactPoint.live)
    column = ContactPoint.customer_id.label("customer_id")
    return [
        select(column, literal(EXACT).label("rank")).where(live_emails, ContactPoint.value == email).limit(CANDIDATES),
        select(column, literal(PREFIX).label("rank")).where(live_emails, _starts_with(ContactPoint.value, email))
        .limit(CANDIDATES),
    ]  # fmt: skip


def _name_candidates(merchant, text: str, wanted: int = CANDIDATES):
    """Terms come out of their index most recent visit first, so the first `wanted` of each
    way of matching are all a page can need."""
    phrase = " ".join(words(text))
    if not phrase:  # only punctuation, e.g. through the explicit name filter
        return []
    by_visit = CustomerTerm.last_visit_at.desc()
    column = CustomerTerm.customer_id.label("customer_id")
    mine = CustomerTerm.merchant_id == merchant.id
    return [
        select(column, literal(EXACT).label("rank")).where(mine, CustomerTerm.term == phrase)
        .order_by(by_visit).limit(wanted),
        # Longer terms only: the exact term's customers (a common full name has thousands)
        # are already above, and sorting them again by visit is most of a prefix query's work.
        select(column, literal(PREFIX).label("rank"))
        .where(mine, CustomerTerm.term > phrase, CustomerTerm.term < _upper_bound(phrase))
        .order_by(by_visit).limit(wanted),
    ]  # fmt: skip


def _fuzzy_name_candidates(merchant, text: str, wanted: int = CANDIDATES):
    """Customers of the few terms closest to the phrase: 'tanka taro' finds 'tanaka tarou'.
    Within one term the most recent visitors come first, so `wanted` of each is enough."""
    column = CustomerTerm.customer_id.label("customer_id")
    return [
        select(column, literal(FUZZY + distance).label("rank"))
        .where(CustomerTerm.merchant_id == merchant.id, CustomerTerm.term == term)
        .order_by(CustomerTerm.last_visit_at.desc()).limit(wanted)
        for term, distance in similar_terms(merchant.id, " ".join(words(text)))
    ]  # fmt: skip


def _fuzzy_email_candidates(merchant, text: str, wanted: int = CANDIDATES):
    """Emails containing the fragment anywhere: '@example.vn', 'tanaka@'. The index gives
    them in no visit order, so more than `wanted` are ranked to find the recent ones."""
    fragment = unicodedata.normalize("NFKC", text).strip().lower()
    points = email_fragment_points(merchant.id, fragment, max(wanted, CANDIDATES))
    if not points:
        return []
    return [select(ContactPoint.customer_id.label("customer_id"), literal(FUZZY).label("rank"))
            .where(ContactPoint.id.in_(points))]  # fmt: skip


def _number_candidates(merchant, text: str):
    return _phone_candidates(merchant, text, phones=False)


FINDERS = {"phone": _phone_candidates, "number": _number_candidates, "email": _email_candidates,
           "name": _name_candidates}  # fmt: skip
# Only when nothing matched exactly or by prefix: a typo is why nothing was found, and
# near-misses after a real match are noise at the till. Most searches never pay for it.
FALLBACKS = {"email": _fuzzy_email_candidates, "name": _fuzzy_name_candidates}


def _ranked(actor, selects, limit: int, offset: int = 0, exclude=(), where=(), order_by=None) -> list:
    """(customer, best rank) rows, best rank first, then the most recent visit (or `order_by`),
    among customers that also meet `where` (the directory's filters)."""
    candidates = union_all(*[s.subquery().select() for s in selects]).subquery()
    best = (
        select(candidates.c.customer_id, func.min(candidates.c.rank).label("rank"))
        .group_by(candidates.c.customer_id)
        .subquery()
    )
    query = (
        select(Customer, best.c.rank)
        .options(selectinload(Customer.tags))
        .join(best, best.c.customer_id == Customer.id)
        .where(Customer.merchant_id == actor.merchant_id, Customer.deleted_at.is_(None), *where)
        .order_by(
            *(
                order_by
                or (
                    best.c.rank,
                    Customer.last_visit_at.is_(None),
                    Customer.last_visit_at.desc(),
                    Customer.sort_name,
                    Customer.id,
                )
            )
        )
        .limit(limit)
        .offset(offset)
    )
    if exclude:
        query = query.where(Customer.id.not_in(exclude))
    return db.session.execute(query).all()


def search(actor, query: str, *, kind: str | None = None, limit: int = PAGE, offset: int = 0, where=(),
           order_by=None) -> Results:  # fmt: skip
    """The customers the query means, best first; deleted customers never appear.

    `kind` forces how the query is read ("phone", "number", "email", "name": the explicit
    filters of the directory and the API); `where` and `order_by` let the directory add its
    filters and its chosen sort to the same search."""
    query = (query or "").strip()[:100]
    kind = kind if kind in FINDERS else (classify(query) if query else "")
    if not kind or not query:
        return Results(query, "", [])
    finder = FINDERS[kind]
    wanted = (offset + limit + 1) * TERMS_PER_CUSTOMER
    selects = finder(actor.merchant, query, wanted) if kind == "name" else finder(actor.merchant, query)
    rows = _ranked(actor, selects, limit + 1, offset, where=where, order_by=order_by) if selects else []
    if kind in FALLBACKS and offset == 0 and not rows:
        fallback = FALLBACKS[kind](actor.merchant, query, limit + 1)
        if fallback:
            found = [customer.id for customer, _rank in rows]
            rows += _ranked(actor, fallback, limit + 1 - len(rows), exclude=found, where=where, order_by=order_by)
    hits = [Hit(customer, rank) for customer, rank in rows[:limit]]
    return Results(query, kind, hits, has_more=len(rows) > limit)
