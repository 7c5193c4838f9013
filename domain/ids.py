"""Time-ordered UUIDs (the version 7 layout): new rows land at the end of the primary-key
index instead of at random pages, which keeps inserts fast on SQLite and PostgreSQL."""

import os
import time
import uuid
from datetime import datetime


def uuid7(at: datetime | None = None, random_bits: int | None = None) -> uuid.UUID:
    """48 bits of Unix milliseconds, then random bits (given, for deterministic data)."""
    millis = int((at.timestamp() if at else time.time()) * 1000) & ((1 << 48) - 1)
    bits = random_bits if random_bits is not None else int.from_bytes(os.urandom(10), "big")
    rand_a, rand_b = (bits >> 62) & 0xFFF, bits & ((1 << 62) - 1)
    return uuid.UUID(int=(millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b)
