"""Owner-only settings: the role matrix, tenant isolation, and the rules of each action."""

import pytest
from sqlalchemy import select

from domain.merchants import Merchant, Store
from domain.staff import StaffUser
from extensions import db
from tests.conftest import text_of

HX = {"HX-Request": "true"}


def settings_routes(world):
    """Every settings route, as (method, path, form data) — reads and writes."""
    return [
        ("GET", "/settings", None),
        ("GET", "/settings/merchant", None),
        ("POST", "/settings/merchant", {"name": "Renamed"}),
        ("GET", "/settings/stores", None),
        ("POST", "/settings/stores", {"name": "Airport"}),
        ("POST", f"/settings/stores/{world.store_id}", {"name": "Renamed store"}),
        ("POST", f"/settings/stores/{world.other_store_id}", {"active": "0"}),
        ("GET", "/settings/staff", None),
        ("POST", "/settings/staff", {"name": "New", "email": "new@alpha.example", "role": "cashier"}),
        ("POST", f"/settings/staff/{world.cashier.id}", {"role": "manager"}),
        ("POST", f"/settings/staff/{world.cashier.id}", {"active": "0"}),
    ]


def snapshot(app):
    """Everything settings can change, to prove a refused request changed nothing."""
    with app.app_context():
        return (
            [(m.name, m.currency) for m in db.session.scalars(select(Merchant).order_by(Merchant.id))],
            [(s.name, s.active) for s in db.session.scalars(select(Store).order_by(Store.id))],
            [(u.email, u.role, u.active) for u in db.session.scalars(select(StaffUser).order_by(StaffUser.id))],
        )


@pytest.mark.parametrize("role", ["manager", "cashier"])
def test_only_owners_reach_settings(app, world, signed_in, role):
    client = signed_in(role)
    before = snapshot(app)
    for method, path, data in settings_routes(world):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 403, (method, path)
        assert "Your role does not give access to this page." in text_of(response)
    assert snapshot(app) == before


def test_owner_reaches_every_settings_route(world, signed_in):
    client = signed_in("owner")
    for method, path, data in settings_routes(world):
        response = client.open(path, method=method, data=data)
        assert response.status_code in (200, 302, 422), (method, path)


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    for method, path, data in settings_routes(world):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302 and response.location.startswith("/login"), path


def test_htmx_requests_signed_out_get_a_full_page_redirect(world, client):
    response = client.get("/settings/stores", headers=HX)
    assert response.headers["HX-Redirect"].startswith("/login")


def test_another_merchants_stores_and_staff_are_not_found(app, world, other_world, signed_in):
    intruder = signed_in("owner", other_world)
    before = snapshot(app)
    for path, data in [
        (f"/settings/stores/{world.store_id}", {"name": "Hijacked"}),
        (f"/settings/stores/{world.store_id}", {"active": "0"}),
        (f"/settings/staff/{world.cashier.id}", {"role": "owner"}),
        (f"/settings/staff/{world.owner.id}", {"active": "0"}),
    ]:
        assert intruder.post(path, data=data).status_code == 404, path
    assert intruder.post("/store", data={"store_id": world.store_id}).status_code == 404
    listing = text_of(intruder.get("/settings/staff")) + text_of(intruder.get("/settings/stores"))
    assert world.owner.email not in listing
    assert "Alpha Main Street" not in listing
    assert snapshot(app) == before


def test_merchant_settings_are_saved_and_money_follows_the_currency(app, world, signed_in):
    client = signed_in("owner")
    page = text_of(client.get("/settings/merchant"))
    assert "¥1,234,567" in page  # JPY has no minor unit
    data = {
        "name": "Alpha Oman",
        "country": "OM",
        "phone_region": "OM",
        "currency": "OMR",
        "default_locale": "ar",
        "time_zone": "Asia/Muscat",
        "customer_number_prefix": "om-",
    }
    response = client.post("/settings/merchant", data=data, follow_redirects=True)
    assert "Settings saved." in text_of(response)
    assert "1,234.567 ر.ع." in text_of(response)  # three decimals, in Arabic (the new default)
    with app.app_context():
        merchant = db.session.get(Merchant, world.merchant_id)
        assert (merchant.currency, merchant.customer_number_prefix) == ("OMR", "OM-")


