"""What tells two customers apart at a glance, as the viewer reads it: number, phone
(masked for cashiers), visits and last visit.

Built in Python, not by a template macro: a result list shows twenty customers, and the
macro's four template calls a row were two thirds of rendering the list.
"""

from flask_babel import get_locale, get_timezone, get_translations

from domain.customers.presentation import phone_for

from .i18n import local_day


def facts_for(actor):
    """A function from a customer to its facts, with the viewer's catalog, locale and time
    zone looked up once (a list calls it once a row)."""
    translations = get_translations()
    _, ngettext = translations.ugettext, translations.ungettext
    locale, zone = str(get_locale()), str(get_timezone())

    def facts(customer) -> list[str]:
        shown = [customer.customer_number]
        if customer.phone:
            shown.append(phone_for(actor, customer.phone))
        visits = customer.total_visits
        shown.append(ngettext("%(num)d visit", "%(num)d visits", visits) % {"num": visits})
        if customer.last_visit_at:
            shown.append(_("Last visit %(date)s") % {"date": local_day(customer.last_visit_at, zone, locale)})
        else:
            shown.append(_("No visits yet"))
        return shown

    return facts
