"""Languages: every page in every shipped locale, complete catalogs, RTL, locale precedence,
and money and dates formatted by Babel for the merchant."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext
from sqlalchemy import update

from domain.customers.models import Customer
from domain.sales.models import SaleOrder
from domain.staff import StaffUser
from extensions import db
from tests.conftest import sign_in, text_of
from tests.factories import actor_for, make_customer
from tests.unit.test_sales import ring_up

ROOT = Path(__file__).parents[2]
LOCALES = ["en", "ja", "vi", "ar"]
TRANSLATED = ["ja", "vi", "ar"]
OWNER_PAGES = ["/", "/settings/merchant", "/settings/stores", "/settings/staff", "/password", "/no-such-page"]


def source_messages() -> set[tuple[str | None, str]]:
    """Every msgid the code and templates use, extracted as `flask translate update` does."""
    method_map = [
        ("app.py", "python"),
        ("commands.py", "python"),
        ("domain/**.py", "python"),
        ("blueprints/**.py", "python"),
        ("web/**.py", "python"),
        ("templates/**.html", "jinja2"),
    ]
    keywords = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2),
                "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}  # fmt: skip
    found = set()
    for _name, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords, callback=lambda *a: None
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)\w", text))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalog_translates_every_message_of_the_code(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    used = source_messages()
    assert len(used) > 100
    missing = sorted(str(key) for key in used if catalog.get(key[1], context=key[0]) is None)
    assert not missing, f"{locale} lacks {missing}"
    for message in catalog:
        if not message.id:
            continue
        msgids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"{locale}: untranslated {msgids[0]!r}"
        for string in strings:
            assert placeholders(string) == placeholders(msgids[0]), f"{locale}: {msgids[0]!r} → {string!r}"


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_renders_in_every_language(app, world, locale):
    client = app.test_client()
    client.post("/locale", data={"locale": locale})
    login_page = client.get("/login")
    assert login_page.status_code == 200
    sign_in(client, world.owner.email)
    direction = "rtl" if locale == "ar" else "ltr"
    for path in OWNER_PAGES:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert html_tag(response) == f'<html lang="{locale}" dir="{direction}">', path
    with app.test_request_context(), force_locale(locale):
        expected = [gettext("Sign in"), gettext("Add a store"), gettext("Not found")]
    assert expected[0] in text_of(login_page)
    assert expected[1] in text_of(client.get("/settings/stores"))
    assert expected[2] in text_of(client.get("/no-such-page"))
    if locale != "en":
        assert expected[0] != "Sign in"


@pytest.mark.parametrize("locale", LOCALES)
def test_setup_page_renders_in_every_language(client, locale):
    response = client.get("/setup", headers={"Accept-Language": locale})
    assert response.status_code == 200
    assert f'lang="{locale}"' in html_tag(response)


def test_domain_messages_follow_the_viewers_language(world, client):
    client.post("/locale", data={"locale": "ja"})
    response = client.post("/login", data={"email": world.owner.email, "password": "wrong password"})
    with client.application.test_request_context(), force_locale("ja"):
        expected = gettext("The email or password is not correct.")
    assert expected in text_of(response) and expected != "The email or password is not correct."


def test_browser_language_is_used_first_time(client, world):
    assert html_tag(client.get("/login", headers={"Accept-Language": "vi-VN,vi;q=0.9"})).startswith('<html lang="vi"')


def test_session_choice_beats_the_browser(client, world):
    client.post("/locale", data={"locale": "ar"})
    assert 'dir="rtl"' in html_tag(client.get("/login", headers={"Accept-Language": "ja"}))


def test_staff_preference_beats_session_and_browser(app, world):
    first = app.test_client()
    sign_in(first, world.manager.email)
    first.post("/locale", data={"locale": "ja", "next": "/"})  # stored on the staff member
    elsewhere = app.test_client()
    elsewhere.post("/locale", data={"locale": "vi"})
    sign_in(elsewhere, world.manager.email)
    assert html_tag(elsewhere.get("/", headers={"Accept-Language": "ar"})).startswith('<html lang="ja"')


def test_language_switch_returns_to_the_same_page(world, signed_in):
    client = signed_in("owner")
    assert client.post("/locale", data={"locale": "vi", "next": "/settings/staff"}).location == "/settings/staff"
    assert client.post("/locale", data={"locale": "vi", "next": "https://evil.example"}).location == "/"


def test_dates_show_in_the_merchants_time_zone(app, world, signed_in):
    with app.app_context():
        db.session.execute(
            update(StaffUser)
            .where(StaffUser.id == world.cashier.id)
            .values(last_sign_in_at=datetime(2026, 1, 2, 15, 30, tzinfo=UTC))
        )
        db.session.commit()
    page = text_of(signed_in("owner").get("/settings/staff", headers={"Accept-Language": "en"}))
    assert "1/3/26, 12:30 AM" in page  # Tokyo is UTC+9: already the next day


@pytest.mark.parametrize("locale, day", [("en", "Jan 3, 2026"), ("ja", "2026/01/03")])
def test_a_last_visit_is_listed_as_the_merchants_day(app, world, signed_in, locale, day):
    visit = datetime(2026, 1, 2, 15, 30, tzinfo=UTC)  # already Jan 3 in Tokyo (UTC+9)
    with app.test_request_context():
        cashier = actor_for(world.cashier, world.store_id)
        customer = make_customer(world, name="Hana Ito", phone="090-1111-2222")
        order_id = ring_up(cashier, customer.id)
        db.session.execute(update(SaleOrder).where(SaleOrder.id == order_id).values(paid_at=visit))
        visited = {"first_visit_at": visit, "last_visit_at": visit}
        db.session.execute(update(Customer).where(Customer.id == customer.id).values(**visited))
        db.session.commit()
    client = signed_in("owner")
    for path in ("/customers/search?q=hana", "/customers?q=hana"):
        page = text_of(client.get(path, headers={"Accept-Language": locale}))
        assert day in page and "12:30" not in page  # the day alone: in a list, the time is noise


@pytest.mark.parametrize(
    "currency, locale, expected",
    [
        ("JPY", "en", "¥1,234,567"),
        ("JPY", "ja", "￥1,234,567"),
        ("USD", "en", "$12,345.67"),
        ("OMR", "en", "OMR1,234.567"),
        ("VND", "vi", "1.234.567\xa0₫"),
    ],
)
def test_money_uses_each_currencys_own_exponent(app, currency, locale, expected):
    from web.i18n import money

    with app.test_request_context(), force_locale(locale):
        assert money(1234567, currency) == expected
