"""Contact points, addresses and tags of a customer, and the merchant's tag list."""

from flask import abort, g, request, url_for

from domain.customers import addresses, contacts, tags
from domain.customers.permissions import require
from domain.errors import Invalid
from web.actor import current_actor
from web.forms import show_errors, status_of
from web.rendering import redirect_to, render, wants_fragment

from .forms import ContactPointForm, TagForm
from .profile import address_form, render_profile
from .routes import bp


def _contacts_tab(status=200, **extra):
    """The contacts tab after a change: its blocks for htmx, the page again otherwise."""
    if status == 200 and not wants_fragment():
        return redirect_to(url_for("customers.profile", customer_id=g.customer.id, tab="contacts"))
    return render_profile(g.customer, "contacts", status=status, **extra)


@bp.post("/<customer_id>/contact-points")
def add_contact_point():
    form = ContactPointForm()
    try:
        contacts.add_contact_point(current_actor(), g.customer.id, form.kind.data, form.value.data, form.label.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        form.value.errors = [*form.value.errors, *form.form_errors]
        form.form_errors.clear()
        return _contacts_tab(status=422, contact_form=form)
    return _contacts_tab()


@bp.post("/<customer_id>/contact-points/<int(max=2147483647):point_id>")
def change_contact_point(point_id):
    actor, action = current_actor(), request.form.get("action")
    if action not in ("primary", "remove"):
        abort(400)
    try:
        if action == "primary":
            contacts.make_primary(actor, g.customer.id, point_id)
        else:
            contacts.remove_contact_point(actor, g.customer.id, point_id)
    except Invalid as invalid:
        return _contacts_tab(status=422, problems=list(invalid.errors.values()))
    return _contacts_tab()


@bp.post("/<customer_id>/addresses")
def add_address():
    form = address_form(formdata=request.form)
    try:
        addresses.add_address(current_actor(), g.customer.id, form.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        return _contacts_tab(status=422, new_address_form=form)
    return _contacts_tab()


@bp.get("/<customer_id>/addresses/<int(max=2147483647):address_id>/edit")
def edit_address(address_id):
    require(current_actor(), "edit_addresses")
    address = next((a for a in g.customer.addresses if a.id == address_id), None)
    if address is None:
        abort(404)
    return render_profile(g.customer, "contacts", editing_address=address.id, address_form=address_form(obj=address))


@bp.post("/<customer_id>/addresses/<int(max=2147483647):address_id>")
def change_address(address_id):
    actor, action = current_actor(), request.form.get("action", "save")
    if action not in ("default", "delete", "save"):
        abort(400)
    try:
        if action == "default":
            addresses.set_default_address(actor, g.customer.id, address_id)
        elif action == "delete":
            addresses.delete_address(actor, g.customer.id, address_id)
        else:
            form = address_form(formdata=request.form)
            try:
                addresses.update_address(actor, g.customer.id, address_id, form.data)
            except Invalid as invalid:
                show_errors(form, invalid)
                return _contacts_tab(status=422, editing_address=address_id, address_form=form)
    except Invalid as invalid:
        return _contacts_tab(status=422, problems=list(invalid.errors.values()))
    return _contacts_tab()


@bp.post("/<customer_id>/tags")
def set_tags():
    tags.set_customer_tags(current_actor(), g.customer.id, request.form.getlist("tag"))
    if not wants_fragment():
        return redirect_to(url_for("customers.profile", customer_id=g.customer.id))
    return render_profile(g.customer, block="section_tags")


def _tags_page(form=None, status=200):
    actor = current_actor()
    require(actor, "manage_tags")
    return render("customers/tags.html", "tags", form=form or TagForm(formdata=None), tags=tags.list_tags(actor),
                  status=status)  # fmt: skip


@bp.get("/tags")
def tag_list():
    return _tags_page()


@bp.post("/tags")
def add_tag():
    form = TagForm()
    try:
        tags.create_tag(current_actor(), form.data)
    except Invalid as invalid:
        show_errors(form, invalid)
        return _tags_page(form, status_of(form))
    if not wants_fragment():
        return redirect_to(url_for("customers.tag_list"))
    return _tags_page()


@bp.post("/tags/<int(max=2147483647):tag_id>")
def change_tag(tag_id):
    actor = current_actor()
    if request.form.get("action") == "delete":
        tags.delete_tag(actor, tag_id)
    else:
        try:
            tags.update_tag(actor, tag_id, request.form)
        except Invalid as invalid:
            form = TagForm(formdata=None)
            form.form_errors.extend(invalid.errors.values())
            return _tags_page(form, 422)
    if not wants_fragment():
        return redirect_to(url_for("customers.tag_list"))
    return _tags_page()
