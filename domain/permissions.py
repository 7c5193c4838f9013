"""Role tables: each area (customers, sales) lists which roles may do what; `checks` turns a
table into the `can` the screens ask and the `require` the domain enforces."""

from .errors import Forbidden

EVERYONE = frozenset({"owner", "manager", "cashier"})
MANAGERS = frozenset({"owner", "manager"})
OWNERS = frozenset({"owner"})


def checks(allowed: dict[str, frozenset[str]]):
    """(can, require) for one table of action → roles."""

    def can(actor, action: str) -> bool:
        return actor.role in allowed[action]

    def require(actor, action: str) -> None:
        if not can(actor, action):
            raise Forbidden()

    return can, require
