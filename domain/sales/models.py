"""A sale order and its lines. Money is in integer minor units of the merchant's currency."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

from ..ids import uuid7
from ..types import UTCDateTime, utcnow

STATUSES = ("open", "paid", "voided", "refunded")
PAYMENT_METHODS = ("cash", "card", "wallet", "other")
RECEIPT_CHANNELS = ("email", "sms", "print", "none")


class SaleOrder(db.Model):
    __table_args__ = (
        UniqueConstraint("store_id", "business_date", "sequence"),
        # A profile's purchase history, newest first, and the counters recomputed from it.
        Index("ix_sale_order_customer", "customer_id", "paid_at"),
        # A cashier's open sale at a store.
        Index("ix_sale_order_open", "merchant_id", "store_id", "cashier_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    store_id: Mapped[int] = mapped_column(ForeignKey("store.id"))
    cashier_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    business_date: Mapped[date] = mapped_column(Date)  # in the merchant's time zone
    sequence: Mapped[int] = mapped_column(Integer)  # per store and business day
    number: Mapped[str] = mapped_column(String(32))  # what people read: 20261121-3-0007
    status: Mapped[str] = mapped_column(String(10), default="open")
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("customer.id"))
    # The customer as they were at the sale; for a walk-in, whatever the cashier noted.
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_phone: Mapped[str | None] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    payment_method: Mapped[str | None] = mapped_column(String(10))
    receipt_channel: Mapped[str | None] = mapped_column(String(8))
    receipt_destination: Mapped[str | None] = mapped_column(String(254))
    receipt_token: Mapped[str | None] = mapped_column(String(43), unique=True)
    opened_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    paid_at = mapped_column(UTCDateTime)
    closed_at = mapped_column(UTCDateTime)  # voided or refunded
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    # Loaded when used: attaching a customer or completing a sale needs none of them (the
    # order keeps its total and item count); a list that shows them asks (selectinload).
    lines: Mapped[list[OrderLine]] = relationship(order_by="OrderLine.position", cascade="all, delete-orphan")
    merchant = relationship("Merchant")
    customer = relationship("Customer", lazy="joined")
    store = relationship("Store", lazy="joined")
    cashier = relationship("StaffUser", foreign_keys=[cashier_id], lazy="joined")

    @property
    def is_walk_in(self) -> bool:
        return self.customer_id is None

    @property
    def can_register_walk_in(self) -> bool:
        """A walk-in becomes a customer from the name and phone noted on the sale."""
        return self.is_walk_in and bool(self.customer_name and self.customer_phone)

    @property
    def sends_receipt(self) -> bool:
        """Whether its receipt goes through the outbox (email or SMS), not paper or nothing."""
        return self.receipt_channel in ("email", "sms")


class OrderLine(db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("sale_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(60))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(BigInteger)

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price
