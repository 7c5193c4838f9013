from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField

from domain.choices import ROLES
from web.forms import locale_choices


def _role_choices():
    return [(role, str(label)) for role, label in ROLES.items()]


def _optional_locale_choices():
    return [("", _l("Browser language")), *locale_choices()]


class StoreForm(FlaskForm):
    name = StringField(_l("Store name"), render_kw={"maxlength": 120})


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": 120, "autocomplete": "off"})
    email = EmailField(_l("Email"), render_kw={"maxlength": 254, "autocomplete": "off"})
    role = SelectField(_l("Role"), choices=_role_choices, default="cashier", validate_choice=False)
    locale = SelectField(_l("Language"), choices=_optional_locale_choices, validate_choice=False)


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Token name"), render_kw={"maxlength": 80, "autocomplete": "off"})
    user = SelectField(_l("Acts as"), validate_choice=False)

    def __init__(self, team, **kwargs):
        """`team` is the merchant's staff; only active members can be given a token."""
        super().__init__(**kwargs)
        members = [(str(member.id), f"{member.name} — {ROLES[member.role]}") for member in team if member.active]
        self.user.choices = [("", _l("Choose a staff member")), *members]
