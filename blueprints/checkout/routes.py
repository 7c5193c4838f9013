"""The till: one sale on screen with its customer, items and payment. Every change answers
with the parts of the sale it changed, so the screen always shows the customer, items and
total the order now has."""

from flask import Blueprint, request, url_for
from flask_babel import get_locale

from domain import outbox
from domain.customers import records
from domain.errors import Invalid
from domain.sales import orders, receipts
from web.actor import current_actor
from web.forms import show_errors
from web.outbox import send_soon
from web.rendering import redirect_to, render, wants_fragment

from .context import sale_context
from .forms import CompleteForm, LineForm, QuickCreateForm, WalkInForm

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
bp.context_processor(sale_context)


@bp.get("")
def till():
    """The cashier's open sale, or a button to start one."""
    sale = orders.current_sale(current_actor())
    if sale is not None:
        return redirect_to(url_for("checkout.sale", order_id=sale.id))
    return render("checkout/start.html")


@bp.post("/sales")
def start():
    try:
        sale = orders.open_sale(current_actor())
    except Invalid as invalid:
        return render("checkout/start.html", refusals=list(invalid.errors.values()), status=422)
    if not wants_fragment():
        return redirect_to(url_for("checkout.sale", order_id=sale.id))
    response = render_sale(sale, focus="search")  # "Next sale": one request, not a redirect and a page
    response.headers["HX-Push-Url"] = url_for("checkout.sale", order_id=sale.id)
    return response


@bp.get("/sales/<order_id>")
def sale(order_id):
    order = orders.get_order(current_actor(), order_id)
    return render_sale(order, focus="search" if order.customer_id is None else "item")


@bp.post("/sales/<order_id>/customer")
def attach(order_id):
    order = orders.attach_customer(current_actor(), order_id, request.form.get("customer_id"))
    return render_sale(order, focus="item", parts=["customer", "receipt_channels"])


@bp.post("/sales/<order_id>/customer/remove")
def detach(order_id):
    return render_sale(orders.detach_customer(current_actor(), order_id), focus="search")


@bp.post("/sales/<order_id>/quick-create")
def quick_create(order_id):
    actor, form = current_actor(), QuickCreateForm()
    try:
        order = orders.quick_create(actor, order_id, form.data)
    except records.DuplicateContact as duplicate:
        show_errors(form, duplicate)
        order = orders.get_order(actor, order_id)
        return render_sale(order, quick_form=form, existing=duplicate.existing, status=409, focus="existing")
    except Invalid as invalid:
        show_errors(form, invalid)
        return render_sale(orders.get_order(actor, order_id), quick_form=form, status=422, focus="quick")
    return render_sale(order, focus="item")


@bp.post("/sales/<order_id>/walk-in")
def walk_in(order_id):
    actor, form = current_actor(), WalkInForm()
    try:
        order = orders.note_walk_in(actor, order_id, form.walk_in_name.data, form.walk_in_phone.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        return render_sale(orders.get_order(actor, order_id), walk_in_form=form, status=422, focus="walk_in")
    return render_sale(order, focus="item")


@bp.post("/sales/<order_id>/lines")
def add_line(order_id):
    actor, form = current_actor(), LineForm()
    try:
        order, line = orders.add_line(actor, order_id, form.data, str(get_locale()))
    except Invalid as invalid:
        show_errors(form, invalid)
        return render_items(orders.get_order(actor, order_id), line_form=form, status=422)
    if wants_fragment() and request.htmx.target == "lines":  # the till's clean form appends the row
        return render("checkout/_line_added.html", order=order, line=line)
    return render_items(order)


@bp.post("/sales/<order_id>/lines/<int(max=2147483647):line_id>/remove")
def remove_line(order_id, line_id):
    return render_items(orders.remove_line(current_actor(), order_id, line_id))


@bp.post("/sales/<order_id>/complete")
def complete(order_id):
    actor, form = current_actor(), CompleteForm()
    try:
        order = orders.complete_sale(actor, order_id, form.payment_method.data, form.receipt_channel.data or None,
                                     form.receipt_destination.data)  # fmt: skip
    except Invalid as invalid:
        show_errors(form, invalid)
        return render_sale(orders.get_order(actor, order_id), complete_form=form, status=422, focus="pay")
    send_soon(order)
    return render_sale(order, focus="next")


@bp.post("/sales/<order_id>/cancel")
def cancel(order_id):
    orders.void_sale(current_actor(), order_id)
    return redirect_to(url_for("checkout.till"))


def render_items(order, *, line_form=None, status=200):
    """After an item changes: the items section and, out of band, the total; the customer
    and payment parts of the screen stay as they are (the whole sale without htmx). The
    section replaces itself whatever the request aimed at (a refused item was aimed at
    the rows, to append to them)."""
    if not wants_fragment():
        return render_sale(order, focus="item", line_form=line_form, status=status)
    response = render("checkout/sale.html", ["items", "total"], status=status, order=order, total_oob=True,
                      line_form=line_form or LineForm(formdata=None))  # fmt: skip
    response.headers.update({"HX-Retarget": "#items", "HX-Reswap": "outerHTML"})
    return response


def render_sale(order, *, focus=None, status=200, parts="sale", **forms):
    """The sale page, or for htmx the `parts` of it that changed (by default the whole
    `sale` block; an attach changes only the customer and, out of band, the receipt's
    default). `focus` names the field the cashier goes on with (the search, the next item,
    the payment), marked for the keyboard script."""
    customer = order.customer
    if order.status == "open":
        forms = _open_sale_forms(customer, forms, whole=parts == "sale" or not wants_fragment())
    return render(
        "checkout/sale.html",
        parts,
        status=status,
        order=order,
        customer=customer,
        focus=focus,
        receipt_oob=parts != "sale" and wants_fragment(),
        messages=outbox.messages_for(order.merchant_id, order.id) if order.sends_receipt else [],
        **forms,
    )


def _open_sale_forms(customer, given: dict, *, whole: bool) -> dict:
    """The forms an open sale shows, blank unless `given` (coming back with errors): all of
    them on the `whole` sale, else (an attach) the payment's, whose receipt choice follows
    the customer. A closed sale's screen shows none."""
    complete_form = given.get("complete_form") or CompleteForm(formdata=None)
    if complete_form.receipt_channel.data is None:
        complete_form.receipt_channel.data = receipts.default_channel(customer)
    forms = {**given, "complete_form": complete_form}
    if whole:
        for name, blank in (("line_form", LineForm), ("quick_form", QuickCreateForm), ("walk_in_form", WalkInForm)):
            forms[name] = given.get(name) or blank(formdata=None)
    return forms
