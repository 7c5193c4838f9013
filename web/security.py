"""Response headers that hold on every page (a strict CSP and the usual hardening), and
input no database can store refused at the door."""

from flask import abort, request, session
from flask_babel import gettext as _

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages of a signed-in till hold personal data: keep them out of shared caches and
    # out of the back-button cache once the cashier signs out.
    # (Read from the cookie: loading the user here would cost a query on every asset.)
    if "_user_id" in session and request.endpoint != "static":
        headers.setdefault("Cache-Control", "private, no-store")
    return response


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def refuse_nul_characters():
    """A NUL character is in no name, phone or note, and PostgreSQL cannot store one in text:
    refused as a bad request wherever it comes (address, query, form, JSON), before any view."""
    sent = [request.path, *request.args.values(), *request.form.values(), request.get_json(silent=True)]
    if any(_has_nul(value) for value in sent):
        abort(400, _("The request contains a NUL character, which no field accepts."))
