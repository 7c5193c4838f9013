"""Every refusal, from the domain or from HTTP, becomes a translated page with the right status."""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from domain.customers.records import StaleEdit
from domain.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from extensions import db

from .rendering import is_api_request, render


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        401: (_("Sign in"), _("Send a valid API token: Authorization: Bearer <token>.")),
        403: (_("Not allowed"), _("Your role does not give access to this page.")),
        404: (_("Not found"), _("There is nothing here. Check the address or go back.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        409: (_("Conflict"), _("This change conflicts with another one.")),
        412: (_("Changed meanwhile"), _("The record changed since you read it. Read it again and retry.")),
        413: (_("Too large"), _("What you sent is too large.")),
        422: (_("Check the form"), _("Some fields need attention.")),
        429: (_("Too many attempts"), _("Please wait a moment and try again.")),
        500: (_("Something went wrong"), _("The error was logged. Please try again.")),
    }


# The API's error codes: stable words a program can branch on.
CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 412: "precondition_failed", 413: "too_large",
    422: "invalid", 429: "rate_limited", 500: "internal_error",
}  # fmt: skip


def error_page(status: int, message: str | None = None, headers: dict | None = None, details: dict | None = None):
    """The refusal as a translated page, or for the API as
    {"error": {"code", "message", "details"}}."""
    db.session.rollback()  # nothing half-written survives a refused request
    title, default_message = _messages().get(status, _messages()[500])
    if is_api_request():
        error = {"code": CODES.get(status, "error"), "message": message or default_message, "details": details or {}}
        response = jsonify({"error": error})
        response.status_code = status
        response.headers.update(headers or {})
        return response
    response = render("errors/error.html", "message", status=status, title=title, message=message or default_message)
    response.headers.update(headers or {})
    return response


def rate_limit_message(error: RateLimited) -> str:
    minutes = max(1, -(-error.retry_after_seconds // 60))
    return ngettext(
        "Too many attempts. Try again in %(num)d minute.",
        "Too many attempts. Try again in %(num)d minutes.",
        minutes,
    )


def _rate_limited(error: RateLimited):
    return error_page(429, rate_limit_message(error), {"Retry-After": str(error.retry_after_seconds)})


def _stale_edit(error: StaleEdit):
    """A page shows the form again with what changed (its view catches StaleEdit); an API
    change that raced another one failed its precondition (If-Match, or the version it read)."""
    return error_page(412 if is_api_request() else 409, error.message)


def register_errorhandlers(app) -> None:
    app.register_error_handler(NotFound, lambda e: error_page(404))
    app.register_error_handler(Forbidden, lambda e: error_page(403))
    app.register_error_handler(Invalid, lambda e: error_page(422, " ".join(e.errors.values()), details=e.errors))
    app.register_error_handler(Conflict, lambda e: error_page(409, e.message))
    app.register_error_handler(StaleEdit, _stale_edit)
    app.register_error_handler(RateLimited, _rate_limited)
    app.register_error_handler(
        CSRFError,
        lambda e: error_page(
            400, _("This form has expired or did not come from this site. Reload the page and try again.")
        ),
    )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code and error.code < 400 or request.endpoint == "static":
            return error
        # The API says why (a message written for the caller); pages keep their own words.
        message = error.description if is_api_request() and error.description != type(error).description else None
        headers = dict(error.get_headers()) if is_api_request() else {}
        headers.pop("Content-Type", None)
        return error_page(error.code or 500, message, headers)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("Unhandled error")
        return error_page(500)
