"""One set of fixtures for the whole suite: the same tests run on SQLite and PostgreSQL."""

import re

import flask_migrate
import pytest
from argon2 import PasswordHasher

import domain.staff
from app import create_app
from domain.sales import counters
from extensions import db

from .database import empty_all_tables, fresh_database
from .factories import PASSWORD, make_world

# Real argon2, but with the cheapest parameters: the suite signs in hundreds of times.
domain.staff._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
domain.staff._DUMMY_HASH = domain.staff._hasher.hash("not a real password")

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "OUTBOX_DELIVERY": "inline",  # receipts are sent within the request: tests see the outcome
    "MAIL_PORT": 9,  # discard port: nothing listens, so a test without its SMTP server fails fast
    "MAIL_TIMEOUT": 2,
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    with fresh_database(tmp_path_factory.getbasetemp(), worker_id) as url:
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade()  # the schema comes from the migrations, as in production
            db.engine.dispose()
        yield url


@pytest.fixture(scope="session")
def worker_id(request):
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def build_app(database_url, **config):
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **config})


@pytest.fixture
def app(database_url):
    """The app on the run's database, emptied after each test. No app context is held open:
    each request gets its own, as in production; tests open one to read the database."""
    app = build_app(database_url)
    yield app
    with app.app_context():
        # Whatever a test did, every customer's counters still match their orders.
        drift = counters.find_drift()
        db.session.rollback()  # end the read, or PostgreSQL's TRUNCATE waits for it
        assert drift == [], "customer counters drifted from their orders"
        empty_all_tables(db)
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app):
    """Merchant A, with two stores and an owner, a manager and a cashier."""
    with app.app_context():
        return make_world("alpha")


@pytest.fixture
def other_world(app):
    """Merchant B: everything of A must be invisible to it."""
    with app.app_context():
        return make_world("bravo", currency="VND", country="VN", phone_region="VN", time_zone="Asia/Ho_Chi_Minh")


def sign_in(client, email, password=PASSWORD, **headers):
    return client.post("/login", data={"email": email, "password": password}, headers=headers)


@pytest.fixture
def signed_in(app, world):
    """`signed_in("manager")` → a test client signed in as merchant A's manager."""

    def _client(role: str, staff_world=None):
        user = (staff_world or world).staff(role)
        client = app.test_client()
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _client


def text_of(response) -> str:
    """The response's visible text, tags removed and white space folded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
