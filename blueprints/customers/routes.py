"""The customer directory and profiles: full pages, and the fragments htmx asks for."""

from flask import Blueprint, abort, current_app, g, request, url_for

from blueprints.checkout import labels as sale_labels
from domain.customers import contacts, notes, records
from domain.customers import directory as directory_module
from domain.customers import search as customer_search
from domain.customers.directory import Listing, list_customers
from domain.customers.permissions import can
from domain.customers.presentation import email_for, phone_for
from domain.customers.tags import list_tags
from domain.errors import Invalid
from domain.merchants import list_stores
from web.actor import current_actor
from web.customer_facts import facts_for
from web.forms import show_errors, status_of
from web.rendering import redirect_to, render, wants_fragment

from . import labels
from .forms import SECTION_FORMS, NewCustomerForm, NoteForm
from .profile import TABS, render_profile, section_form, tab_url

bp = Blueprint("customers", __name__, url_prefix="/customers")
# A global, not a context variable, so that macros imported without the page's context
# (customers/_macros.html) can name statuses.
bp.add_app_template_global(labels, "labels")


@bp.url_value_preprocessor
def take_customer_id(endpoint, values):
    if values and "customer_id" in values:
        g.customer_id = values.pop("customer_id")


@bp.before_request
def load_customer():
    """Every /customers/<id>/… route shares one tenant-scoped load: another merchant's id
    (or a malformed one) is a 404 before the view runs. (A before_request, not the URL
    preprocessor: that one runs before the sign-in check.)"""
    if "customer_id" in g:
        g.customer = records.get_customer(current_actor(), g.customer_id, include_deleted=True)


@bp.url_defaults
def add_customer_id(endpoint, values):
    """Links from a profile to its own tabs and actions need not repeat the id."""
    if (
        "customer_id" not in values
        and "customer" in g
        and current_app.url_map.is_endpoint_expecting(endpoint, "customer_id")
    ):
        values["customer_id"] = g.customer.id


def profile_urls():
    """A function from a customer's id to their profile's address, the route built at its
    first use: a list of customers links every row to one, and url_for was a fifth of
    rendering a list of twenty (a lookup in `g` a row, a twentieth)."""
    prefix = None

    def profile_url(customer_id) -> str:
        nonlocal prefix
        if prefix is None:
            prefix = url_for("customers.profile", customer_id="")
        return f"{prefix}{customer_id}"

    return profile_url


@bp.context_processor
def helpers():
    actor = current_actor()
    return {
        "profile_url": profile_urls(),
        "can": lambda action: can(actor, action),
        "order_statuses": sale_labels.ORDER_STATUSES,
        "receipt_channels": sale_labels.RECEIPT_CHANNELS,
        "message_statuses": sale_labels.MESSAGE_STATUSES,
        "phone": lambda value: phone_for(actor, value),
        "email": lambda value: email_for(actor, value),
        "customer_facts": facts_for(actor),
    }


@bp.get("")
def directory():
    actor = current_actor()
    listing = Listing.from_args(request.args, actor)
    return render(
        "customers/directory.html",
        "results",
        page=list_customers(actor, listing),
        listing=listing,
        tags=list_tags(actor),
        stores=list_stores(actor),
        page_sizes=directory_module.PAGE_SIZES,
        count_limit=directory_module.COUNT_LIMIT,
    )


@bp.get("/search")
def search():
    """The live search's result list: a fragment for htmx (the till and the directory both
    use it), the whole page when opened directly."""
    actor = current_actor()
    query = request.args.get("q", "")
    results = customer_search.search(actor, query, listed=True)
    # From the till: each result gets an Attach button for that sale (which checks the sale).
    sale = request.args.get("sale", "")
    attach_url = url_for("checkout.attach", order_id=sale) if sale.replace("-", "").isalnum() else None
    return render("customers/search.html", "results", results=results, query=query, attach_url=attach_url)


@bp.route("/new", methods=["GET", "POST"])
def new():
    actor = current_actor()
    form, existing = NewCustomerForm(), None
    if not can(actor, "view_sensitive"):
        del form.date_of_birth, form.document_number
    if form.validate_on_submit():
        try:
            customer = records.create_customer(actor, form.data)
        except records.DuplicateContact as duplicate:
            show_errors(form, duplicate)
            existing = duplicate.existing
        except Invalid as invalid:
            show_errors(form, invalid)
        else:
            return redirect_to(url_for("customers.profile", customer_id=customer.id))
    return render("customers/new.html", "form", form=form, existing=existing, status=status_of(form))


@bp.get("/<customer_id>", defaults={"tab": "summary"})
@bp.get("/<customer_id>/<tab>")
def profile(tab):
    if tab not in TABS:
        abort(404)
    return render_profile(g.customer, tab)


@bp.get("/<customer_id>/section/<section>")
@bp.get("/<customer_id>/section/<section>/edit", defaults={"editing": True})
def section(section, editing=False):
    if section not in (*SECTION_FORMS, "tags"):
        abort(404)
    return render_profile(g.customer, editing=section if editing else None, block=f"section_{section}")


@bp.post("/<customer_id>/section/<section>")
def save_section(section):
    if section not in SECTION_FORMS:
        abort(404)
    actor, form = current_actor(), section_form(section, g.customer, formdata=request.form)
    try:
        if section == "contacts":
            contacts.update_primary_contacts(actor, g.customer.id, form.data, form.version.data)
        else:
            records.update_section(actor, g.customer.id, section, form.data, form.version.data)
    except records.StaleEdit as stale:
        form.version.data = stale.customer.version  # saving again is now a conscious choice
        return render_profile(g.customer, editing=section, form=form, stale=stale, status=409,
                              block=f"section_{section}")  # fmt: skip
    except Invalid as invalid:
        show_errors(form, invalid)
        return render_profile(g.customer, editing=section, form=form, status=422, block=f"section_{section}")
    if not wants_fragment():
        return redirect_to(tab_url(g.customer, section))
    return render_profile(g.customer, block=[f"section_{section}", "header"], saved=section, header_oob=True)


@bp.post("/<customer_id>/notes")
def add_note():
    form = NoteForm()
    try:
        notes.add_note(current_actor(), g.customer.id, form.body.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        return render_profile(g.customer, "notes", note_form=form, status=422, block="section_notes")
    return _back_to("notes", "section_notes")


@bp.post("/<customer_id>/notes/<int(max=2147483647):note_id>/pin")
def pin_note(note_id):
    notes.set_pinned(current_actor(), g.customer.id, note_id, request.form.get("pinned") == "1")
    return _back_to("notes", "section_notes")


@bp.post("/<customer_id>/delete")
def delete():
    records.delete_customer(current_actor(), g.customer.id)
    return redirect_to(url_for("customers.profile", customer_id=g.customer.id))


@bp.post("/<customer_id>/restore")
def restore():
    try:
        records.restore_customer(current_actor(), g.customer.id)
    except Invalid as invalid:
        return render_profile(g.customer, restore_problems=list(invalid.errors.values()), status=422)
    return redirect_to(url_for("customers.profile", customer_id=g.customer.id))


def _back_to(tab: str, block: str):
    """After a change: the updated block for htmx, the tab's page (POST-redirect-GET) otherwise."""
    if wants_fragment():
        return render_profile(g.customer, tab, block=block)
    return redirect_to(url_for("customers.profile", customer_id=g.customer.id, tab=tab))
