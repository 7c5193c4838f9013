"""Every model, imported in one place so migrations and tests see the whole schema."""

from .merchants import Merchant, Store
from .ratelimit import RateCounter
from .sessions import StaffSession
from .staff import StaffUser

__all__ = ["Merchant", "RateCounter", "StaffSession", "StaffUser", "Store"]
