"""Sign-in, sign-out, server-side revocation, timeouts, rate limits, temporary passwords."""

from datetime import timedelta

from sqlalchemy import select, update

from domain.sessions import StaffSession
from domain.staff import StaffUser
from domain.types import utcnow
from extensions import db
from tests.conftest import sign_in, text_of
from tests.factories import PASSWORD


def copy_cookies(source, target):
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain)


def test_sign_in_leads_to_the_requested_page(world, client):
    response = client.post("/login?next=/settings/stores", data={"email": world.owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/settings/stores"


def test_sign_in_ignores_an_offsite_next(world, client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        client.post("/logout")
        response = client.post(f"/login?next={target}", data={"email": world.owner.email, "password": PASSWORD})
        assert response.location == "/"


def test_email_is_case_insensitive(world, client):
    assert sign_in(client, world.owner.email.upper()).status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(world, client):
    for email, password in ((world.owner.email, "wrong password"), ("nobody@example.com", PASSWORD)):
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 422
        assert "The email or password is not correct." in text_of(response)
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(world, client):
    response = sign_in(client, world.owner.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(database_url, world):
    from tests.conftest import build_app

    client = build_app(database_url, SESSION_COOKIE_SECURE=True).test_client()
    assert "Secure" in sign_in(client, world.owner.email).headers["Set-Cookie"]


def test_sign_out_ends_the_session_on_the_server(app, world, signed_in):
    client = signed_in("manager")
    thief = app.test_client()
    copy_cookies(client, thief)
    assert thief.get("/").status_code == 200
    client.post("/logout")
    assert thief.get("/").status_code == 302  # the copied cookie stops working


def test_each_sign_in_gets_a_new_session_token(app, world, client):
    sign_in(client, world.owner.email)
    first = client.get_cookie("session").value
    client.post("/logout")
    sign_in(client, world.owner.email)
    assert client.get_cookie("session").value != first
    with app.app_context():
        sessions = db.session.scalars(select(StaffSession).order_by(StaffSession.id)).all()
        assert [s.revoked_at is not None for s in sessions] == [True, False]


def test_idle_session_expires(app, world, signed_in):
    client = signed_in("cashier")
    with app.app_context():
        db.session.execute(update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_active_session_survives_the_idle_limit(app, world, signed_in):
    client = signed_in("cashier")
    with app.app_context():
        db.session.execute(update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=29)))
        db.session.commit()
    assert client.get("/").status_code == 200
    with app.app_context():  # the visit moved last_seen forward
        assert utcnow() - db.session.scalar(select(StaffSession.last_seen_at)) < timedelta(minutes=1)


def test_session_has_an_absolute_lifetime(app, world, signed_in):
    client = signed_in("cashier")
    with app.app_context():
        db.session.execute(update(StaffSession).values(created_at=utcnow() - timedelta(hours=13)))
        db.session.commit()
    assert client.get("/").status_code == 302


def test_account_is_rate_limited_after_repeated_failures(world, client):
    for _ in range(5):
        assert client.post("/login", data={"email": world.owner.email, "password": "nope nope"}).status_code == 422
    response = client.post("/login", data={"email": world.owner.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts. Try again in" in text_of(response)
    assert int(response.headers["Retry-After"]) > 0
    # The limit is per account: a colleague at the same till can still sign in.
    assert sign_in(client, world.cashier.email).status_code == 302


def test_address_is_rate_limited_across_accounts(database_url, world):
    from tests.conftest import build_app

    client = build_app(database_url, LOGIN_LIMIT_PER_ADDRESS=3).test_client()
    for attempt in range(3):
        client.post("/login", data={"email": f"guess{attempt}@example.com", "password": "x" * 10})
    assert sign_in(client, world.owner.email).status_code == 429
    other_address = {"REMOTE_ADDR": "10.9.8.7"}
    response = client.post(
        "/login", data={"email": world.owner.email, "password": PASSWORD}, environ_base=other_address
    )
    assert response.status_code == 302


def test_rate_limit_is_shared_by_every_worker_process(database_url, world):
    """Two app instances (as two gunicorn workers) count failures in the same database."""
    from tests.conftest import build_app

    workers = [build_app(database_url).test_client() for _ in range(2)]
    for attempt in range(5):
        workers[attempt % 2].post("/login", data={"email": world.owner.email, "password": "wrong wrong"})
    assert sign_in(workers[0], world.owner.email).status_code == 429
    assert sign_in(workers[1], world.owner.email).status_code == 429


def test_successful_sign_in_resets_the_account_counter(world, client):
    for _ in range(4):
        client.post("/login", data={"email": world.owner.email, "password": "nope nope"})
    assert sign_in(client, world.owner.email).status_code == 302
    client.post("/logout")
    for _ in range(4):
        client.post("/login", data={"email": world.owner.email, "password": "nope nope"})
    assert sign_in(client, world.owner.email).status_code == 302


def test_temporary_password_must_be_changed_first(app, world, signed_in):
    owner = signed_in("owner")
    response = owner.post("/settings/staff", data={"name": "Nao", "email": "nao@alpha.example", "role": "cashier"})
    temporary = response.get_data(as_text=True).split("<code>")[1].split("</code>")[0]

    newcomer = app.test_client()
    assert sign_in(newcomer, "nao@alpha.example", temporary).status_code == 302
    for path in ("/", "/settings/staff"):
        assert newcomer.get(path).location == "/password"
    assert "temporary password" in text_of(newcomer.get("/password"))

    refused = newcomer.post(
        "/password",
        data={"current_password": temporary, "new_password": temporary, "confirm_password": temporary},
    )
    assert refused.status_code == 422
    assert "Choose a password different from the current one." in text_of(refused)

    new = "my own passphrase"
    changed = newcomer.post(
        "/password", data={"current_password": temporary, "new_password": new, "confirm_password": new}
    )
    assert changed.status_code == 302
    assert newcomer.get("/").status_code == 200
    newcomer.post("/logout")
    assert sign_in(newcomer, "nao@alpha.example", temporary).status_code == 422
    assert sign_in(newcomer, "nao@alpha.example", new).status_code == 302


def test_password_change_signs_out_every_other_device(app, world, signed_in):
    desk, tablet = signed_in("manager"), signed_in("manager")
    new = "brand new passphrase"
    response = desk.post("/password", data={"current_password": PASSWORD, "new_password": new, "confirm_password": new})
    assert response.status_code == 302
    assert desk.get("/").status_code == 200  # this browser carries on, on a fresh session
    assert tablet.get("/").status_code == 302


def test_password_change_refuses_bad_input(world, signed_in):
    client = signed_in("manager")
    response = client.post(
        "/password", data={"current_password": "wrong", "new_password": "short", "confirm_password": "other"}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "The current password is not correct." in page
    assert "Use at least 10 characters." in page
    assert "The two passwords do not match." in page


def test_deactivation_ends_the_staff_members_sessions(app, world, signed_in):
    cashier, owner = signed_in("cashier"), signed_in("owner")
    assert owner.post(f"/settings/staff/{world.cashier.id}", data={"active": "0"}).status_code == 200
    assert cashier.get("/").status_code == 302
    assert sign_in(app.test_client(), world.cashier.email).status_code == 422
    with app.app_context():
        assert db.session.get(StaffUser, world.cashier.id).active is False


def test_behind_a_proxy_the_forwarded_address_is_rate_limited(database_url, world):
    from tests.conftest import build_app

    client = build_app(database_url, PROXY_COUNT=1, LOGIN_LIMIT_PER_ADDRESS=2).test_client()
    for attempt in range(2):
        client.post(
            "/login",
            data={"email": f"guess{attempt}@example.com", "password": "x" * 10},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    assert sign_in(client, world.owner.email, **{"X-Forwarded-For": "203.0.113.9"}).status_code == 429
    assert sign_in(client, world.owner.email, **{"X-Forwarded-For": "198.51.100.4"}).status_code == 302
