"""Forms of the till: rendering and CSRF only; the domain validates."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField

from blueprints.customers.labels import FIELDS

from . import labels


class LineForm(FlaskForm):
    name = StringField(_l("Item"), render_kw={"maxlength": 120, "autocomplete": "off"})
    category = StringField(_l("Category"), render_kw={"maxlength": 60, "autocomplete": "off"})
    quantity = StringField(_l("Qty"), default="1", render_kw={"inputmode": "numeric", "autocomplete": "off",
                                                             "size": 4})  # fmt: skip
    unit_price = StringField(_l("Unit price"), render_kw={"inputmode": "decimal", "autocomplete": "off"})


class QuickCreateForm(FlaskForm):
    name = StringField(FIELDS["name"], render_kw={"maxlength": 200, "autocomplete": "off"})
    phone = StringField(FIELDS["phone"], render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "off"})
    email = EmailField(_l("Email (optional)"), render_kw={"maxlength": 254, "autocomplete": "off"})


class WalkInForm(FlaskForm):
    walk_in_name = StringField(_l("Name (optional)"), render_kw={"maxlength": 200, "autocomplete": "off"})
    walk_in_phone = StringField(_l("Phone (optional)"), render_kw={"type": "tel", "inputmode": "tel",
                                                                   "autocomplete": "off"})  # fmt: skip


class CompleteForm(FlaskForm):
    payment_method = RadioField(_l("Payment"), choices=lambda: list(labels.PAYMENT_METHODS.items()),
                                default="cash", validate_choice=False)  # fmt: skip
    receipt_channel = RadioField(_l("Receipt"), choices=lambda: list(labels.RECEIPT_CHANNELS.items()),
                                 validate_choice=False)  # fmt: skip
    receipt_destination = StringField(_l("Send the receipt to"), render_kw={"autocomplete": "off"})
