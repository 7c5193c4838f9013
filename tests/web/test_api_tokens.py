"""API tokens: an owner issues them under Settings (or from the CLI), the secret is shown
once and stored only as a hash, and a revoked token stops working at once."""

import re

import pytest
from sqlalchemy import select

from domain.api_tokens import ApiToken
from extensions import db
from tests.conftest import text_of

HX = {"HX-Request": "true"}
CUSTOMERS = "/api/v1/customers?status=active"


def create(client, user_id, name="Online shop"):
    return client.post("/settings/api-tokens", data={"name": name, "user": str(user_id)}, headers=HX)


def secret_in(response) -> str:
    return re.search(r"<code>(rgl_[^<]+)</code>", response.get_data(as_text=True)).group(1)


def call_api(client, secret):
    return client.get(CUSTOMERS, headers={"Authorization": f"Bearer {secret}"})


def tokens(app):
    with app.app_context():
        return db.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()


def test_the_page_is_in_the_settings_navigation_and_links_the_reference(world, signed_in):
    client = signed_in("owner")
    assert 'href="/settings/api-tokens"' in client.get("/settings/staff").get_data(as_text=True)
    page = client.get("/settings/api-tokens")
    assert page.status_code == 200 and "No API tokens yet." in text_of(page)
    assert 'href="/api/v1/docs"' in page.get_data(as_text=True)


def test_owner_creates_a_token_whose_secret_is_shown_once_and_works(app, world, signed_in):
    client = signed_in("owner")
    response = create(client, world.manager.id)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]
    assert "Copy this token now; it will not be shown again." in text_of(response)
    secret = secret_in(response)

    page = client.get("/settings/api-tokens")
    listing = text_of(page)
    assert secret not in page.get_data(as_text=True) and "Copy this token now" not in listing
    assert "Online shop Manager of Alpha Coffee (Manager)" in listing
    assert f"…{secret[-4:]}" in listing and "Never" in listing and "Active" in listing

    assert call_api(app.test_client(), secret).status_code == 200
    assert "Never" not in text_of(client.get("/settings/api-tokens"))
    [token] = tokens(app)
    assert token.last_used_at is not None
    assert (token.user_id, token.created_by_id) == (world.manager.id, world.owner.id)


def test_only_a_hash_of_the_secret_is_stored(app, world, signed_in):
    secret = secret_in(create(signed_in("owner"), world.cashier.id))
    with app.app_context():
        [row] = db.session.execute(ApiToken.__table__.select()).all()
    assert all(secret not in str(value) for value in row)
    assert row.hint == secret[-4:]


def test_a_revoked_token_is_refused_at_once(app, world, signed_in):
    client = signed_in("owner")
    secret = secret_in(create(client, world.owner.id))
    assert call_api(app.test_client(), secret).status_code == 200
    [token] = tokens(app)

    page = client.get("/settings/api-tokens").get_data(as_text=True)
    assert "hx-confirm=" in page  # a destructive action asks first
    response = client.post(f"/settings/api-tokens/{token.id}/revoke", headers=HX)
    assert response.status_code == 200 and "Revoked" in text_of(response)
    assert f"/settings/api-tokens/{token.id}/revoke" not in response.get_data(as_text=True)
    assert call_api(app.test_client(), secret).status_code == 401
    assert tokens(app)[0].revoked_at is not None


@pytest.mark.parametrize("role", ["manager", "cashier"])
def test_only_owners_manage_tokens(app, world, signed_in, role):
    secret = secret_in(create(signed_in("owner"), world.cashier.id))
    [token] = tokens(app)
    client = signed_in(role)
    assert client.get("/settings/api-tokens").status_code == 403
    assert create(client, world.staff(role).id).status_code == 403
    assert client.post(f"/settings/api-tokens/{token.id}/revoke").status_code == 403
    assert [t.revoked_at for t in tokens(app)] == [None]
    assert call_api(app.test_client(), secret).status_code == 200


def test_another_merchants_staff_and_tokens_are_out_of_reach(app, world, other_world, signed_in):
    client = signed_in("owner")
    response = create(client, other_world.owner.id)
    assert response.status_code == 422
    assert "Choose one of the listed options." in text_of(response)
    assert tokens(app) == []

    create(signed_in("owner", other_world), other_world.cashier.id, name="Bravo shop")
    [theirs] = tokens(app)
    assert client.post(f"/settings/api-tokens/{theirs.id}/revoke").status_code == 404
    assert "Bravo shop" not in text_of(client.get("/settings/api-tokens"))
    assert tokens(app)[0].revoked_at is None


@pytest.mark.parametrize(
    "data, messages",
    [
        ({"name": "", "user": "owner"}, ["This field is required."]),
        ({"name": "Shop", "user": ""}, ["Choose one of the listed options."]),
        ({"name": " ", "user": "nobody"}, ["This field is required.", "Choose one of the listed options."]),
        ({"name": "X" * 81, "user": "owner"}, ["Use at most 80 characters."]),
    ],
)
def test_bad_input_comes_back_in_the_form(app, world, signed_in, data, messages):
    user = {"owner": str(world.owner.id), "": "", "nobody": "2147483647"}[data["user"]]
    response = signed_in("owner").post("/settings/api-tokens", data={**data, "user": user}, headers=HX)
    assert response.status_code == 422 and "<html" not in response.get_data(as_text=True)
    assert all(message in text_of(response) for message in messages)
    assert tokens(app) == []


def test_a_deactivated_staff_member_gets_no_token_and_their_tokens_stop(app, world, signed_in):
    client = signed_in("owner")
    secret = secret_in(create(client, world.cashier.id))
    client.post(f"/settings/staff/{world.cashier.id}", data={"active": "0"})
    assert call_api(app.test_client(), secret).status_code == 401
    assert "Staff member deactivated" in text_of(client.get("/settings/api-tokens"))
    assert f'value="{world.cashier.id}"' not in client.get("/settings/api-tokens").get_data(as_text=True)
    assert create(client, world.cashier.id).status_code == 422


def test_cli_prints_only_a_working_token(app, world):
    result = app.test_cli_runner().invoke(
        args=["api-token", "create", "--email", " Manager@Alpha.example", "--name", "Till sync"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and re.fullmatch(r"rgl_[\w-]+\n", result.stdout)
    assert call_api(app.test_client(), result.stdout.strip()).status_code == 200
    [token] = tokens(app)
    assert (token.name, token.user_id) == ("Till sync", world.manager.id)


def test_cli_refuses_an_unknown_email_cleanly(app, world):
    result = app.test_cli_runner().invoke(
        args=["api-token", "create", "--email", "nobody@alpha.example", "--name", "Till sync"]
    )
    assert result.exit_code != 0 and result.stdout == ""
    assert "No staff member has the email nobody@alpha.example." in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert tokens(app) == []
