"""The OpenAPI 3.1 document of /api/v1, written beside the code it describes; the tests check
that every route is in it and that real responses conform to it (Schemathesis)."""

from __future__ import annotations

from domain.customers import models as customers
from domain.sales.models import PAYMENT_METHODS, RECEIPT_CHANNELS
from domain.sales.models import STATUSES as ORDER_STATUSES

from .core import MAX_LIMIT


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _enum(values, nullable: bool = False) -> dict:
    return {"type": ["string", "null"] if nullable else "string", "enum": [*values, *([None] if nullable else [])]}


TIME = _nullable("string", format="date-time")
TEXT = _nullable("string")

CUSTOMER_FIELDS = {
    "name": {"type": "string", "maxLength": 200, "description": "One free-text field, in any script."},
    "name_kana": {**TEXT, "description": "Phonetic reading (katakana or hiragana); sorts and searches."},
    "name_alt": {**TEXT, "description": "The name in a second script."},
    "phone": {**TEXT, "description": "Any written form; read in the merchant's region and stored as E.164."},
    "email": TEXT,
    "date_of_birth": _nullable("string", format="date"),
    "gender": _enum(customers.GENDERS, nullable=True),
    "document_number": TEXT,
    "customer_type": _enum(customers.CUSTOMER_TYPES),
    "receipt_delivery": _enum(customers.RECEIPT_DELIVERIES),
    "language": TEXT,
    "preferred_channel": _enum(customers.CONTACT_CHANNELS, nullable=True),
}
PATCH_FIELDS = {
    **CUSTOMER_FIELDS,
    "email_consent": {"type": "boolean"},
    "sms_consent": {"type": "boolean"},
    "status": _enum(customers.STATUSES),
    "status_reason": {**TEXT, "description": "Required when the status is not active."},
    "tags": {"type": "array", "items": {"type": "string"}, "description": "Names of the merchant's tags."},
}
ADDRESS_FIELDS = {
    "label": _enum(customers.ADDRESS_LABELS),
    "use": _enum(customers.ADDRESS_USES),
    "country": {"type": "string", "description": "ISO 3166 code; the merchant's country when left out."},
    "postal_code": TEXT,
    "region": TEXT,
    "city": TEXT,
    "street": TEXT,
    "building": TEXT,
    "latitude": _nullable("number"),
    "longitude": _nullable("number"),
    "delivery_notes": TEXT,
    "is_default": {"type": "boolean"},
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "details"],
                "properties": {
                    "code": {"type": "string", "description": "Stable: invalid, not_found, rate_limited, …"},
                    "message": {"type": "string", "description": "In the language of Accept-Language."},
                    "details": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "description": "For 422: a message per field.",
                    },
                },
            }
        },
    },
    "Customer": {
        "type": "object",
        "description": "Contact data is masked, and sensitive fields null, for roles that may not see them.",
        "required": ["id", "customer_number", "name", "status", "version"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "customer_number": {"type": "string", "description": "Read-only."},
            **{field: schema for field, schema in PATCH_FIELDS.items() if field != "phone"},
            "phone": TEXT,
            "tags": {"type": "array", "items": {"type": "string"}},
            "profile_level": _enum(customers.PROFILE_LEVELS),
            "currency": {"type": "string", "description": "ISO 4217; amounts are integer minor units."},
            "total_spent": {"type": "integer"},
            "total_visits": {"type": "integer"},
            "first_visit_at": TIME,
            "last_visit_at": TIME,
            "created_at": {"type": "string", "format": "date-time"},
            "deleted_at": TIME,
            "version": {"type": "integer", "description": "Also the ETag; send it back as If-Match."},
            "addresses": {"type": "array", "items": _ref("Address")},
        },
    },
    "CustomerCreate": {
        "type": "object",
        "required": ["name"],
        "additionalProperties": False,
        "description": "A name and a phone or an email; phones and emails are unique among live customers.",
        "properties": CUSTOMER_FIELDS,
    },
    "CustomerPatch": {
        "type": "object",
        "additionalProperties": False,
        "description": "Only the fields given change; customer_number and merchant_id are read-only.",
        "properties": PATCH_FIELDS,
    },
    "Address": {
        "type": "object",
        "required": ["id", "country", "is_default"],
        "properties": {"id": {"type": "integer"}, **ADDRESS_FIELDS},
    },
    "AddressInput": {"type": "object", "additionalProperties": False, "properties": ADDRESS_FIELDS},
    "Note": {
        "type": "object",
        "required": ["id", "body", "pinned", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "body": {"type": "string"},
            "pinned": {"type": "boolean"},
            "author": TEXT,
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "NoteInput": {
        "type": "object",
        "required": ["body"],
        "additionalProperties": False,
        "properties": {"body": {"type": "string", "maxLength": 2000}},
    },
    "OrderLine": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "category": TEXT,
            "quantity": {"type": "integer"},
            "unit_price": {"type": "integer", "description": "Minor units."},
            "amount": {"type": "integer"},
        },
    },
    "Order": {
        "type": "object",
        "required": ["id", "number", "status", "total", "lines"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "number": {"type": "string", "description": "Per store and business day: 20261121-1-0007."},
            "store_id": {"type": "integer"},
            "status": _enum(ORDER_STATUSES),
            "customer": {
                "type": ["object", "null"],
                "properties": {
                    "id": {"type": "string"},
                    "customer_number": {"type": "string"},
                    "name": {"type": "string"},
                },
            },
            "customer_name": {**TEXT, "description": "The name as it was at the sale."},
            "currency": {"type": "string"},
            "total": {"type": "integer", "description": "Minor units."},
            "item_count": {"type": "integer"},
            "lines": {"type": "array", "items": _ref("OrderLine")},
            "payment_method": _enum(PAYMENT_METHODS, nullable=True),
            "receipt_channel": _enum(RECEIPT_CHANNELS, nullable=True),
            "opened_at": {"type": "string", "format": "date-time"},
            "paid_at": TIME,
            "closed_at": TIME,
            "version": {"type": "integer"},
        },
    },
    "OrderCreate": {
        "type": "object",
        "required": ["store_id"],
        "additionalProperties": False,
        "properties": {
            "store_id": {"type": "integer", "description": "One of the merchant's open stores."},
            "customer_id": {"type": ["string", "null"]},
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "unit_price"],
                    "properties": {
                        "name": {"type": "string"},
                        "category": TEXT,
                        "quantity": {"type": "integer", "minimum": 1},
                        "unit_price": {"type": "integer", "minimum": 0, "description": "Minor units."},
                    },
                },
            },
        },
    },
    "OrderCustomer": {
        "type": "object",
        "required": ["customer_id"],
        "additionalProperties": False,
        "properties": {"customer_id": {"type": ["string", "null"], "description": "null detaches."}},
    },
    "OrderComplete": {
        "type": "object",
        "required": ["payment_method"],
        "additionalProperties": False,
        "properties": {
            "payment_method": _enum(PAYMENT_METHODS),
            "receipt_channel": _enum(RECEIPT_CHANNELS, nullable=True),
            "receipt_destination": {**TEXT, "description": "An email or phone for this sale's receipt only."},
        },
    },
}


