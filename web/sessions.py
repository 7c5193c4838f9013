"""The browser side of signing in and out; the server side lives in domain.sessions."""

from flask import flash, session
from flask_login import login_user, logout_user


def _fresh_cookie_session() -> None:
    """Drops everything from the cookie session but the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def begin(user, message: str | None = None) -> None:
    """Signs in a user whose server-side session was just opened (`user.session_token`)."""
    _fresh_cookie_session()
    login_user(user)
    if message:
        flash(message, "success")


def end(message: str | None = None) -> None:
    logout_user()
    _fresh_cookie_session()
    if message:
        flash(message, "success")
