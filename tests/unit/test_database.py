"""How a request's transaction ends on PostgreSQL: one that only read commits, so psycopg
keeps the statements it prepared; anything else rolls back, as before."""

import pytest
from sqlalchemy import text, update

from domain.customers.models import Customer
from extensions import db
from tests.factories import make_customer

HX = {"HX-Request": "true"}


@pytest.fixture
def postgres(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("only psycopg forgets its prepared statements on a rollback")


def test_searches_reuse_the_statements_earlier_requests_prepared(app, postgres, world, signed_in):
    client = signed_in("cashier")
    for _ in range(6):  # psycopg prepares a statement the fifth time a connection runs it
        assert client.get("/customers/search?q=tanaka", headers=HX).status_code == 200
    with app.app_context():  # requests take turns on one pooled connection
        prepared = db.session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
        mode = db.session.execute(text("SHOW plan_cache_mode")).scalar()
    assert prepared > 0 and mode == "force_generic_plan"


def test_a_write_or_a_change_left_uncommitted_still_rolls_back(app, postgres, world):
    with app.app_context():
        customer_id = make_customer(world, name="Anna").id
    with app.app_context():
        db.session.execute(update(Customer).where(Customer.id == customer_id).values(name="Written"))
    with app.app_context():
        db.session.get(Customer, customer_id).name = "Changed"  # never flushed
    with app.app_context():
        assert db.session.get(Customer, customer_id).name == "Anna"
