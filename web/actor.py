"""The domain Actor for the signed-in staff member, built once per request."""

import uuid

from flask import current_app, g, request
from flask_login import current_user

from domain.actors import Actor


def current_actor() -> Actor:
    if "actor" not in g:
        user = current_user._get_current_object()  # loads g.staff_session too
        staff_session = g.get("staff_session")
        g.actor = Actor(
            user,
            store_id=staff_session.store_id if staff_session else None,
            request_id=request_id(),
        )
    return g.actor


def request_id() -> str:
    """The proxy's X-Request-ID, so audit events match its logs; trusted only when a proxy
    is configured (PROXY_COUNT), since a client could otherwise choose it."""
    if "request_id" not in g:
        forwarded = request.headers.get("X-Request-ID") if current_app.config["PROXY_COUNT"] else None
        g.request_id = (forwarded or uuid.uuid4().hex)[:64]
    return g.request_id
