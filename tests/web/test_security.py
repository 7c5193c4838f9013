"""Headers, CSRF, no third-party or inline scripts, fragments, and bad input handling."""

import re
from pathlib import Path

import pytest
from flask import render_template_string
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms import Form, StringField

from blueprints.checkout.forms import CompleteForm
from domain.customers.models import Customer
from domain.merchants import Store
from extensions import db
from tests.conftest import build_app, sign_in, text_of
from tests.factories import make_world
from web.forms import WTFORMS_HTML_PARAMS, html_params

ROOT = Path(__file__).parents[2]


def test_pages_carry_a_strict_content_security_policy(world, signed_in):
    response = signed_in("owner").get("/settings/staff")
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]


def test_pages_have_no_inline_script_style_or_handler(world, signed_in):
    client = signed_in("owner")
    for path in ("/", "/settings/merchant", "/settings/stores", "/settings/staff", "/password"):
        html = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts and all(re.search(r'src="/[^/]', tag) for tag in scripts), path
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html), path


def test_templates_load_nothing_from_another_origin():
    for template in (ROOT / "templates").rglob("*.html"):
        assert not re.search(r'(src|href)="(https?:)?//', template.read_text()), template


def test_htmx_is_served_from_our_own_origin(client, world):
    response = client.get("/vendor/htmx.min.js")
    assert response.status_code == 200
    assert 'version:"2.' in response.get_data(as_text=True)


def test_htmx_is_configured_for_shared_tills(client, world):
    html = client.get("/login").get_data(as_text=True)
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', html).group(1)
    assert '"allowEval": false' in config
    assert '"historyCacheSize": 0' in config
    assert '"includeIndicatorStyles": false' in config
    assert re.search(r'hx-headers=\'\{"X-CSRFToken": "[^"]+"\}\'', html)


def test_fragments_are_fragments_and_vary_on_htmx(world, signed_in):
    client = signed_in("owner")
    fragment = client.get("/settings/staff", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and 'id="staff"' in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    restore = client.get("/settings/staff", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


@pytest.fixture
def csrf_app(app, database_url):
    """The app with CSRF protection on, as in production (sharing `app`'s clean-up)."""
    return build_app(database_url, WTF_CSRF_ENABLED=True)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def store_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Store))


def test_a_post_without_csrf_token_is_refused_and_writes_nothing(csrf_app):
    with csrf_app.app_context():
        world = make_world("alpha")
    client = csrf_app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    assert (
        client.post(
            "/login", data={"email": world.owner.email, "password": "correct horse battery", "csrf_token": token}
        ).status_code
        == 302
    )
    response = client.post("/settings/stores", data={"name": "Forged"})
    assert response.status_code == 400
    assert "This form has expired or did not come from this site." in text_of(response)
    assert store_count(csrf_app) == 2

    page = client.get("/settings/stores").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    ok = client.post(
        "/settings/stores", data={"name": "Real"}, headers={"X-CSRFToken": header_token, "HX-Request": "true"}
    )
    assert ok.status_code == 200 and store_count(csrf_app) == 3


def test_an_oversized_request_is_refused(world, signed_in):
    response = signed_in("owner").post("/settings/stores", data={"name": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "What you sent is too large." in text_of(response)


def test_wrong_method_gets_a_clear_page(world, signed_in):
    response = signed_in("owner").get("/logout")
    assert response.status_code == 405


def test_non_numeric_ids_are_not_found(world, signed_in):
    assert signed_in("owner").post("/settings/stores/abc", data={"name": "x"}).status_code == 404
    assert signed_in("cashier").post("/store", data={"store_id": "abc"}).status_code == 404


def test_a_deactivated_store_cannot_be_chosen(app, world, signed_in):
    signed_in("owner").post(f"/settings/stores/{world.other_store_id}", data={"active": "0"})
    assert signed_in("cashier").post("/store", data={"store_id": world.other_store_id}).status_code == 404


def test_healthz_answers_without_signing_in(client, world):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_sign_in_page_is_not_cached_once_signed_in(world, client):
    sign_in(client, world.owner.email)
    assert client.get("/").headers["Cache-Control"] == "private, no-store"


def test_a_nul_character_in_a_form_or_address_is_refused_before_the_database(app, world, signed_in):
    client = signed_in("manager")
    assert client.post("/customers/new", data={"name": "Ann\x00", "phone": "090-1234-5678"}).status_code == 400
    assert client.get("/customers?q=%00tanaka").status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Customer)) == 0


class _NameForm(Form):
    name = StringField()


@pytest.mark.parametrize(
    "attributes",
    [
        {"id": "q", "value": '"><script>alert(1)</script>', "maxlength": 120},
        {"value": Markup('already "safe" & <b>marked</b>'), "type": "text"},
        {"checked": True, "disabled": False, "class_": "choice", "for_": "x"},
        {"data_focus_on": "item", "aria_describedby": "name-hint", "aria_invalid": "true"},
        {"placeholder": "たなか, Nguyễn & O'Brien", "value": ""},
    ],
)
def test_form_attributes_are_escaped_as_wtforms_escapes_them(app, attributes):
    """The till renders form fields through a faster `html_params`: the same text."""
    assert html_params(**attributes) == WTFORMS_HTML_PARAMS(**attributes)
    rendered = _NameForm().name(**attributes)  # as the app renders fields, once created
    expected = WTFORMS_HTML_PARAMS(name="name", **{"id": "name", "type": "text", "value": "", **attributes})
    assert rendered == f"<input {expected}>"


@pytest.mark.parametrize("channel", ["email", "print", None])
def test_radio_options_are_rendered_as_wtforms_renders_them(app, channel):
    """The till draws its radio groups through a macro that builds no field per option:
    the same text as iterating the field, checked option and focus mark included."""
    with app.test_request_context("/"):
        form = CompleteForm(formdata=None)
        form.receipt_channel.data = channel
        for field in (form.payment_method, form.receipt_channel):
            by_wtforms = render_template_string(
                '{% for option in f %}<label class="choice">{% if loop.first %}{{ option(data_focus="x") }}'
                "{% else %}{{ option() }}{% endif %} {{ option.label.text }}</label>{% endfor %}", f=field)  # fmt: skip
            by_macro = render_template_string(
                '{% from "macros/forms.html" import radio_options %}{{ radio_options(f, "x") }}', f=field
            )
            assert re.sub(r"\s*\n\s*", "", by_macro) == by_wtforms
