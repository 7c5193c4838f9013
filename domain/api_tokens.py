"""API tokens: an owner issues one for a staff member, and the integrator acts with that
member's role. The secret is shown once; only its SHA-256 is kept, like session tokens."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from extensions import db

from . import ratelimit
from . import validation as check
from .actors import Actor
from .errors import Invalid, NotFound, RateLimited
from .permissions import OWNERS, checks
from .sessions import TOUCH_EVERY, digest
from .staff import StaffUser
from .tenancy import get_scoped, scoped
from .types import UTCDateTime, utcnow

PREFIX = "rgl_"  # recognisable in logs and secret scanners
MINUTE = 60  # the rate limit's window
ALLOWED = {"manage_tokens": OWNERS}
can, require = checks(ALLOWED)


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))  # the secret's last characters, to tell tokens apart
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_used_at = mapped_column(UTCDateTime)
    revoked_at = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship(foreign_keys=[user_id])

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.user.active


def issue(user: StaffUser, name, created_by: StaffUser | None = None) -> tuple[ApiToken, str]:
    """A new token acting as `user`; returns it and its secret (which is not kept)."""
    errors: dict[str, str] = {}
    name = check.text(errors, "name", name, max_length=80)
    if errors:
        raise Invalid(errors)
    if not user.active:
        raise Invalid({"user": _("This staff member is deactivated.")})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(merchant_id=user.merchant_id, user=user, name=name, token_hash=digest(secret),
                     hint=secret[-4:], created_by_id=created_by.id if created_by else None)  # fmt: skip
    db.session.add(token)
    db.session.commit()
    return token, secret


def create_token(actor, user_id, name) -> tuple[ApiToken, str]:
    """An owner issues a token for one of the merchant's staff (themself included). The staff
    id is a form choice, not an address: another merchant's is Invalid (422), not NotFound."""
    require(actor, "manage_tokens")
    errors: dict[str, str] = {}
    check.text(errors, "name", name, max_length=80)  # checked here too, so both errors show at once
    try:
        user = get_scoped(StaffUser, user_id, actor.merchant_id)
    except NotFound:
        errors["user"] = _("Choose one of the listed options.")
    if errors:
        raise Invalid(errors)
    return issue(user, name, created_by=actor.user)


def list_tokens(actor) -> list[ApiToken]:
    require(actor, "manage_tokens")
    query = scoped(ApiToken, actor.merchant_id).options(joinedload(ApiToken.user))
    return list(db.session.scalars(query.order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())))


def revoke_token(actor, token_id) -> ApiToken:
    require(actor, "manage_tokens")
    token = get_scoped(ApiToken, token_id, actor.merchant_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def authenticate(secret: str | None, calls_per_minute: int) -> ApiToken | None:
    """The live token with this secret (its staff member still active), or None; the call
    is counted against the token's budget for this minute, in the database so that every
    worker sees one budget (RateLimited beyond it)."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(
        select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == digest(secret))
    )
    if token is None or not token.is_live:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
    used = ratelimit.increment(f"api:{token.id}", MINUTE)
    db.session.commit()
    if used > calls_per_minute:
        raise RateLimited(ratelimit.seconds_left(MINUTE))
    return token


def actor_for(token: ApiToken, request_id: str | None = None) -> Actor:
    return Actor(token.user, kind="api", request_id=request_id, via=token.name)
