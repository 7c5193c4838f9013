from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField

from web.forms import (
    country_choices,
    currency_choices,
    locale_choices,
    phone_region_choices,
    time_zone_choices,
)


def _select(label, choices):
    return SelectField(label, choices=choices, validate_choice=False)


class MerchantForm(FlaskForm):
    """The brand's settings, shared by first-run setup and the owner's settings page."""

    name = StringField(_l("Business name"), render_kw={"maxlength": 120, "autocomplete": "organization"})
    country = _select(_l("Country"), country_choices)
    phone_region = _select(_l("Default phone region"), phone_region_choices)
    currency = _select(_l("Currency"), currency_choices)
    default_locale = _select(_l("Default language"), locale_choices)
    time_zone = _select(_l("Time zone"), time_zone_choices)
    customer_number_prefix = StringField(_l("Customer number prefix"), default="CUST-", render_kw={"maxlength": 12})


class SetupForm(MerchantForm):
    store_name = StringField(_l("First store"), render_kw={"maxlength": 120})
    owner_name = StringField(_l("Your name"), render_kw={"maxlength": 120, "autocomplete": "name"})
    owner_email = EmailField(_l("Your email"), render_kw={"maxlength": 254, "autocomplete": "email"})
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password", "maxlength": 128})
    confirm_password = PasswordField(_l("Repeat the password"), render_kw={"autocomplete": "new-password"})
