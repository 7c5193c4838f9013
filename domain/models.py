"""Every model, imported in one place so migrations and tests see the whole schema."""

from .api_tokens import ApiToken
from .audit import AuditEvent
from .customers.models import Address, ContactPoint, Customer, CustomerTag, Note, Tag
from .customers.search_models import CustomerTerm, NameVocabulary
from .idempotency import IdempotentRequest
from .merchants import Merchant, Store
from .outbox import DeliveryAttempt, OutboxMessage
from .ratelimit import RateCounter
from .sales.models import OrderLine, SaleOrder
from .sequences import MerchantSequence
from .sessions import StaffSession
from .staff import StaffUser

__all__ = [
    "Address",
    "ApiToken",
    "AuditEvent",
    "ContactPoint",
    "Customer",
    "CustomerTag",
    "CustomerTerm",
    "DeliveryAttempt",
    "IdempotentRequest",
    "Merchant",
    "MerchantSequence",
    "NameVocabulary",
    "Note",
    "OrderLine",
    "OutboxMessage",
    "RateCounter",
    "SaleOrder",
    "StaffSession",
    "StaffUser",
    "Store",
    "Tag",
]
