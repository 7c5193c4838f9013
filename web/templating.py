"""What every template can use: locale and direction, the session's store, formatting."""

from flask import g
from flask_babel import get_locale
from flask_login import current_user

from domain.choices import LOCALES, ROLES
from domain.merchants import list_stores

from .i18n import money, text_direction, when


def _active_stores():
    return list_stores(current_user, active_only=True) if current_user.is_authenticated else []


def context() -> dict:
    return {
        "current_locale": lambda: str(get_locale()),
        "text_direction": text_direction,
        "locales": LOCALES,
        "roles": ROLES,
        "staff_session": lambda: g.get("staff_session"),
        "active_stores": _active_stores,
    }


def register_templating(app) -> None:
    app.context_processor(context)
    app.add_template_filter(money)
    app.add_template_filter(when)
    app.add_template_filter(lambda role: ROLES.get(role, role), "role_label")
