"""Sign-in, sign-out and password change for staff."""

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from domain import sessions
from domain.errors import Invalid, RateLimited
from web.errors import rate_limit_message
from web.forms import safe_next, show_errors, status_of
from web.guards import public
from web.rendering import render
from web.sessions import begin, end

from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form, retry_after = LoginForm(), None
    if form.validate_on_submit():
        try:
            user = sessions.sign_in(
                form.email.data, form.password.data, address=request.remote_addr, user_agent=request.user_agent.string
            )
        except Invalid as invalid:
            show_errors(form, invalid)
        except RateLimited as limited:
            form.form_errors.append(rate_limit_message(limited))
            retry_after = limited.retry_after_seconds
        else:
            begin(user)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    response = render("auth/login.html", "form", form=form, status=429 if retry_after else status_of(form))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.post("/logout")
def logout():
    sessions.sign_out(current_user.session_token)
    end(_("You have signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            current_user.session_token = sessions.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                form.confirm_password.data,
                address=request.remote_addr,
                user_agent=request.user_agent.string,
            )
        except Invalid as invalid:
            show_errors(form, invalid)
        else:
            begin(current_user._get_current_object(), _("Your password was changed. Other devices were signed out."))
            return redirect(url_for("main.home"))
    return render("auth/change_password.html", "form", form=form, status=status_of(form))
