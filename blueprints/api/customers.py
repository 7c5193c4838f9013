"""/api/v1/customers: the directory over HTTP, calling the same domain functions as the screens."""

from flask import Response, jsonify, request, stream_with_context, url_for

from domain.customers import addresses, directory, export, notes, records, updates
from domain.sales.history import HistoryFilters, purchase_history

from . import representations as show
from .core import actor, answer, body, bp, idempotent, if_match, page_of, paging


def _customer(record, status: int = 200):
    location = url_for("api.get_customer", customer_id=record.id) if status == 201 else None
    return answer(show.customer(actor(), record, with_addresses=True), record, status, location)


@bp.post("/customers")
@idempotent
def create_customer():
    data = body(records.CREATE_FIELDS)
    return _customer(records.create_customer(actor(), data), 201)


@bp.get("/customers")
def list_customers():
    limit, offset = paging()
    page = directory.list_customers(actor(), directory.Listing.from_api(request.args, actor(), limit), offset)
    return page_of([show.customer(actor(), row) for row in page.rows], limit, offset, page.exact_total, page.has_next)


@bp.get("/customers/phone/<path:phone>")
def customer_by_phone(phone):
    return _customer(records.customer_with_phone(actor(), phone))


@bp.get("/customers/<customer_id>")
def get_customer(customer_id):
    return _customer(records.get_customer(actor(), customer_id, include_deleted=True))


@bp.patch("/customers/<customer_id>")
def update_customer(customer_id):
    return _customer(updates.update_customer(actor(), customer_id, body(), version=if_match()))


@bp.delete("/customers/<customer_id>")
def delete_customer(customer_id):
    return _customer(records.delete_customer(actor(), customer_id))


@bp.post("/customers/<customer_id>/restore")
@idempotent
def restore_customer(customer_id):
    return _customer(records.restore_customer(actor(), customer_id))


@bp.get("/customers/<customer_id>/orders")
def customer_orders(customer_id):
    limit, offset = paging()
    filters = HistoryFilters.from_args(request.args, actor().merchant_id, since="start_date", until="end_date")
    history = purchase_history(actor(), customer_id, filters, per_page=limit, offset=offset)
    rows = [show.order(actor(), order) for order in history.orders]
    return page_of(rows, limit, offset, history.total, offset + len(rows) < history.total)


@bp.get("/customers/<customer_id>/addresses")
def list_addresses(customer_id):
    return jsonify({"data": [show.address(item) for item in addresses.list_addresses(actor(), customer_id)]})


@bp.post("/customers/<customer_id>/addresses")
@idempotent
def add_address(customer_id):
    data = body((*addresses.FIELDS, "is_default"))
    return jsonify(show.address(addresses.add_address(actor(), customer_id, data))), 201


@bp.patch("/customers/<customer_id>/addresses/<address_id>")
def update_address(customer_id, address_id):
    data = body((*addresses.FIELDS, "is_default"))
    return jsonify(show.address(addresses.update_address(actor(), customer_id, address_id, data, partial=True)))


@bp.delete("/customers/<customer_id>/addresses/<address_id>")
def delete_address(customer_id, address_id):
    addresses.delete_address(actor(), customer_id, address_id)
    return "", 204


@bp.get("/customers/<customer_id>/notes")
def list_notes(customer_id):
    return jsonify({"data": [show.note(item) for item in notes.list_notes(actor(), customer_id)]})


@bp.post("/customers/<customer_id>/notes")
@idempotent
def add_note(customer_id):
    data = body(("body",))
    return jsonify(show.note(notes.add_note(actor(), customer_id, data.get("body")))), 201


@bp.get("/customers/export")
def export_customers():
    rows = export.export_customers(actor())
    headers = {"Content-Disposition": 'attachment; filename="customers.csv"'}
    return Response(stream_with_context(rows), mimetype="text/csv", headers=headers)
