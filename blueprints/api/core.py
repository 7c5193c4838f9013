"""What every API call shares: the bearer token, its rate limit, JSON bodies, paging links,
ETags and idempotent POSTs. Errors are JSON in one shape (web.errors)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, jsonify, make_response, request
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, HTTPException, PreconditionFailed, Unauthorized

from domain import api_tokens, idempotency
from domain.errors import DomainError, Invalid
from domain.validation import whole_number
from web.actor import request_id

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_LIMIT = 100
DEFAULT_LIMIT = 25
MAX_OFFSET = 1_000_000
KEPT_HEADERS = ("Content-Type", "Location", "ETag", "Link")  # what a replayed answer repeats
PUBLIC_ENDPOINTS = {"api.openapi_document", "api.reference"}  # the contract is no secret


class TokenMissing(Unauthorized):
    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", 'Bearer realm="regulars"')]


@bp.before_request
def authenticate():
    """The token's staff member is the actor, with its role; a wrong or revoked token is
    the same as none. Each token has its own per-minute budget, counted in the database."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    limit = current_app.config["API_RATE_LIMIT_PER_MINUTE"]
    token = api_tokens.authenticate(secret.strip(), limit) if scheme.lower() == "bearer" else None
    if token is None:
        raise TokenMissing(_("Send a valid API token: Authorization: Bearer <token>."))
    g.api_token = token
    g.actor = api_tokens.actor_for(token, request_id=request_id())


def actor():
    return g.actor


def body(fields=None) -> dict:
    """The request's JSON object; anything else is a 400 that says what to send. With
    `fields`, a field outside them is refused (422) rather than silently ignored."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest(_("Send a JSON object with Content-Type: application/json."))
    if fields is not None and (unknown := [field for field in data if field not in fields]):
        raise Invalid({field: _("There is no such field.") for field in unknown})
    return data


@bp.after_request
def say_language(response):
    response.headers["Content-Language"] = str(get_locale())
    return response


def paging() -> tuple[int, int]:
    """(limit, offset) from the query string; limit at most 100."""
    errors = {}
    limit = whole_number(request.args.get("limit", DEFAULT_LIMIT), maximum=MAX_LIMIT)
    if not limit:
        errors["limit"] = _("Enter a whole number from 1 to %(most)d.", most=MAX_LIMIT)
    offset = whole_number(request.args.get("offset", 0), maximum=MAX_OFFSET)
    if offset is None:
        errors["offset"] = _("Enter a whole number from 0 to %(most)d.", most=MAX_OFFSET)
    if errors:
        raise Invalid(errors)
    return limit, offset


def page_of(items: list, limit: int, offset: int, total: int | None, has_more: bool):
    """A page as JSON with `total` (null when a ranked search does not know it) and a Link
    header with the first, previous and next pages."""
    response = jsonify({"data": items, "total": total, "limit": limit, "offset": offset, "has_more": has_more})
    links = {"first": 0}
    if offset:
        links["prev"] = max(0, offset - limit)
    if has_more:
        links["next"] = offset + limit
    args = request.args.to_dict()
    response.headers["Link"] = ", ".join(
        f'<{request.base_url}?{urlencode({**args, "limit": limit, "offset": start})}>; rel="{rel}"'
        for rel, start in links.items()
    )
    return response


def answer(data: dict, record, status: int = 200, location: str | None = None):
    """A record as JSON with its ETag (its version, for If-Match on the next change), and
    for a new one where it lives."""
    response = make_response(jsonify(data), status)
    response.headers["ETag"] = f'"{record.version}"'
    if location:
        response.headers["Location"] = location
    return response


def if_match():
    """The version an If-Match header asks for; None without one (or with `*`). A value
    that is no version of ours can never match: 412."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    version = whole_number(header.strip().removeprefix("W/").strip('"'))
    if version is None:
        raise PreconditionFailed(_("If-Match must be an ETag this API gave you."))
    return version


def idempotent(view):
    """A POST with an Idempotency-Key runs once; a retry with the same key and body gets the
    first answer again (status, body, Location, ETag), the same key with another body a 409."""

    @wraps(view)
    def run_once(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return view(*args, **kwargs)
        key = idempotency.check_key(key)
        print_ = idempotency.fingerprint(request.method, request.path, request.get_data())
        claim, answer = idempotency.claim(g.api_token.id, key, print_)
        if answer is not None:
            response = make_response(answer.body, answer.status, answer.headers)
            response.headers["Idempotent-Replayed"] = "true"
            return response
        try:
            response = make_response(view(*args, **kwargs))
        except (DomainError, HTTPException) as refusal:  # a refusal is an answer too
            response = make_response(current_app.handle_user_exception(refusal))
        except Exception:
            idempotency.release(claim)
            raise
        if response.status_code >= 500:
            idempotency.release(claim)
        else:
            headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
            answer = idempotency.Answer(response.status_code, response.get_data(as_text=True), headers)
            idempotency.record(claim, answer)
        return response

    return run_once
