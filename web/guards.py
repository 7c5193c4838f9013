"""Access rules applied before any view runs: default deny, with explicit exceptions.

Every endpoint needs a signed-in staff member unless marked `@public`; a blueprint that
needs a role says so once with `require_roles`, so no fragment endpoint can be forgotten.
"""

from flask import abort, current_app, g, request, url_for
from flask_login import current_user

from domain.merchants import is_set_up
from domain.sessions import load_session
from extensions import login_manager

from .rendering import redirect_to


def public(view):
    """No sign-in needed (the sign-in page itself, the language switch, assets)."""
    view.is_public = True
    return view


def before_setup(view):
    """Reachable on an empty database too; implies `public`."""
    view.before_setup = True
    return public(view)


def _view():
    return current_app.view_functions.get(request.endpoint) if request.endpoint else None


def _is_public() -> bool:
    view = _view()
    return request.endpoint == "static" or view is None or getattr(view, "is_public", False)


def require_roles(blueprint, *roles: str) -> None:
    @blueprint.before_request
    def _check_role():
        if not current_user.has_role(*roles):
            abort(403)


def _setup_done() -> bool:
    # Once a merchant exists it never goes away, so a positive answer can be kept.
    if not current_app.extensions.get("regulars.setup_done"):
        current_app.extensions["regulars.setup_done"] = is_set_up()
    return current_app.extensions["regulars.setup_done"]


def check_access():
    if request.blueprint == "api":  # the API checks its bearer token itself
        return None
    if not _setup_done():
        if request.endpoint == "static" or getattr(_view(), "before_setup", False):
            return None
        return redirect_to(url_for("setup.start"))
    if _is_public():
        return None
    if not current_user.is_authenticated:
        return redirect_to(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and request.endpoint not in (
        "auth.change_password",
        "auth.logout",
    ):
        return redirect_to(url_for("auth.change_password"))
    return None


@login_manager.user_loader
def _load_user(token: str):
    staff_session = load_session(token)
    if staff_session is None:
        return None
    g.staff_session = staff_session
    return staff_session.user
