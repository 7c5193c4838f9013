"""Closed sets of values, with their labels translated lazily."""

from flask_babel import lazy_gettext as _l

LOCALES = {"en": "English", "ja": "日本語", "vi": "Tiếng Việt", "ar": "العربية"}
RTL_LOCALES = {"ar"}

ROLES = {"owner": _l("Owner"), "manager": _l("Manager"), "cashier": _l("Cashier")}
