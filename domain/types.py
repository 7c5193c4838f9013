"""Column types and clock helpers shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: SQLite keeps no time zone, PostgreSQL would
    otherwise convert to the server's."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


def key_string(length: int):
    """A string compared by byte order on PostgreSQL too (COLLATE "C"): search keys are
    matched by ranges (`>= prefix AND < next`), which equal "starts with" only under byte
    order, not under a linguistic collation such as en_US. SQLite already compares bytes."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")
