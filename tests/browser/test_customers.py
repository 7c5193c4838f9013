"""A manager builds the directory in a real browser: create, fix an error in place, edit
a section in place, move between tabs with working back button, in English and Japanese."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import DESKTOP, TABLET, screenshot, serious_accessibility_problems, settled, sign_in

pytestmark = pytest.mark.browser


def test_manager_creates_and_edits_a_customer(page, live_server, world):
    sign_in(page, live_server, world.manager.email, PASSWORD)
    page.get_by_role("link", name="Customers").click()
    page.wait_for_url(f"{live_server}/customers")
    assert page.get_by_text("No customers yet.").is_visible()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Name", exact=True).fill("田中 花子")
    page.get_by_label("Reading (kana)").fill("たなか はなこ")
    page.get_by_label("Phone").fill("０９０ー９８７６ー５４３２")  # typed with full-width digits
    page.get_by_label("Email").fill("hana@")
    page.get_by_role("button", name="Create customer").click()
    page.locator(".field-error", has_text="Enter a valid email address").wait_for()
    assert page.url.endswith("/customers/new")  # the error is shown in place
    assert page.get_by_label("Name", exact=True).input_value() == "田中 花子"
    page.get_by_label("Email").fill("hana@example.com")
    page.get_by_role("button", name="Create customer").click()
    page.wait_for_url(re.compile(r".*/customers/[0-9a-f-]{36}$"))
    profile_url = page.url
    assert page.get_by_role("heading", name="田中 花子").is_visible()
    assert page.locator(".profile-head .reading").inner_text() == "タナカ ハナコ"
    assert page.get_by_text("090-9876-5432").first.is_visible()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("link", name="Edit identity").click()
    settled(page)
    page.get_by_label("Name in another script").fill("Hanako Tanaka")
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    page.locator("#section-identity .field-error", has_text="This field is required.").wait_for()
    settled(page)
    assert page.get_by_label("Name in another script").input_value() == "Hanako Tanaka"  # kept in place
    page.get_by_label("Name", exact=True).fill("田中 花子")
    page.get_by_role("button", name="Save").click()
    page.locator("#section-identity", has_text="Saved.").wait_for()
    expect(page.locator("#section-identity").get_by_text("Hanako Tanaka")).to_be_visible()
    expect(page.locator(".profile-head")).to_contain_text("Hanako Tanaka")  # the header followed
    assert page.url == profile_url  # edited in place

    tabs = page.get_by_role("navigation", name="Profile sections")
    tabs.get_by_role("link", name="Contacts & addresses").click()
    page.wait_for_url(f"{profile_url}/contacts")
    page.locator("#section-contacts").wait_for()
    tabs.get_by_role("link", name="Notes").click()
    page.wait_for_url(f"{profile_url}/notes")
    page.get_by_label("New note").fill("Likes oat milk")
    page.get_by_role("button", name="Add note").click()
    page.locator(".note", has_text="Likes oat milk").wait_for()
    page.go_back()
    page.wait_for_url(f"{profile_url}/contacts")
    page.locator("#section-contacts").wait_for()
    expect(page.locator("#section-contacts").get_by_text("hana@example.com")).to_be_visible()

    page.goto(profile_url)
    for locale, label in (("en", "English"), ("ja", "日本語")):
        page.locator(".language-menu summary").click()
        page.get_by_role("button", name=label).click()
        expect(page.locator("html")).to_have_attribute("lang", locale)
        for size_name, size in (("desktop", DESKTOP), ("tablet", TABLET)):
            page.set_viewport_size(size)
            screenshot(page, f"profile-{locale}-{size_name}")
        page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/customers")
    screenshot(page, "directory-ja-desktop")
    assert page.get_by_role("link", name="田中 花子").is_visible()
