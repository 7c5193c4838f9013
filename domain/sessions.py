"""Server-side staff sessions: sign-in with rate limits, timeouts, revocation, current store.

The browser's cookie holds only a random token; its SHA-256 is the row's key. Deleting or
revoking the row ends the session everywhere, so a copied cookie stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Integer, String, bindparam, select, update
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from extensions import db

from . import ratelimit
from .errors import Invalid, NotFound, RateLimited
from .merchants import Store
from .staff import StaffUser, clean_password, verify_no_user
from .tenancy import get_scoped
from .types import UTCDateTime, utcnow

# When a session (or an API token) was last used is written at most this often, not on
# every request.
TOUCH_EVERY = timedelta(seconds=60)


class StaffSession(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("store.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revoked_at = mapped_column(UTCDateTime)
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[StaffUser] = relationship()
    store: Mapped[Store | None] = relationship()


def digest(token: str) -> str:
    """What is kept of a bearer secret (a session cookie, an API token): its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def _limits():
    config = current_app.config
    window = config["LOGIN_LIMIT_WINDOW_MINUTES"] * 60
    return window, config["LOGIN_LIMIT_PER_ACCOUNT"], config["LOGIN_LIMIT_PER_ADDRESS"]


def start_session(user: StaffUser, address: str | None, user_agent: str | None) -> str:
    """Adds a session row for the user (the caller commits) and returns its token."""
    token = secrets.token_urlsafe(32)
    store = db.session.scalar(
        select(Store).where(Store.merchant_id == user.merchant_id, Store.active.is_(True)).order_by(Store.id)
    )
    db.session.add(
        StaffSession(
            token_hash=digest(token),
            user=user,
            store=store,
            address=address,
            user_agent=(user_agent or "")[:255],
        )
    )
    user.session_token = token
    return token


def sign_in(email, password, *, address: str | None, user_agent: str | None = None) -> StaffUser:
    """The signed-in user with `session_token` set.

    Raises RateLimited after too many failures for the account or the address, and Invalid
    with one message for an unknown email, a wrong password or a deactivated account.
    """
    window, per_account, per_address = _limits()
    email = (email or "").strip().lower()[:254]
    account_key, address_key = f"login:account:{email}", f"login:address:{address}"
    if (
        ratelimit.current_count(account_key, window) >= per_account
        or ratelimit.current_count(address_key, window) >= per_address
    ):
        raise RateLimited(ratelimit.seconds_left(window))

    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    if user is None:
        verify_no_user()
    if user is None or not user.check_password(password or "") or not user.active:
        ratelimit.increment(account_key, window)
        ratelimit.increment(address_key, window)
        db.session.commit()
        raise Invalid({"password": _("The email or password is not correct.")})

    ratelimit.reset(account_key)
    user.last_sign_in_at = utcnow()
    start_session(user, address, user_agent)
    db.session.commit()
    return user


# Built once: every signed-in request runs it, and building it cost more than running it.
# The user (and its merchant) come in the same statement; the store is read when a full
# page shows it, and joining it cost the fragments 0.2 M instructions each.
_LIVE_SESSION = (
    select(StaffSession)
    .options(joinedload(StaffSession.user))
    .where(StaffSession.token_hash == bindparam("token_hash"), StaffSession.revoked_at.is_(None))
)


def load_session(token: str) -> StaffSession | None:
    """The live session for a cookie's token, or None if revoked, idle too long or too old."""
    staff_session = db.session.scalar(_LIVE_SESSION, {"token_hash": digest(token)})
    if staff_session is None or not staff_session.user.active:
        return None
    now = utcnow()
    config = current_app.config
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=config["SESSION_MAX_HOURS"])
    if now - staff_session.last_seen_at > idle or now - staff_session.created_at > lifetime:
        staff_session.revoked_at = now
        db.session.commit()
        return None
    if now - staff_session.last_seen_at > TOUCH_EVERY:
        staff_session.last_seen_at = now
        db.session.commit()
    staff_session.user.session_token = token
    return staff_session


def sign_out(token: str) -> None:
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == digest(token), StaffSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()


def revoke_all_sessions(user: StaffUser) -> None:
    """Marks every open session of the user revoked; the caller commits."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def change_password(user: StaffUser, current, new, confirm, *, address=None, user_agent=None) -> str:
    """Sets a new password, ends every session of the user (a copied cookie stops working)
    and opens a fresh one for this browser, whose token is returned."""
    errors: dict[str, str] = {}
    if not user.check_password(current or ""):
        errors["current_password"] = _("The current password is not correct.")
    new = clean_password(errors, "new_password", new)
    if "new_password" not in errors and new == current:
        errors["new_password"] = _("Choose a password different from the current one.")
    if new != (confirm or ""):
        errors["confirm_password"] = _("The two passwords do not match.")
    if errors:
        raise Invalid(errors)
    user.set_password(new)
    user.must_change_password = False
    revoke_all_sessions(user)
    token = start_session(user, address, user_agent)
    db.session.commit()
    return token


def switch_store(staff_session: StaffSession, store_id) -> Store:
    store = get_scoped(Store, store_id, staff_session.user.merchant_id)
    if not store.active:
        raise NotFound()
    staff_session.store = store
    db.session.commit()
    return store
