"""Glue between Flask-WTF forms (rendering, CSRF) and the domain (the rules).

Forms carry no rules of their own beyond sizes: the domain validates, so the JSON API
and the HTML screens refuse the same things with the same messages.
"""

from urllib.parse import urlsplit

from babel import Locale
from flask_babel import get_locale
from markupsafe import Markup, escape
from wtforms import widgets

from domain.choices import LOCALES
from domain.errors import Invalid
from domain.merchants import COUNTRIES, CURRENCIES, PHONE_REGIONS, TIME_ZONES

# WTForms' own, kept to check ours against (tests) whatever has been installed since.
WTFORMS_HTML_PARAMS = widgets.core.html_params


def html_params(**attributes) -> Markup:
    """WTForms' `html_params` (the attributes of a rendered field or label), with the same
    output, built by plain joins: WTForms formats each attribute through `Markup.format`,
    a string.Formatter per attribute, and that was half the cost of the till's sale block
    (about thirty attributes, rendered after every open and every attach)."""
    params = []
    for key, value in sorted(attributes.items()):
        key = widgets.core.clean_key(key)
        if value is True:
            params.append(key)
        elif value is not False:
            text = str(escape(value)).replace('"', "&quot;")  # a Markup value is not escaped
            params.append(f'{escape(key)}="{text}"')
    return Markup(" ".join(params))


def use_fast_html_params() -> None:
    """Puts `html_params` everywhere WTForms looks it up: the widgets module, the package
    (labels use it from there), and the widget classes that keep their own reference."""
    widgets.core.html_params = widgets.html_params = html_params
    for widget in vars(widgets.core).values():
        if isinstance(widget, type) and "html_params" in vars(widget):
            widget.html_params = staticmethod(html_params)


def show_errors(form, invalid: Invalid) -> None:
    """Puts the domain's messages on the form's fields; unknown fields go to the form itself."""
    for name, message in invalid.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors") and field.type != "HiddenField":
            field.errors = [*field.errors, message]
        else:  # a hidden field (the version) has no place to show its message
            form.form_errors.append(message)


def status_of(form) -> int:
    """422 when the form comes back with errors (htmx is configured to swap it), else 200."""
    return 422 if form.errors or form.form_errors else 200


def safe_next(target: str | None) -> str | None:
    """A same-site path to return to, or None for anything that could leave the site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def country_choices() -> list[tuple[str, str]]:
    names = Locale.parse(str(get_locale())).territories
    return sorted(((code, names.get(code, code)) for code in COUNTRIES), key=lambda c: c[1])


def phone_region_choices() -> list[tuple[str, str]]:
    names = Locale.parse(str(get_locale())).territories
    return sorted(((code, f"{names.get(code, code)} ({code})") for code in PHONE_REGIONS), key=lambda c: c[1])


def currency_choices() -> list[tuple[str, str]]:
    names = Locale.parse(str(get_locale())).currencies
    return [(code, f"{code} — {names.get(code, code)}") for code in CURRENCIES]


def locale_choices() -> list[tuple[str, str]]:
    return list(LOCALES.items())


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in TIME_ZONES]