def _page_of(item: str) -> dict:
    return {
        "type": "object",
        "required": ["data", "total", "limit", "offset", "has_more"],
        "properties": {
            "data": {"type": "array", "items": _ref(item)},
            "total": {"type": ["integer", "null"], "description": "null when a ranked search does not count."},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "has_more": {"type": "boolean"},
        },
    }


def _list_of(item: str) -> dict:
    return {"type": "object", "required": ["data"], "properties": {"data": {"type": "array", "items": _ref(item)}}}


SCHEMAS |= {
    "CustomerPage": _page_of("Customer"),
    "OrderPage": _page_of("Order"),
    "AddressList": _list_of("Address"),
    "NoteList": _list_of("Note"),
}

ERRORS = {
    400: "The body is not a JSON object, or something sent contains a NUL character.",
    401: "No valid token.",
    403: "The token's role may not do this.",
    404: "No such record in this merchant.",
    409: "The Idempotency-Key was used for another request, or the record's state forbids it.",
    412: "If-Match does not match the record's current version.",
    422: "A value breaks a rule; `details` says which field and why.",
    429: "Too many calls with this token; wait Retry-After seconds.",
}
JSON = "application/json"


def _response(description: str, schema: dict | None = None, headers: dict | None = None) -> dict:
    response = {"description": description}
    if schema:
        response["content"] = {JSON: {"schema": schema}}
    if headers:
        response["headers"] = headers
    return response


