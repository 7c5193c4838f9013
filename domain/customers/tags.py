"""Tags: defined per merchant (name and colour), assigned to customers."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db

from .. import validation as check
from ..errors import Invalid
from ..tenancy import get_scoped, scoped
from .models import TAG_COLOURS, Customer, CustomerTag, Tag
from .permissions import require
from .records import locked_customer, save_changes


def list_tags(actor) -> list[Tag]:
    return list(db.session.scalars(scoped(Tag, actor.merchant_id).order_by(Tag.name)))


def _clean(data: dict) -> dict:
    errors: dict[str, str] = {}
    values = {
        "name": check.text(errors, "name", data.get("name"), max_length=40),
        "colour": check.choice(errors, "colour", data.get("colour") or "grey", TAG_COLOURS),
    }
    if errors:
        raise Invalid(errors)
    return values


def _save(tag: Tag) -> Tag:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Invalid({"name": _("A tag with this name already exists.")}) from None
    return tag


def create_tag(actor, data: dict) -> Tag:
    require(actor, "manage_tags")
    tag = Tag(merchant_id=actor.merchant_id, **_clean(data))
    db.session.add(tag)
    return _save(tag)


def update_tag(actor, tag_id, data: dict) -> Tag:
    require(actor, "manage_tags")
    tag = get_scoped(Tag, tag_id, actor.merchant_id)
    for field, value in _clean(data).items():
        setattr(tag, field, value)
    return _save(tag)


def delete_tag(actor, tag_id) -> None:
    require(actor, "manage_tags")
    db.session.delete(get_scoped(Tag, tag_id, actor.merchant_id))
    db.session.commit()


def tag_ids_named(actor, names, field: str = "tags") -> list[int]:
    """The ids of the merchant's tags with these names (the API names tags, the screens pick
    ids); a name that is no tag is refused under `field`."""
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise Invalid({field: _("Give a list of tag names.")})
    query = scoped(Tag, actor.merchant_id).where(Tag.name.in_(names))
    found = {tag.name: tag.id for tag in db.session.scalars(query)}
    if unknown := [name for name in names if name not in found]:
        raise Invalid({field: _("There is no tag named %(name)s.", name=unknown[0])})
    return [found[name] for name in names]


def set_customer_tags(actor, customer_id, tag_ids) -> None:
    """Replaces the customer's tags; ids of another merchant's tags are not found."""
    require(actor, "manage_tags")
    wanted = {check.whole_number(i) for i in tag_ids}
    tags = list(db.session.scalars(scoped(Tag, actor.merchant_id).where(Tag.id.in_(wanted - {None}))))
    if len(tags) != len(wanted):
        raise Invalid({"tags": _("Choose one of the listed options.")})
    customer = locked_customer(actor, customer_id)
    before, after = sorted(tag.name for tag in customer.tags), sorted(tag.name for tag in tags)
    customer.tags = sorted(tags, key=lambda tag: tag.name)
    if before != after:
        save_changes(actor, customer, {"tags": [before, after]}, "customer.tags_changed")


def with_tags(customers: list) -> None:
    """Loads the tags of many customers in one query (a page of search results shows them);
    cheaper than the ORM's own eager loading, which builds its query on every call."""
    if not customers:
        return
    by_customer = {customer.id: [] for customer in customers}
    for customer_id, tag in db.session.execute(_TAGS_OF, {"customers": list(by_customer)}):
        by_customer[customer_id].append(tag)
    for customer in customers:
        set_committed_value(customer, "tags", by_customer[customer.id])


def tags_joined(customers_query, *shown):
    """A query of (customer, …) rows with each customer's tags joined as last columns,
    `shown` (Tag, or some of its columns): one row per tag, or one whose tag is None (see
    `with_joined_tags`)."""
    return (customers_query.add_columns(*shown).outerjoin(CustomerTag, CustomerTag.customer_id == Customer.id)
            .outerjoin(Tag, Tag.id == CustomerTag.tag_id))  # fmt: skip


def grouped_by_customer(rows, shown: int = 1) -> list[tuple[tuple, list[tuple]]]:
    """The rows of a `tags_joined` query once per customer, in their order: (the row without
    its `shown` tag columns, those columns of each of the customer's tags). A row's first
    column is the customer (an entity, or its id); a customer's rows come in a run."""
    found: dict = {}
    for row in rows:
        head, tag = tuple(row[:-shown]), tuple(row[-shown:])
        entry = found.setdefault(head[0], (head, []))
        if tag[0] is not None:
            entry[1].append(tag)
    return list(found.values())


def with_joined_tags(rows) -> list:
    """(customer, …) rows, once per customer in their order, with the customers' tags
    loaded from the rows of a `tags_joined` query of whole Tags."""
    grouped = grouped_by_customer(rows)
    for row, tags in grouped:
        set_committed_value(row[0], "tags", [tag for (tag,) in tags])
    return [row for row, _tags in grouped]


_TAGS_OF = (
    select(CustomerTag.customer_id, Tag)
    .join(Tag, Tag.id == CustomerTag.tag_id)
    .where(CustomerTag.customer_id.in_(bindparam("customers", expanding=True)))
    .order_by(Tag.name)
)
