"""Records as the API shows them: plain JSON, contact data masked for roles that may not see it."""

from __future__ import annotations

from domain.customers.permissions import can
from domain.customers.presentation import email_for, phone_for


def _time(value):
    return value.isoformat() if value is not None else None


def customer(actor, record, *, with_addresses: bool = False) -> dict:
    full = can(actor, "view_sensitive")
    data = {
        "id": str(record.id),
        "customer_number": record.customer_number,
        "name": record.name,
        "name_kana": record.name_kana,
        "name_alt": record.name_alt,
        "phone": phone_for(actor, record.phone, formatted=False) or None,
        "email": email_for(actor, record.email) or None,
        "date_of_birth": _time(record.date_of_birth) if full else None,
        "gender": record.gender,
        "document_number": record.document_number if full else None,
        "customer_type": record.customer_type,
        "profile_level": record.profile_level,
        "status": record.status,
        "status_reason": record.status_reason,
        "receipt_delivery": record.receipt_delivery,
        "language": record.language,
        "preferred_channel": record.preferred_channel,
        "email_consent": record.email_consent,
        "sms_consent": record.sms_consent,
        "tags": [tag.name for tag in record.tags],
        "currency": actor.merchant.currency,
        "total_spent": record.total_spent,
        "total_visits": record.total_visits,
        "first_visit_at": _time(record.first_visit_at),
        "last_visit_at": _time(record.last_visit_at),
        "created_at": _time(record.created_at),
        "deleted_at": _time(record.deleted_at),
        "version": record.version,
    }
    if with_addresses:
        data["addresses"] = [address(item) for item in record.addresses] if full else []
    return data


def address(record) -> dict:
    fields = ("label", "use", "country", "postal_code", "region", "city", "street", "building", "latitude",
              "longitude", "delivery_notes", "is_default")  # fmt: skip
    return {"id": record.id, **{field: getattr(record, field) for field in fields}}


def note(record) -> dict:
    author = record.author.name if record.author else None
    return {"id": record.id, "body": record.body, "pinned": record.pinned, "author": author,
            "created_at": _time(record.created_at)}  # fmt: skip


def order(actor, record) -> dict:
    attached = record.customer
    return {
        "id": str(record.id),
        "number": record.number,
        "store_id": record.store_id,
        "status": record.status,
        "customer": {"id": str(attached.id), "customer_number": attached.customer_number, "name": attached.name}
        if attached
        else None,
        "customer_name": record.customer_name,
        "currency": record.currency,
        "total": record.total,
        "item_count": record.item_count,
        "lines": [
            {
                "id": line.id,
                "name": line.name,
                "category": line.category,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
            }
            for line in record.lines
        ],  # fmt: skip
        "payment_method": record.payment_method,
        "receipt_channel": record.receipt_channel,
        "opened_at": _time(record.opened_at),
        "paid_at": _time(record.paid_at),
        "closed_at": _time(record.closed_at),
        "version": record.version,
    }