def _operation(summary: str, ok: tuple, *, errors=(401, 403, 404, 429), body: str | None = None,
               parameters=(), description: str = "") -> dict:  # fmt: skip
    status, schema, *headers = ok
    responses = {str(status): _response(summary, schema and _ref(schema), *headers)}
    for code in sorted({*errors, 400, 401, 429} | ({422} if body else set())):
        responses[str(code)] = _response(ERRORS[code], _ref("Error"))
    operation = {"summary": summary, "parameters": list(parameters), "responses": responses}
    if description:
        operation["description"] = description
    if body:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _ref(body)}}}
    return operation


def _parameter(name: str, where: str, description: str = "", required: bool = False, **schema) -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "description": description,
            "schema": schema or {"type": "string"}}  # fmt: skip


CUSTOMER_ID = _parameter("customer_id", "path", "The customer's id (a UUID).")
ORDER_ID = _parameter("order_id", "path", "The order's id (a UUID).")
PAGING = [
    _parameter("limit", "query", f"At most {MAX_LIMIT}.", type="integer", minimum=1, maximum=MAX_LIMIT),
    _parameter("offset", "query", "How many to skip.", type="integer", minimum=0, maximum=1_000_000),
]
IDEMPOTENCY = _parameter(
    "Idempotency-Key", "header",
    "A retry with the same key and body returns the first answer, a refusal included (send a corrected body "
    "with a new key); the same key with another body is a 409. Keys are kept for 24 hours.",
    maxLength=255,
)  # fmt: skip
ETAG = {"ETag": {"description": "The record's version.", "schema": {"type": "string"}}}
CREATED = {**ETAG, "Location": {"description": "The new record's address.", "schema": {"type": "string"}}}
SEARCH = [
    _parameter("q", "query", "One box: digits search phones and customer numbers, `@` emails, else names."),
    _parameter("phone", "query", "A phone in any written form, or its last digits."),
    _parameter("email", "query", "An email or its beginning."),
    _parameter("customer_number", "query", "CUST-000123, 000123 or 123."),
    _parameter("name", "query", "Any word's beginning; kana, romanised and without diacritics too."),
    _parameter("tag", "query", "A tag's name."),
    _parameter("status", "query", "", type="string", enum=[*customers.STATUSES, "deleted"]),
    _parameter(
        "sort",
        "query",
        "`-` for descending.",
        type="string",
        enum=["name", "-name", "last_visit", "-last_visit", "total_spent", "-total_spent", "created_at", "-created_at"],
    ),  # fmt: skip
    *PAGING,
]
HISTORY = [
    _parameter("start_date", "query", "From this day (the merchant's time zone).", format="date"),
    _parameter("end_date", "query", "To this day, included.", format="date"),
    _parameter("store", "query", "A store's id.", type="integer"),
    _parameter("status", "query", "", type="string", enum=list(ORDER_STATUSES)),
    *PAGING,
]
PAGED = {"Link": {"description": "first, prev and next pages.", "schema": {"type": "string"}}}


