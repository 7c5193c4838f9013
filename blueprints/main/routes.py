"""Home, the language and store switchers, and htmx served from its installed package."""

from pathlib import Path

import js_lib_htmx
from flask import Blueprint, g, redirect, request, send_from_directory, session, url_for
from flask_login import current_user

from domain.choices import LOCALES
from domain.merchants import list_stores
from domain.sales import receipts
from domain.sessions import switch_store
from domain.staff import set_locale
from domain.types import utcnow
from web.forms import safe_next
from web.guards import before_setup, public
from web.rendering import render

bp = Blueprint("main", __name__)
HTMX_DIRECTORY = Path(js_lib_htmx.__file__).parent / "static" / "htmx"


def _back():
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.get("/")
def home():
    return render("main/home.html", now=utcnow(), stores=list_stores(current_user, active_only=True))


@bp.post("/locale")
@before_setup
def change_locale():
    locale = request.form.get("locale")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            set_locale(current_user, locale)
    return _back()


@bp.post("/store")
def change_store():
    switch_store(g.staff_session, request.form.get("store_id"))
    return _back()


@bp.get("/vendor/htmx.min.js")
@before_setup
def htmx_script():
    return send_from_directory(HTMX_DIRECTORY, "htmx.min.js", max_age=86400)


@bp.get("/healthz")
@before_setup
def health():
    return {"status": "ok"}


@bp.get("/r/<token>")
@public
def receipt(token):
    """A customer's receipt link (sent by SMS or email): that receipt, nothing else."""
    order = receipts.by_token(token)
    return render("receipts/receipt.html", order=order, merchant=order.merchant, public=True)
