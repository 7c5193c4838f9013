"""A cashier types into the search box and the right customer is at the top."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_customer

from .conftest import screenshot, serious_accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def test_typing_last_digits_or_a_name_shows_the_customer(app, page, live_server, world):
    with app.app_context():
        make_customer(world, name="田中 太郎", name_kana="タナカ タロウ", phone="090-1234-5678")
        make_customer(world, name="Nguyễn Văn An", phone="+84 912 345 999")
    sign_in(page, live_server, world.cashier.email, PASSWORD)
    page.goto(f"{live_server}/customers/search")
    box = page.get_by_label("Phone, name, email or customer number")
    expect(box).to_be_focused()
    box.press_sequentially("5678", delay=40)
    first = page.locator(".matches .match").first
    expect(first).to_contain_text("田中 太郎")
    expect(first).to_contain_text("•••• 5678")  # a cashier sees the number masked
    screenshot(page, "search-en-desktop")
    box.fill("")
    box.press_sequentially("nguyen van", delay=30)
    expect(page.locator(".matches .match").first).to_contain_text("Nguyễn Văn An")
    assert serious_accessibility_problems(page) == []
    page.locator(".matches .match-link").first.click()
    page.wait_for_url("**/customers/*")
    expect(page.get_by_role("heading", name="Nguyễn Văn An")).to_be_visible()
