"""First-run setup: every page leads to it on an empty database; it closes once done."""

import pytest
from sqlalchemy import func, select

from domain.merchants import Merchant, Store
from domain.staff import StaffUser
from extensions import db
from tests.conftest import text_of

VALID = {
    "name": "Café Hanami",
    "country": "JP",
    "phone_region": "JP",
    "currency": "JPY",
    "default_locale": "ja",
    "time_zone": "Asia/Tokyo",
    "customer_number_prefix": "HANA-",
    "store_name": "Shimokitazawa",
    "owner_name": "Hana Sato",
    "owner_email": "Hana@Example.COM",
    "password": "a long enough secret",
    "confirm_password": "a long enough secret",
}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("path", ["/", "/login", "/settings/staff", "/no-such-page"])
def test_every_page_leads_to_setup_on_an_empty_database(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location == "/setup"


def test_setup_creates_merchant_store_and_signed_in_owner(app, client):
    response = client.post("/setup", data=VALID, follow_redirects=True)
    assert response.status_code == 200
    assert "Café Hanami" in text_of(response)
    assert "Hana Sato" in text_of(response)
    with app.app_context():
        merchant = db.session.scalar(select(Merchant))
        assert (merchant.currency, merchant.customer_number_prefix) == ("JPY", "HANA-")
        assert db.session.scalar(select(Store.name)) == "Shimokitazawa"
        owner = db.session.scalar(select(StaffUser))
        assert (owner.email, owner.role, owner.must_change_password) == ("hana@example.com", "owner", False)


def test_setup_is_closed_for_good_once_done(client):
    client.post("/setup", data=VALID)
    assert client.get("/setup").status_code == 404
    assert client.post("/setup", data=VALID | {"owner_email": "other@example.com"}).status_code == 404


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "This field is required."),
        ("name", "x" * 121, "Use at most 120 characters."),
        ("owner_email", "not-an-email", "Enter a valid email address"),
        ("password", "short", "Use at least 10 characters."),
        ("confirm_password", "something else", "The two passwords do not match."),
        ("currency", "XXXX", "Choose one of the listed options."),
        ("time_zone", "Mars/Olympus", "Choose one of the listed options."),
        ("customer_number_prefix", "cust 1", "Use capital letters, digits and dashes"),
    ],
)
def test_bad_setup_input_is_shown_in_place_and_nothing_is_written(app, client, field, value, message):
    response = client.post("/setup", data=VALID | {field: value}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)  # the form fragment, swapped in place
    assert count(app, Merchant) == count(app, StaffUser) == count(app, Store) == 0


def test_setup_through_htmx_navigates_to_the_home_page(client):
    response = client.post("/setup", data=VALID, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/"


@pytest.mark.parametrize(
    "locale, country, currency, zone",
    [("ja", "JP", "JPY", "Asia/Tokyo"), ("ar", "OM", "OMR", "Asia/Muscat"), ("en", "US", "USD", "America/New_York")],
)
def test_setup_suggests_settings_for_the_visitors_language(client, locale, country, currency, zone):
    html = client.get("/setup", headers={"Accept-Language": locale}).get_data(as_text=True)
    for value in (country, currency, zone):
        assert f'<option selected value="{value}">' in html or f'value="{value}" selected' in html, value
    assert 'value="ADP"' not in html  # no historic currencies
