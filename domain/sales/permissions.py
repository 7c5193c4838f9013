"""What each role may do at the till and with orders (read by the domain and the screens)."""

from ..permissions import EVERYONE, MANAGERS, checks

ALLOWED = {
    "sell": EVERYONE,  # open a sale, attach or create its customer, add items, complete it
    "view_orders": EVERYONE,  # a customer's history, e.g. at the till for a return
    "close_paid": MANAGERS,  # void or refund a paid sale
    "resend_receipt": EVERYONE,
}


can, require = checks(ALLOWED)
