"""The till in Chromium: a whole sale by keyboard only at a desk, and by touch on a tablet."""

import pytest
from playwright.sync_api import expect

from domain.customers.models import Customer
from extensions import db
from tests.factories import PASSWORD, make_customer
from tests.web.test_receipts import smtp  # noqa: F401 (the SMTP server fixture)

from .conftest import TABLET, screenshot, serious_accessibility_problems, serving, settled, sign_in

pytestmark = pytest.mark.browser


def test_a_whole_sale_by_keyboard_only_with_an_email_receipt(app, database_url, page, world, smtp):  # noqa: F811
    with app.app_context():
        customer_id = make_customer(world, name="田中 太郎", name_kana="タナカ タロウ", phone="090-1234-5678",
                                    email="taro@example.jp").id  # fmt: skip
        make_customer(world, name="Tanaka Hanako", phone="090-9999-5678")
    with serving(database_url, MAIL_HOST="127.0.0.1", MAIL_PORT=smtp.port) as live_server:
        sign_in(page, live_server, world.cashier.email, PASSWORD)
        page.goto(f"{live_server}/checkout")
        expect(page.get_by_role("button", name="New sale")).to_be_focused()
        page.keyboard.press("Enter")

        search = page.get_by_label("Find the customer: phone, name, email or number")
        expect(search).to_be_focused()
        settled(page)
        page.keyboard.type("5678", delay=40)

        expect(page.locator("#search-results .match")).to_have_count(2)
        matches = page.locator("#search-results .match")
        expect(matches.first).to_have_attribute("aria-current", "true")  # Enter would take the first…
        expect(matches.nth(1)).to_contain_text("田中 太郎")  # (never visited: by reading, Tanaka Hanako first)
        page.keyboard.press("ArrowDown")  # …↓ chooses the second
        expect(matches.nth(1)).to_have_attribute("aria-current", "true")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")

        expect(page.locator("#attached-customer")).to_contain_text("田中 太郎")
        expect(page.locator("#attached-customer")).to_contain_text("•••• 5678")
        item = page.get_by_label("Item", exact=True)
        expect(item).to_be_focused()
        for name, price in (("Latte", "480"), ("Croissant", "320"), ("Melon pan", "220")):
            settled(page)
            page.keyboard.type(name)
            page.keyboard.press("Tab")
            page.keyboard.type("Bakery")
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")  # quantity stays 1
            page.keyboard.type(price)
            page.keyboard.press("Enter")
            expect(page.locator(".lines")).to_contain_text(name)
            expect(item).to_be_focused()
        expect(page.locator(".till-total")).to_contain_text("¥1,020")

        for _ in range(4):  # category, quantity, price, "Add item"
            page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # the payment choice
        page.keyboard.press("ArrowRight")  # card
        page.keyboard.press("Tab")  # the receipt choice: the customer's preference, print
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")  # email
        page.keyboard.press("Tab")  # destination: empty, so the customer's own address
        screenshot(page, "till-en-desktop")
        page.keyboard.press("Enter")

        expect(page.get_by_role("heading", name="Sale complete")).to_be_visible()
        expect(page.locator("#deliveries")).to_contain_text("Sent")
        expect(page.get_by_role("button", name="Next sale")).to_be_focused()
        assert serious_accessibility_problems(page) == []
    [(recipients, message)] = smtp.inbox.messages
    assert recipients == ["taro@example.jp"] and "Melon pan" in message.get_body(("plain",)).get_content()
    with app.app_context():
        customer = db.session.get(Customer, customer_id)
        assert (customer.total_spent, customer.total_visits) == (1020, 1)


def test_a_sale_by_touch_on_a_tablet_in_japanese(app, browser, live_server, world):
    with app.app_context():
        make_customer(world, name="佐藤 花子", name_kana="サトウ ハナコ", phone="080-2222-3333")
    context = browser.new_context(viewport=TABLET, locale="ja-JP", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server}/login")
        page.locator("#email").fill(world.cashier.email)
        page.locator("#password").fill(PASSWORD)
        page.locator("main button[type=submit]").tap()
        page.wait_for_url(f"{live_server}/")
        page.goto(f"{live_server}/checkout")
        page.locator("main button[type=submit]").tap()
        search = page.locator("#search-q")
        expect(search).to_be_visible()
        settled(page)
        search.press_sequentially("さとう", delay=40)
        page.locator(".match-attach button").first.tap()
        expect(page.locator("#attached-customer")).to_contain_text("佐藤 花子")
        settled(page)
        page.locator("#name").fill("抹茶ラテ")
        page.locator("#unit_price").fill("abc")  # refused: the form shows why, keeping what was typed
        page.locator(".line-form button[type=submit]").tap()
        expect(page.locator("#unit_price-error")).to_be_visible()
        settled(page)
        page.locator("#unit_price").fill("520")
        page.locator(".line-form button[type=submit]").tap()
        expect(page.locator(".lines")).to_contain_text("抹茶ラテ")
        expect(page.locator("#unit_price-error")).to_have_count(0)
        expect(page.locator("#name")).to_have_value("")  # ready for the next item
        settled(page)
        page.locator("input[name=payment_method][value=wallet]").tap()
        screenshot(page, "till-ja-tablet")
        page.locator(".till-pay button.button-primary").tap()
        expect(page.locator(".till-done")).to_be_visible()
        expect(page.locator(".till-total")).to_contain_text("520")
        assert serious_accessibility_problems(page) == []
    finally:
        context.close()
