from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), render_kw={"autocomplete": "username", "maxlength": 254, "autofocus": True})
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "current-password", "maxlength": 128})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), render_kw={"autocomplete": "new-password", "maxlength": 128})
    confirm_password = PasswordField(_l("Repeat the new password"), render_kw={"autocomplete": "new-password"})
