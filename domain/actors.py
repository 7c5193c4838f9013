"""Who is acting: a staff member at a store (later also a kiosk, an API token, the system).

Domain operations take an Actor explicitly, so rules and audit events never depend on
where the call came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .staff import StaffUser


@dataclass(frozen=True)
class Actor:
    user: StaffUser
    store_id: int | None = None
    kind: str = "staff"  # staff, api, kiosk, customer, system
    request_id: str | None = None
    via: str | None = None  # the API token's name, for the audit trail

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def merchant_id(self) -> int:
        return self.user.merchant_id

    @property
    def merchant(self):
        return self.user.merchant

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def name(self) -> str:
        return f"{self.user.name} ({self.via})" if self.via else self.user.name
