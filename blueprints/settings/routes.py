"""Owner-only settings: the merchant, its stores, its staff and their API tokens."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from domain import api_tokens, merchants, staff
from domain.errors import Invalid
from domain.types import utcnow
from web.actor import current_actor
from web.forms import show_errors, status_of
from web.guards import require_roles
from web.rendering import render

from ..setup.forms import MerchantForm
from .forms import ApiTokenForm, StaffForm, StoreForm

bp = Blueprint("settings", __name__, url_prefix="/settings")
require_roles(bp, "owner")


@bp.get("")
def index():
    return redirect(url_for("settings.merchant"))


@bp.route("/merchant", methods=["GET", "POST"])
def merchant():
    form = MerchantForm(obj=current_user.merchant)
    if form.validate_on_submit():
        try:
            merchants.update_merchant(current_user, form.data)
        except Invalid as invalid:
            show_errors(form, invalid)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("settings.merchant"))
    return render("settings/merchant.html", "form", form=form, now=utcnow(), status=status_of(form))


def _stores_page(form=None, errors=(), status=200):
    return render(
        "settings/stores.html",
        "stores",
        form=form or StoreForm(formdata=None),
        stores=merchants.list_stores(current_user),
        errors=errors,
        status=status,
    )


@bp.get("/stores")
def stores():
    return _stores_page()


@bp.post("/stores")
def add_store():
    form = StoreForm()
    try:
        merchants.add_store(current_user, form.name.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        return _stores_page(form, status=status_of(form))
    return _stores_page()


@bp.post("/stores/<int(max=2147483647):store_id>")
def update_store(store_id):
    try:
        if "active" in request.form:
            merchants.set_store_active(current_user, store_id, request.form["active"] == "1")
        else:
            merchants.rename_store(current_user, store_id, request.form.get("name"))
    except Invalid as invalid:
        return _stores_page(errors=invalid.errors.values(), status=422)
    return _stores_page()


def _staff_page(form=None, errors=(), status=200, **context):
    return render(
        "settings/staff.html",
        "staff",
        form=form or StaffForm(formdata=None),
        team=staff.list_staff(current_user),
        errors=errors,
        status=status,
        **context,
    )


@bp.get("/staff")
def staff_list():
    return _staff_page()


@bp.post("/staff")
def add_staff():
    form = StaffForm()
    try:
        user, temporary_password = staff.add_staff(current_user, form.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        return _staff_page(form, status=status_of(form))
    return _staff_page(added=user, temporary_password=temporary_password)


@bp.post("/staff/<int(max=2147483647):user_id>")
def update_staff(user_id):
    try:
        if "active" in request.form:
            staff.set_staff_active(current_user, user_id, request.form["active"] == "1")
        else:
            staff.change_role(current_user, user_id, request.form.get("role"))
    except Invalid as invalid:
        return _staff_page(errors=invalid.errors.values(), status=422)
    return _staff_page()


def _api_tokens_page(form=None, status=200, **context):
    return render(
        "settings/api_tokens.html",
        "api_tokens",
        form=form or ApiTokenForm(staff.list_staff(current_user), formdata=None),
        tokens=api_tokens.list_tokens(current_actor()),
        status=status,
        **context,
    )


@bp.get("/api-tokens")
def api_token_list():
    return _api_tokens_page()


@bp.post("/api-tokens")
def add_api_token():
    form = ApiTokenForm(staff.list_staff(current_user))
    try:
        token, secret = api_tokens.create_token(current_actor(), form.user.data, form.name.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        return _api_tokens_page(form, status=status_of(form))
    # Rendered, not redirected: the secret exists only in this response.
    return _api_tokens_page(created=token, secret=secret)


@bp.post("/api-tokens/<int(max=2147483647):token_id>/revoke")
def revoke_api_token(token_id):
    api_tokens.revoke_token(current_actor(), token_id)
    return _api_tokens_page()
