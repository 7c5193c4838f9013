"""First-run setup: only reachable while the database has no merchant."""

from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from domain.errors import Invalid
from domain.merchants import is_set_up, suggested_settings
from domain.setup import first_setup
from web.forms import show_errors, status_of
from web.guards import before_setup
from web.rendering import redirect_to, render
from web.sessions import begin

from .forms import SetupForm

bp = Blueprint("setup", __name__, url_prefix="/setup")


@bp.route("", methods=["GET", "POST"])
@before_setup
def start():
    if is_set_up():
        abort(404)
    form = SetupForm(data=suggested_settings(str(get_locale())))
    if form.validate_on_submit():
        try:
            owner = first_setup(form.data, address=request.remote_addr, user_agent=request.user_agent.string)
        except Invalid as invalid:
            show_errors(form, invalid)
        else:
            current_app.extensions["regulars.setup_done"] = True
            begin(owner, _("Welcome to Regulars. Your business is ready."))
            return redirect_to(url_for("main.home"))
    return render("setup/start.html", "form", form=form, status=status_of(form))
