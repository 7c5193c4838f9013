"""Forms for the customer screens: rendering and CSRF only; the domain validates."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TextAreaField

from domain.choices import LOCALES

from . import labels


def _select(label, values, blank=None, **kwargs):
    return SelectField(label, choices=lambda: labels.choices(values, blank), validate_choice=False, **kwargs)


def _language():
    return SelectField(
        labels.FIELDS["language"],
        choices=lambda: [("", str(_l("Not chosen"))), *LOCALES.items()],
        validate_choice=False,
    )


class IdentityForm(FlaskForm):
    version = HiddenField()
    name = StringField(labels.FIELDS["name"], render_kw={"maxlength": 200, "autocomplete": "off"})
    name_kana = StringField(labels.FIELDS["name_kana"], render_kw={"maxlength": 200, "lang": "ja"})
    name_alt = StringField(labels.FIELDS["name_alt"], render_kw={"maxlength": 200})
    date_of_birth = StringField(labels.FIELDS["date_of_birth"], render_kw={"type": "date"})
    gender = _select(labels.FIELDS["gender"], labels.GENDERS, blank=_l("Not given"))
    document_number = StringField(labels.FIELDS["document_number"], render_kw={"maxlength": 64})
    customer_type = _select(labels.FIELDS["customer_type"], labels.CUSTOMER_TYPES)


class ContactsForm(FlaskForm):
    version = HiddenField()
    phone = StringField(labels.FIELDS["phone"], render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "off"})
    email = EmailField(labels.FIELDS["email"], render_kw={"maxlength": 254, "autocomplete": "off"})


class PreferencesForm(FlaskForm):
    version = HiddenField()
    receipt_delivery = _select(labels.FIELDS["receipt_delivery"], labels.RECEIPT_DELIVERIES, default="print")
    language = _language()
    preferred_channel = _select(labels.FIELDS["preferred_channel"], labels.CONTACT_CHANNELS, blank=_l("Not chosen"))
    email_consent = BooleanField(_l("Agrees to marketing by email"))
    sms_consent = BooleanField(_l("Agrees to marketing by SMS"))


class StatusForm(FlaskForm):
    version = HiddenField()
    status = _select(labels.FIELDS["status"], {k: v for k, v in labels.STATUSES.items() if k != "deleted"})
    status_reason = StringField(labels.FIELDS["status_reason"], render_kw={"maxlength": 500})


class NewCustomerForm(FlaskForm):
    name = IdentityForm.name
    name_kana = IdentityForm.name_kana
    name_alt = IdentityForm.name_alt
    phone = ContactsForm.phone
    email = ContactsForm.email
    date_of_birth = IdentityForm.date_of_birth
    gender = IdentityForm.gender
    document_number = IdentityForm.document_number
    customer_type = IdentityForm.customer_type
    receipt_delivery = PreferencesForm.receipt_delivery
    language = _language()


class ContactPointForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=lambda: [("phone", str(_l("Phone"))), ("email", str(_l("Email")))],
                       validate_choice=False)  # fmt: skip
    value = StringField(_l("Phone or email"), render_kw={"maxlength": 254, "autocomplete": "off"})
    label = _select(_l("Label"), labels.CONTACT_LABELS)


class AddressForm(FlaskForm):
    label = _select(_l("Label"), labels.ADDRESS_LABELS)
    use = _select(_l("Use"), labels.ADDRESS_USES)
    country = SelectField(_l("Country"), validate_choice=False)
    postal_code = StringField(_l("Postal code"), render_kw={"maxlength": 20, "autocomplete": "off"})
    region = StringField(_l("Prefecture / state / region"), render_kw={"maxlength": 100})
    city = StringField(_l("City"), render_kw={"maxlength": 100})
    street = StringField(_l("Street and number"), render_kw={"maxlength": 200})
    building = StringField(_l("Building, floor, room"), render_kw={"maxlength": 200})
    latitude = StringField(_l("Latitude"), render_kw={"inputmode": "decimal"})
    longitude = StringField(_l("Longitude"), render_kw={"inputmode": "decimal"})
    delivery_notes = StringField(_l("Delivery notes"), render_kw={"maxlength": 500})
    is_default = BooleanField(_l("Default address"))


class NoteForm(FlaskForm):
    body = TextAreaField(_l("New note"), render_kw={"maxlength": 2000, "rows": 3})


class TagForm(FlaskForm):
    name = StringField(_l("Tag name"), render_kw={"maxlength": 40})
    colour = _select(_l("Colour"), labels.TAG_COLOURS)


SECTION_FORMS = {
    "identity": IdentityForm,
    "contacts": ContactsForm,
    "preferences": PreferencesForm,
    "status": StatusForm,
}