def test_bad_merchant_settings_are_refused_in_place(app, world, signed_in):
    client = signed_in("owner")
    before = snapshot(app)
    response = client.post("/settings/merchant", data={"name": "", "currency": "ZZZ"}, headers=HX)
    assert response.status_code == 422
    assert "This field is required." in text_of(response)
    assert "Choose one of the listed options." in text_of(response)
    assert snapshot(app) == before


def test_stores_can_be_added_renamed_and_deactivated(app, world, signed_in):
    client = signed_in("owner")
    response = client.post("/settings/stores", data={"name": "Airport"}, headers=HX)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert 'value="Airport"' in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]

    duplicate = client.post("/settings/stores", data={"name": "Airport"}, headers=HX)
    assert duplicate.status_code == 422
    assert "A store with this name already exists." in text_of(duplicate)

    client.post(f"/settings/stores/{world.store_id}", data={"name": "Harbour"}, headers=HX)
    client.post(f"/settings/stores/{world.other_store_id}", data={"active": "0"}, headers=HX)
    with app.app_context():
        stores = {s.name: s.active for s in db.session.scalars(select(Store))}
    assert stores == {"Harbour": True, "Alpha Station": False, "Airport": True}


def test_the_last_active_store_cannot_be_deactivated(app, world, signed_in):
    client = signed_in("owner")
    client.post(f"/settings/stores/{world.other_store_id}", data={"active": "0"})
    response = client.post(f"/settings/stores/{world.store_id}", data={"active": "0"}, headers=HX)
    assert response.status_code == 422
    assert "A merchant needs at least one active store." in text_of(response)


def test_staff_are_added_with_a_temporary_password_shown_once(app, world, signed_in):
    client = signed_in("owner")
    response = client.post(
        "/settings/staff", data={"name": "Nao", "email": "Nao@Alpha.example", "role": "manager"}, headers=HX
    )
    assert response.status_code == 200
    assert "temporary password" in text_of(response)
    assert "<code>" not in client.get("/settings/staff").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == "nao@alpha.example"))
        assert (user.role, user.must_change_password, user.merchant_id) == ("manager", True, world.merchant_id)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "email": "x@alpha.example", "role": "cashier"}, "This field is required."),
        ({"name": "X", "email": "not an email", "role": "cashier"}, "Enter a valid email address"),
        ({"name": "X", "email": "owner@alpha.example", "role": "cashier"}, "already used by another account"),
        ({"name": "X", "email": "x@alpha.example", "role": "emperor"}, "Choose one of the listed options."),
        ({"name": "X" * 500, "email": "x@alpha.example", "role": "cashier"}, "Use at most 120 characters."),
    ],
)
def test_bad_staff_input_is_refused(app, world, signed_in, data, message):
    client = signed_in("owner")
    before = snapshot(app)
    response = client.post("/settings/staff", data=data, headers=HX)
    assert response.status_code == 422
    assert message in text_of(response)
    assert snapshot(app) == before


def test_roles_change_but_never_leave_the_merchant_without_an_owner(app, world, signed_in):
    client = signed_in("owner")
    assert client.post(f"/settings/staff/{world.cashier.id}", data={"role": "manager"}).status_code == 200
    response = client.post(f"/settings/staff/{world.owner.id}", data={"role": "cashier"}, headers=HX)
    assert response.status_code == 422
    assert "at least one active owner" in text_of(response)
    refused = client.post(f"/settings/staff/{world.owner.id}", data={"active": "0"}, headers=HX)
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.get(StaffUser, world.cashier.id).role == "manager"
        owner = db.session.get(StaffUser, world.owner.id)
        assert (owner.role, owner.active) == ("owner", True)


def test_a_second_owner_can_be_demoted(app, world, signed_in):
    client = signed_in("owner")
    client.post(f"/settings/staff/{world.manager.id}", data={"role": "owner"})
    assert client.post(f"/settings/staff/{world.manager.id}", data={"role": "manager"}).status_code == 200


def test_store_switcher_changes_the_current_store(world, signed_in):
    client = signed_in("cashier")
    assert "Alpha Main Street" in text_of(client.get("/"))
    response = client.post("/store", data={"store_id": world.other_store_id, "next": "/"})
    assert response.location == "/"
    home = client.get("/").get_data(as_text=True)
    assert f'<option value="{world.other_store_id}" selected>' in home
