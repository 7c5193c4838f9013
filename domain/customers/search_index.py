"""Keeping the search keys in step: written by the domain in the same transaction as the
change they describe, so a new or edited customer is findable by the very next request."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from extensions import db

from ..sql import dialect_insert
from .models import Customer
from .search_keys import name_terms
from .search_models import NEVER, CustomerTerm, NameVocabulary


def term_rows(customer_id, merchant_id: int, name, kana, alt, last_visit_at) -> list[dict]:
    visit = last_visit_at or NEVER
    return [
        {"customer_id": customer_id, "term": term, "merchant_id": merchant_id, "last_visit_at": visit}
        for term in name_terms(name, kana, alt)
    ]


def add_vocabulary(merchant_id: int, terms) -> None:
    rows = [{"merchant_id": merchant_id, "term": term} for term in set(terms)]
    if rows:
        db.session.execute(dialect_insert(NameVocabulary).values(rows).on_conflict_do_nothing())


def index_customer(customer: Customer) -> None:
    """(Re)writes the customer's terms; a deleted customer has none, so is never found."""
    db.session.flush()
    db.session.execute(delete(CustomerTerm).where(CustomerTerm.customer_id == customer.id))
    if customer.deleted_at is not None:
        return
    rows = term_rows(customer.id, customer.merchant_id, customer.name, customer.name_kana, customer.name_alt,
                     customer.last_visit_at)  # fmt: skip
    db.session.execute(insert(CustomerTerm), rows)
    add_vocabulary(customer.merchant_id, (row["term"] for row in rows))


def reindex_merchant(merchant_id: int, batch: int = 5_000) -> int:
    """Rebuilds every term of one merchant (after a bulk load or to repair); returns count."""
    db.session.execute(delete(CustomerTerm).where(CustomerTerm.merchant_id == merchant_id))
    columns = (Customer.id, Customer.name, Customer.name_kana, Customer.name_alt, Customer.last_visit_at)
    query = select(*columns).where(Customer.merchant_id == merchant_id, Customer.deleted_at.is_(None))
    done = 0
    for chunk in db.session.execute(query.execution_options(yield_per=batch)).partitions():
        rows = [row for c in chunk for row in term_rows(c.id, merchant_id, c.name, c.name_kana, c.name_alt,
                                                         c.last_visit_at)]  # fmt: skip
        db.session.execute(insert(CustomerTerm), rows)
        add_vocabulary(merchant_id, (row["term"] for row in rows))
        done += len(chunk)
    db.session.commit()
    return done
