"""Staff users: roles, passwords, and the owner's management of the team."""

from __future__ import annotations

import contextlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import Boolean, ForeignKey, Integer, String, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from . import validation as check
from .choices import LOCALES, ROLES
from .errors import Forbidden, Invalid
from .merchants import Merchant
from .tenancy import get_scoped, scoped
from .types import UTCDateTime, utcnow

PASSWORD_MIN, PASSWORD_MAX = 10, 128
_hasher = PasswordHasher()
# Verified against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")


class StaffUser(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_sign_in_at = mapped_column(UTCDateTime)

    merchant: Mapped[Merchant] = relationship(lazy="joined")

    # Flask-Login keeps `get_id()` in the cookie. It is the server-side session's token,
    # not the user id, so that revoking the session row signs the browser out.
    session_token = None

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_token

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def require_role(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden()

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)


def verify_no_user() -> None:
    """Spend the time a real verification takes (see _DUMMY_HASH)."""
    with contextlib.suppress(VerificationError):
        _hasher.verify(_DUMMY_HASH, "a different password")


def clean_password(errors: dict, field: str, password) -> str:
    password = password or ""
    if len(password) < PASSWORD_MIN:
        errors[field] = _("Use at least %(count)d characters.", count=PASSWORD_MIN)
    elif len(password) > PASSWORD_MAX:
        errors[field] = _("Use at most %(count)d characters.", count=PASSWORD_MAX)
    return password


def clean_staff_fields(data: dict) -> dict:
    errors: dict[str, str] = {}
    cleaned = {
        "name": check.text(errors, "name", data.get("name"), max_length=120),
        "email": check.email(errors, "email", data.get("email")),
        "role": check.choice(errors, "role", data.get("role"), ROLES),
        "locale": check.choice(errors, "locale", data.get("locale") or "", ["", *LOCALES]) or None,
    }
    if errors:
        raise Invalid(errors)
    return cleaned


def create_staff(merchant_id: int, data: dict, password: str, *, temporary: bool) -> StaffUser:
    """Adds a staff user to the session (the caller commits); Invalid on a taken email."""
    fields = clean_staff_fields(data)
    if db.session.scalar(select(StaffUser.id).where(StaffUser.email == fields["email"])):
        raise Invalid({"email": _("This email is already used by another account.")})
    user = StaffUser(merchant_id=merchant_id, must_change_password=temporary, **fields)
    user.set_password(password)
    db.session.add(user)
    return user


def add_staff(actor: StaffUser, data: dict) -> tuple[StaffUser, str]:
    """The new staff user and a temporary password to hand over, shown once."""
    actor.require_role("owner")
    temporary_password = secrets.token_urlsafe(9)
    user = create_staff(actor.merchant_id, data, temporary_password, temporary=True)
    try:
        db.session.commit()
    except IntegrityError:  # the same email added concurrently
        db.session.rollback()
        raise Invalid({"email": _("This email is already used by another account.")}) from None
    return user, temporary_password


def list_staff(actor: StaffUser) -> list[StaffUser]:
    actor.require_role("owner")
    return list(db.session.scalars(scoped(StaffUser, actor.merchant_id).order_by(StaffUser.name)))


def _lock_merchant(merchant_id: int) -> None:
    """Serialises owner changes within a merchant (PostgreSQL row lock; SQLite has one writer)."""
    db.session.execute(select(Merchant.id).where(Merchant.id == merchant_id).with_for_update())


def _refuse_if_last_owner(user: StaffUser) -> None:
    active_owners = db.session.scalar(
        select(func.count())
        .select_from(StaffUser)
        .where(StaffUser.merchant_id == user.merchant_id, StaffUser.role == "owner", StaffUser.active)
    )
    if user.role == "owner" and user.active and active_owners <= 1:
        raise Invalid({"role": _("A merchant always keeps at least one active owner.")})


def change_role(actor: StaffUser, user_id, role) -> StaffUser:
    actor.require_role("owner")
    errors: dict[str, str] = {}
    role = check.choice(errors, "role", role, ROLES)
    if errors:
        raise Invalid(errors)
    _lock_merchant(actor.merchant_id)
    user = get_scoped(StaffUser, user_id, actor.merchant_id)
    if role != "owner":
        _refuse_if_last_owner(user)
    user.role = role
    db.session.commit()
    return user


def set_staff_active(actor: StaffUser, user_id, active: bool) -> StaffUser:
    """Deactivation ends every session of that user at once."""
    from .sessions import revoke_all_sessions

    actor.require_role("owner")
    _lock_merchant(actor.merchant_id)
    user = get_scoped(StaffUser, user_id, actor.merchant_id)
    if not active:
        if user.id == actor.id:
            raise Invalid({"role": _("You cannot deactivate your own account.")})
        _refuse_if_last_owner(user)
        revoke_all_sessions(user)
    user.active = active
    db.session.commit()
    return user


def set_locale(user: StaffUser, locale: str) -> None:
    if locale in LOCALES:
        user.locale = locale
        db.session.commit()
