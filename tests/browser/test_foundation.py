"""The first minutes of a new merchant, in a real browser: setup, sign-in, languages."""

import pytest

from tests.factories import PASSWORD

from .conftest import DESKTOP, TABLET, screenshot, serious_accessibility_problems

pytestmark = pytest.mark.browser


def fill_setup(page):
    page.get_by_label("Business name").fill("Café Hanami")
    page.get_by_label("Country").select_option("JP")
    page.get_by_label("Default phone region").select_option("JP")
    page.get_by_label("Currency").select_option("JPY")
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_label("Default language").select_option("en")
    page.get_by_label("First store").fill("Shimokitazawa")
    page.get_by_label("Your name").fill("Hana Sato")
    page.get_by_label("Your email").fill("hana@example.com")
    page.get_by_label("Password", exact=True).fill("a long enough secret")
    page.get_by_label("Repeat the password").fill("a long enough secret")


def test_first_run_setup_sign_in_and_languages(page, live_server):
    page.goto(live_server)
    assert page.url.endswith("/setup")
    assert serious_accessibility_problems(page) == []
    screenshot(page, "setup-en-desktop")

    fill_setup(page)
    page.get_by_label("Repeat the password").fill("a different secret")
    page.get_by_role("button", name="Create my business").click()
    error = page.locator(".field-error", has_text="The two passwords do not match.")
    error.wait_for()
    assert page.url.endswith("/setup")  # shown in place; passwords are never sent back
    assert page.get_by_label("Business name").input_value() == "Café Hanami"
    page.get_by_label("Password", exact=True).fill("a long enough secret")
    page.get_by_label("Repeat the password").fill("a long enough secret")
    page.get_by_role("button", name="Create my business").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Hello, Hana Sato").is_visible()

    page.get_by_text("Hana Sato", exact=True).click()  # the user menu
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    assert page.get_by_text("You have signed out.").is_visible()
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Email").fill("hana@example.com")
    page.get_by_label("Password").fill("a long enough secret")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")

    for path in ("/", "/settings/merchant", "/settings/stores", "/settings/staff", "/password"):
        page.goto(live_server + path)
        assert serious_accessibility_problems(page) == [], path

    for locale, label in (("en", "English"), ("ar", "العربية")):
        page.goto(f"{live_server}/settings/staff")
        page.locator(".language-menu summary").click()
        page.get_by_role("button", name=label).click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == locale
        assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        assert page.url.endswith("/settings/staff")
        for size_name, size in (("desktop", DESKTOP), ("tablet", TABLET)):
            page.set_viewport_size(size)
            for path, name in (("/", "home"), ("/settings/staff", "staff"), ("/settings/merchant", "business")):
                page.goto(live_server + path)
                screenshot(page, f"{name}-{locale}-{size_name}")
        page.set_viewport_size(DESKTOP)
    assert serious_accessibility_problems(page) == []


def test_staff_added_in_place_then_signs_in_with_the_temporary_password(page, live_server, world):
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(world.owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/")

    page.goto(f"{live_server}/settings/staff")
    form = page.locator("#staff form.stack")
    form.get_by_label("Name").fill("Nao Tanaka")
    form.get_by_label("Email").fill("nao@alpha.example")
    form.get_by_label("Role").select_option("cashier")
    form.get_by_role("button", name="Add staff member").click()
    temporary = page.locator(".secret code").inner_text()
    assert page.url.endswith("/settings/staff")  # swapped in place by htmx
    assert page.get_by_role("cell", name="nao@alpha.example").is_visible()

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").fill("nao@alpha.example")
    page.get_by_label("Password").fill(temporary)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/password")
    page.get_by_label("Current password").fill(temporary)
    page.get_by_label("New password", exact=True).fill("nao's own passphrase")
    page.get_by_label("Repeat the new password").fill("nao's own passphrase")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Hello, Nao Tanaka").is_visible()
    screenshot(page, "home-cashier-en-desktop")