def document() -> dict:
    idem = [IDEMPOTENCY]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Regulars API",
            "version": "1",
            "description": (
                "The customer directory and the till's customer operations, for other terminals, shops "
                "and back-office tools. Authenticate with a bearer token an owner issues in Settings → API "
                "tokens; the token acts with its staff member's role. Errors are "
                '`{"error": {"code", "message", "details"}}` in the language of Accept-Language. '
                "Amounts are integer minor units of the merchant's currency."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/customers": {
                "post": _operation(
                    "Create a customer",
                    (201, "Customer", CREATED),
                    body="CustomerCreate",
                    errors=(403, 409),
                    parameters=idem,
                ),  # fmt: skip
                "get": _operation(
                    "Find customers",
                    (200, "CustomerPage", PAGED),
                    errors=(403, 422),
                    parameters=SEARCH,
                    description="Needs q or at least one filter.",
                ),  # fmt: skip
            },
            "/customers/phone/{phone}": {
                "get": _operation(
                    "Find a customer by exact phone",
                    (200, "Customer", ETAG),
                    errors=(404, 422),
                    parameters=[_parameter("phone", "path", "Any written form.")],
                ),  # fmt: skip
            },
            "/customers/export": {
                "get": {
                    "summary": "The directory as CSV (owners; audited)",
                    "responses": {
                        "200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                        **{str(code): _response(ERRORS[code], _ref("Error")) for code in (400, 401, 403, 429)},
                    },
                },
            },
            "/customers/{customer_id}": {
                "parameters": [CUSTOMER_ID],
                "get": _operation("A customer's profile", (200, "Customer", ETAG)),
                "patch": _operation(
                    "Change some fields",
                    (200, "Customer", ETAG),
                    body="CustomerPatch",
                    errors=(403, 404, 409, 412),
                    parameters=[_parameter("If-Match", "header", "The ETag you read.")],
                ),  # fmt: skip
                "delete": _operation("Soft delete (orders are kept)", (200, "Customer", ETAG)),
            },
            "/customers/{customer_id}/restore": {
                "parameters": [CUSTOMER_ID],
                "post": _operation(
                    "Undo a soft delete", (200, "Customer", ETAG), errors=(403, 404, 409, 422), parameters=idem
                ),  # fmt: skip
            },
            "/customers/{customer_id}/orders": {
                "parameters": [CUSTOMER_ID],
                "get": _operation(
                    "Purchase history, newest first",
                    (200, "OrderPage", PAGED),
                    errors=(403, 404, 422),
                    parameters=HISTORY,
                ),  # fmt: skip
            },
            "/customers/{customer_id}/addresses": {
                "parameters": [CUSTOMER_ID],
                "get": _operation("Addresses", (200, "AddressList")),
                "post": _operation(
                    "Add an address", (201, "Address"), body="AddressInput", errors=(403, 404, 409), parameters=idem
                ),  # fmt: skip
            },
            "/customers/{customer_id}/addresses/{address_id}": {
                "parameters": [CUSTOMER_ID, _parameter("address_id", "path", "", type="integer")],
                "patch": _operation("Change an address", (200, "Address"), body="AddressInput"),
                "delete": _operation("Remove an address", (204, None)),
            },
            "/customers/{customer_id}/notes": {
                "parameters": [CUSTOMER_ID],
                "get": _operation("Notes, pinned first", (200, "NoteList")),
                "post": _operation(
                    "Add a note", (201, "Note"), body="NoteInput", errors=(403, 404, 409), parameters=idem
                ),  # fmt: skip
            },
            "/orders": {
                "post": _operation(
                    "Open a sale", (201, "Order", CREATED), body="OrderCreate", errors=(403, 404, 409), parameters=idem
                ),  # fmt: skip
            },
            "/orders/{order_id}": {
                "parameters": [ORDER_ID],
                "get": _operation("A sale", (200, "Order")),
            },
            "/orders/{order_id}/customer": {
                "parameters": [ORDER_ID],
                "post": _operation(
                    "Attach, change or detach the sale's customer",
                    (200, "Order"),
                    body="OrderCustomer",
                    errors=(403, 404, 409),
                    parameters=idem,
                ),  # fmt: skip
            },
            "/orders/{order_id}/complete": {
                "parameters": [ORDER_ID],
                "post": _operation(
                    "Complete the sale (paid)",
                    (200, "Order"),
                    body="OrderComplete",
                    errors=(403, 404, 409),
                    parameters=idem,
                ),  # fmt: skip
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {}}}}},
                },
            },
        },
    }
