"""First-run setup: the first merchant, its first store and its owner, in one transaction."""

from flask_babel import gettext as _

from extensions import db

from . import validation as check
from .errors import Invalid, NotFound
from .merchants import Merchant, Store, clean_merchant_fields, is_set_up
from .sessions import start_session
from .staff import StaffUser, clean_password, clean_staff_fields, create_staff


def first_setup(data: dict, *, address=None, user_agent=None) -> StaffUser:
    """Creates the merchant, store and owner, signed in (`session_token` set).

    NotFound once any merchant exists: setup is closed for good. Every field is checked
    before anything is written."""
    if is_set_up():
        raise NotFound()
    errors: dict[str, str] = {}
    try:
        merchant_fields = clean_merchant_fields(data)
    except Invalid as invalid:
        errors.update(invalid.errors)
    store_name = check.text(errors, "store_name", data.get("store_name"), max_length=120)
    owner = {
        "name": data.get("owner_name"),
        "email": data.get("owner_email"),
        "role": "owner",
        "locale": data.get("default_locale"),
    }
    password = clean_password(errors, "password", data.get("password"))
    if password != (data.get("confirm_password") or ""):
        errors.setdefault("confirm_password", _("The two passwords do not match."))
    try:
        clean_staff_fields(owner)
    except Invalid as invalid:
        errors.update({f"owner_{field}": message for field, message in invalid.errors.items()})
    if errors:
        raise Invalid(errors)

    merchant = Merchant(**merchant_fields)
    db.session.add(merchant)
    db.session.flush()
    db.session.add(Store(merchant_id=merchant.id, name=store_name))
    user = create_staff(merchant.id, owner, password, temporary=False)
    db.session.flush()
    start_session(user, address, user_agent)
    db.session.commit()
    return user
