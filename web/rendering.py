"""One decision for every view: the full page, or the named block htmx asked for."""

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_blocks

API_PREFIX = "/api/"


def is_api_request() -> bool:
    """Under /api/: answered in JSON, errors included, whatever the route turns out to be."""
    return request.path.startswith(API_PREFIX)


def wants_fragment() -> bool:
    # A history-restore request (cache miss on back/forward) needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def render(template: str, block: str | list[str] | None = None, *, status: int = 200, **context):
    """Renders `block` (or several, e.g. a section plus an out-of-band header) of `template`
    for htmx requests, the whole page otherwise; the response varies on HX-Request so no
    cache hands a fragment to a full-page load."""
    if block and wants_fragment():
        blocks = [block] if isinstance(block, str) else block
        body = render_blocks(template, blocks, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def redirect_to(url: str):
    """A redirect that htmx turns into a full navigation instead of swapping the next page
    into the element that made the request."""
    if request.htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)
