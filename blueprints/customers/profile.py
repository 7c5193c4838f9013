"""The profile page: its tabs, the sections each holds, and one way to render any of them
as the whole page or as the single block htmx swaps."""

from flask import request, url_for

from domain import audit
from domain.customers.notes import list_notes
from domain.customers.permissions import can, require
from domain.customers.records import SECTION_PERMISSION
from domain.customers.tags import list_tags
from domain.errors import Invalid
from domain.merchants import list_stores
from domain.sales.history import HistoryFilters, customer_summary, purchase_history
from domain.sales.permissions import can as can_sales
from web.actor import current_actor
from web.forms import country_choices
from web.rendering import render

from .forms import SECTION_FORMS, AddressForm, ContactPointForm, NoteForm

TABS = ("summary", "purchases", "contacts", "preferences", "notes", "activity")
SECTION_TAB = {"identity": "summary", "status": "summary", "tags": "summary", "contacts": "contacts",
               "addresses": "contacts", "preferences": "preferences", "notes": "notes"}  # fmt: skip


def tab_url(customer, section: str) -> str:
    return url_for("customers.profile", customer_id=customer.id, tab=SECTION_TAB[section])


def section_form(section: str, customer, formdata=None):
    """The section's form, filled from the request or from the customer; a cashier's
    identity form has no birth date or document number (they cannot change them)."""
    form = SECTION_FORMS[section](formdata=formdata, obj=customer if formdata is None else None)
    if formdata is None:
        form.version.data = customer.version
    if section == "identity" and not can(current_actor(), "view_sensitive"):
        del form.date_of_birth, form.document_number
    return form


def address_form(formdata=None, obj=None):
    form = AddressForm(formdata=formdata, obj=obj)
    form.country.choices = country_choices()
    if obj is None and formdata is None:
        form.country.data = current_actor().merchant.country
    return form


def _tab_context(actor, customer, tab: str, whole_tab: bool) -> dict:
    """Only what the tab shows is loaded (a single section of it needs none of it)."""
    if tab == "summary" and whole_tab and can_sales(actor, "view_orders"):
        return {"summary": customer_summary(actor, customer)}
    if tab == "purchases":
        return _purchases_context(actor, customer)
    if tab == "notes":
        return {"notes": list_notes(actor, customer.id)}
    if tab == "activity":
        require(actor, "view_activity")
        return {"events": audit.events_for(actor.merchant_id, "customer", customer.id)}
    if tab == "contacts":
        return {"contact_form": ContactPointForm(formdata=None), "new_address_form": address_form()}
    return {}


def _purchases_context(actor, customer) -> dict:
    try:
        filters, problems = HistoryFilters.from_args(request.args, actor.merchant_id), {}
    except Invalid as invalid:
        filters, problems = HistoryFilters(), invalid.errors
    return {"history": purchase_history(actor, customer.id, filters), "filters": filters,
            "filter_problems": problems, "stores": list_stores(actor)}  # fmt: skip


def render_profile(customer, tab=None, *, editing=None, form=None, block=None, status=200, **extra):
    """The profile (or one block of it). The tab defaults to the one holding the section
    being edited or rendered, so that section's context is loaded."""
    actor = current_actor()
    first_block = block if isinstance(block, str) else (block or [""])[0]
    section = editing or first_block.removeprefix("section_")
    tab = tab or SECTION_TAB.get(section, "summary")
    if editing:  # an edit form shows full values: only for those who may save it
        require(actor, SECTION_PERMISSION[editing])
    if editing in SECTION_FORMS and form is None:
        form = section_form(editing, customer)
    context = {
        "customer": customer,
        "tab": tab,
        "tabs": [t for t in TABS if t != "activity" or can(actor, "view_activity")],
        "editing": editing,
        "form": form,
        "note_form": extra.pop("note_form", None) or NoteForm(formdata=None),
        "all_tags": list_tags(actor) if editing == "tags" else [],
        **_tab_context(actor, customer, tab, whole_tab=block in (None, "tab_panel")),
        **extra,
    }
    if context.get("filter_problems"):
        status = 422  # the history's filters were refused; the tab says which and why
    return render("customers/profile.html", block or "tab_panel", status=status, **context)
