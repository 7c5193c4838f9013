"""The JSON API v1: a second face on the same domain functions as the screens."""

from . import customers, docs, orders  # noqa: F401  (their routes register on bp)
from .core import bp

__all__ = ["bp"]
