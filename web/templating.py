"""What every template can use: locale and direction, the session's store, formatting."""

from babel import Locale
from flask import g
from flask_babel import format_date, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from domain.choices import LOCALES, ROLES
from domain.merchants import list_stores

from .i18n import day, money, text_direction, when


def _active_stores():
    return list_stores(current_user, active_only=True) if current_user.is_authenticated else []


def context() -> dict:
    return {
        **_gettext_for(get_translations()),
        "current_locale": lambda: str(get_locale()),
        "text_direction": text_direction,
        "locales": LOCALES,
        "roles": ROLES,
        "staff_session": lambda: g.get("staff_session"),
        "active_stores": _active_stores,
    }


def _gettext_for(translations) -> dict:
    """`_`, `gettext` and `ngettext` bound to this render's catalog, as Jinja's i18n
    extension would make them ("newstyle": escaped, always %-formatted). Flask-Babel's own
    look the catalog up again on every call, which was a third of a search page's rendering."""

    @pass_context
    def gettext(context, string, **variables):
        return _filled(context, translations.ugettext(string), variables)

    @pass_context
    def ngettext(context, singular, plural, number, **variables):
        variables.setdefault("num", number)
        return _filled(context, translations.ungettext(singular, plural, number), variables)

    return {"gettext": gettext, "_": gettext, "ngettext": ngettext}


def _filled(context, text: str, variables: dict) -> str:
    return (Markup(text) if context.eval_ctx.autoescape else text) % variables


# Filters that depend on the viewer take the context: Jinja would otherwise fold
# `{{ 1234567 | money }}` into a constant the first time the template is compiled.
@pass_context
def _money(_context, minor_units, currency=None):
    return money(minor_units, currency)


@pass_context
def _when(_context, value, style="medium"):
    return when(value, style)


@pass_context
def _day(_context, value, style="medium"):
    return day(value, style)


@pass_context
def _role_label(_context, role):
    return ROLES.get(role, role)


@pass_context
def _country_name(_context, code):
    return Locale.parse(str(get_locale())).territories.get(code, code)


@pass_context
def _month(_context, value):
    """The first day of a month as its short name in the viewer's locale: Nov, 11月, thg 11."""
    return format_date(value, "MMM")


def register_templating(app) -> None:
    app.context_processor(context)
    app.add_template_filter(_money, "money")
    app.add_template_filter(_when, "when")
    app.add_template_filter(_day, "day")
    app.add_template_filter(_role_label, "role_label")
    app.add_template_filter(_country_name, "country_name")
    app.add_template_filter(_month, "month")
