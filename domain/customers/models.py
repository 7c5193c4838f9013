"""The customer record and what hangs off it: contact points, addresses, tags, notes."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from extensions import db

from ..ids import uuid7
from ..types import UTCDateTime, key_string, utcnow
from .search_keys import phone_digits
from .search_models import NEVER

GENDERS = ("male", "female", "other", "prefer_not_to_say")
CUSTOMER_TYPES = ("retail", "wholesale")
PROFILE_LEVELS = ("stub", "full")
STATUSES = ("active", "inactive", "blocked")
RECEIPT_DELIVERIES = ("email", "sms", "print", "none")
CONTACT_CHANNELS = ("sms", "email", "phone", "none")
CONSENT_CHANNELS = ("email", "sms")
CONTACT_LABELS = ("mobile", "home", "work", "other")
ADDRESS_LABELS = ("home", "work", "other")
ADDRESS_USES = ("shipping", "billing")
TAG_COLOURS = ("grey", "red", "orange", "green", "blue", "purple")


class Customer(db.Model):
    __table_args__ = (
        UniqueConstraint("merchant_id", "customer_number"),
        # One index per directory sort, ending in the tie-breaker, so a page is read in order
        # from the index instead of sorting the merchant's whole table.
        Index("ix_customer_directory_number", "merchant_id", "number"),
        Index("ix_customer_directory_name", "merchant_id", "sort_name", "id"),
        Index("ix_customer_directory_created", "merchant_id", "created_at", "id"),
        Index("ix_customer_directory_spent", "merchant_id", "total_spent", "id"),
        # Filters: the capped count of a filtered directory reads these, not the table.
        Index("ix_customer_filter_type", "merchant_id", "customer_type"),
        Index("ix_customer_filter_status", "merchant_id", "status"),
        Index("ix_customer_filter_level", "merchant_id", "profile_level"),
        Index("ix_customer_filter_store", "merchant_id", "created_store_id"),
        # "Last visit, never-visited last": SQLite sorts NULL lowest, so a backward scan of a
        # plain index is already right; PostgreSQL needs the order spelled out in the index.
        # (`info["dialect"]` tells the migration check which one to compare.)
        Index(
            "ix_customer_directory_last_visit", "merchant_id", "last_visit_at", "id", info={"dialect": "sqlite"}
        ).ddl_if(dialect="sqlite"),
        Index(
            "ix_customer_directory_last_visit",
            "merchant_id",
            text("last_visit_at DESC NULLS LAST"),
            text("id DESC"),
            info={"dialect": "postgresql"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    number: Mapped[int] = mapped_column(Integer)  # the sequence value behind customer_number
    customer_number: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(200))
    name_kana: Mapped[str | None] = mapped_column(String(200))
    name_alt: Mapped[str | None] = mapped_column(String(200))
    sort_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(20))
    document_number: Mapped[str | None] = mapped_column(String(64))
    customer_type: Mapped[str] = mapped_column(String(16), default="retail")
    profile_level: Mapped[str] = mapped_column(String(8), default="full")
    status: Mapped[str] = mapped_column(String(10), default="active")
    status_reason: Mapped[str | None] = mapped_column(String(500))
    deleted_at = mapped_column(UTCDateTime)
    receipt_delivery: Mapped[str] = mapped_column(String(8), default="print")
    language: Mapped[str | None] = mapped_column(String(8))
    preferred_channel: Mapped[str | None] = mapped_column(String(8))
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    email_consent_at = mapped_column(UTCDateTime)
    email_consent_source: Mapped[str | None] = mapped_column(String(40))
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    sms_consent_at = mapped_column(UTCDateTime)
    sms_consent_source: Mapped[str | None] = mapped_column(String(40))
    total_spent: Mapped[int] = mapped_column(BigInteger, default=0)
    total_visits: Mapped[int] = mapped_column(Integer, default=0)
    first_visit_at = mapped_column(UTCDateTime)
    last_visit_at = mapped_column(UTCDateTime)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_store_id: Mapped[int | None] = mapped_column(ForeignKey("store.id"))
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    # Every UPDATE carries `WHERE version = <loaded>` and bumps it: a concurrent write
    # between our read and our write fails instead of being overwritten.
    __mapper_args__ = {"version_id_col": version}

    contact_points: Mapped[list[ContactPoint]] = relationship(
        back_populates="customer", order_by="ContactPoint.id", cascade="all, delete-orphan"
    )
    addresses: Mapped[list[Address]] = relationship(
        back_populates="customer", order_by="Address.id", cascade="all, delete-orphan"
    )
    tags: Mapped[list[Tag]] = relationship(secondary="customer_tag", order_by="Tag.name")
    created_by = relationship("StaffUser")
    created_store = relationship("Store")

    def consent(self, channel: str) -> bool:
        return getattr(self, f"{channel}_consent")

    @validates("merchant_id", "number", "customer_number")
    def _never_changes(self, key, value):
        current = getattr(self, key)
        if current is not None and current != value:
            raise ValueError(f"{key} of a customer never changes")
        return value


class ContactPoint(db.Model):
    """Every phone and email of a customer, primary ones included. `live` is false once the
    customer is deleted, which frees the value for someone else."""

    __table_args__ = (
        Index(
            "uq_contact_point_live_value",
            "merchant_id",
            "kind",
            "value",
            unique=True,
            sqlite_where=text("live = 1"),  # as SQLAlchemy writes `ContactPoint.live` for SQLite:
            postgresql_where=text("live"),  # a partial index serves only queries that say it alike
        ),
        Index("ix_contact_point_customer", "customer_id"),
        # Phone search: typed national digits by prefix, "last digits" by prefix of the reverse.
        # Covering (customer_id, live, last visit): "1234" ends a hundred phones at a million
        # customers and "9012" starts thousands; reading each row from the table cost a page
        # read apiece, and only the most recent visitors among them are ranked.
        Index("ix_contact_point_digits", "merchant_id", "digits", "customer_id", "live", "last_visit_at",
              sqlite_where=text("live = 1"), postgresql_where=text("live")),
        Index("ix_contact_point_digits_reversed", "merchant_id", "digits_reversed", "customer_id", "live",
              "last_visit_at", sqlite_where=text("live = 1"), postgresql_where=text("live")),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # phone, email
    value: Mapped[str] = mapped_column(key_string(254))
    label: Mapped[str] = mapped_column(String(12), default="mobile")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    live: Mapped[bool] = mapped_column(Boolean, default=True)
    digits: Mapped[str | None] = mapped_column(key_string(20))  # phones: national significant number
    digits_reversed: Mapped[str | None] = mapped_column(key_string(20))
    last_visit_at = mapped_column(UTCDateTime, default=NEVER)  # the customer's, copied (see CustomerTerm)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    customer: Mapped[Customer] = relationship(back_populates="contact_points")

    @validates("customer")
    def _customer_visit(self, _key, customer):
        """A point joining a customer takes its last visit; counters.count_sale keeps it."""
        if customer is not None:
            self.last_visit_at = customer.last_visit_at or NEVER
        return customer

    @validates("kind", "value")
    def _phone_keys(self, key, value):
        """Search keys follow the number, however and in whatever order it is set."""
        kind, number = (value, self.value) if key == "kind" else (self.kind, value)
        if kind == "phone" and number:
            self.digits, self.digits_reversed = phone_digits(number)
        return value


class Address(db.Model):
    __table_args__ = (
        Index(
            "uq_address_one_default",
            "customer_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(8), default="home")
    use: Mapped[str] = mapped_column(String(8), default="shipping")
    country: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    region: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(200))
    building: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    delivery_notes: Mapped[str | None] = mapped_column(String(500))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    customer: Mapped[Customer] = relationship(back_populates="addresses")


class Tag(db.Model):
    __table_args__ = (UniqueConstraint("merchant_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    name: Mapped[str] = mapped_column(String(40))
    colour: Mapped[str] = mapped_column(String(10), default="grey")


class CustomerTag(db.Model):
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True)


class Note(db.Model):
    __table_args__ = (Index("ix_note_customer", "customer_id", "pinned", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merchant_id: Mapped[int] = mapped_column(ForeignKey("merchant.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    body: Mapped[str] = mapped_column(Text)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    author = relationship("StaffUser")
