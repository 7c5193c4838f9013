"""The directory listing: filters, sort, pages and the total count, one merchant at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from extensions import db

from ..errors import Invalid
from ..sql import bound_dialect
from ..validation import whole_number
from .models import CUSTOMER_TYPES, PROFILE_LEVELS, STATUSES, Customer, CustomerTag
from .permissions import can
from .search import search
from .tags import tag_ids_named, with_tags

SORTS = {
    "name": (Customer.sort_name.asc(), Customer.id.asc()),
    "-name": (Customer.sort_name.desc(), Customer.id.desc()),
    "number": (Customer.number.asc(),),
    "-number": (Customer.number.desc(),),
    "last_visit": (Customer.last_visit_at.desc(), Customer.id.desc()),  # see _order_by for NULLs
    "total_spent": (Customer.total_spent.desc(), Customer.id.desc()),
    "created": (Customer.created_at.desc(), Customer.id.desc()),
    # The API's ascending forms (its "-" prefix asks for the descending ones above).
    "last_visit_asc": (Customer.last_visit_at.asc().nulls_last(), Customer.id.asc()),
    "total_spent_asc": (Customer.total_spent.asc(), Customer.id.asc()),
    "created_asc": (Customer.created_at.asc(), Customer.id.asc()),
}
PAGE_SIZES = (25, 50, 100)
SEARCH_FILTERS = ("phone", "email", "number", "name")
# The API's names for sorts ("-" for descending) and for the explicit searches.
API_SORTS = {
    "name": "name", "-name": "-name", "last_visit": "last_visit_asc", "-last_visit": "last_visit",
    "total_spent": "total_spent_asc", "-total_spent": "total_spent",
    "created_at": "created_asc", "-created_at": "created",
}  # fmt: skip
API_SEARCHES = {"phone": "phone", "email": "email", "customer_number": "number", "name": "name"}
# Counting a million rows costs more than the page itself: beyond this, "more than".
COUNT_LIMIT = 10_000


@dataclass
class Listing:
    """What the directory shows: every value already checked, unknown ones dropped."""

    status: str = ""
    tag: int | None = None
    customer_type: str = ""
    profile_level: str = ""
    store: int | None = None
    sort: str = "name"
    page: int = 1
    page_size: int = 25
    q: str = ""  # the search box; or one of the explicit filters below
    search_kind: str = ""  # "phone", "email", "number" or "name" when an explicit filter is used

    @classmethod
    def from_args(cls, args, actor) -> Listing:
        def number(name):
            return whole_number(args.get(name) or "")

        statuses = (*STATUSES, "deleted") if can(actor, "delete") else STATUSES
        explicit = next((kind for kind in SEARCH_FILTERS if str(args.get(kind) or "").strip()), "")
        query = str(args.get(explicit or "q") or "").strip()[:100]
        return cls(
            q=query,
            search_kind=explicit,
            status=args.get("status") if args.get("status") in statuses else "",
            tag=number("tag"),
            customer_type=args.get("customer_type") if args.get("customer_type") in CUSTOMER_TYPES else "",
            profile_level=args.get("profile_level") if args.get("profile_level") in PROFILE_LEVELS else "",
            store=number("store"),
            sort=args.get("sort") if args.get("sort") in SORTS else ("" if query else "name"),
            page=max(1, number("page") or 1),
            page_size=number("page_size") if number("page_size") in PAGE_SIZES else 25,
        )

    @classmethod
    def from_api(cls, args, actor, limit: int) -> Listing:
        """The API's query: like the directory's, but a value that cannot be used is refused
        with its parameter's message instead of dropped, and some filter is required."""
        errors: dict[str, str] = {}
        given = {name: str(args.get(name) or "").strip()[:100] for name in ("q", *API_SEARCHES) if args.get(name)}
        given = {name: value for name, value in given.items() if value}
        if len(given) > 1:
            errors[list(given)[-1]] = _("Use one of q, phone, email, customer_number or name at a time.")
        statuses = (*STATUSES, "deleted") if can(actor, "delete") else STATUSES
        status = args.get("status") or ""
        if status and status not in statuses:
            errors["status"] = _("Choose one of the listed options.")
        elif status == "deleted" and given:  # the search finds live customers only
            errors["status"] = _("Deleted customers are listed, not searched: send status=deleted alone.")
        sort = args.get("sort") or ""
        if sort and sort not in API_SORTS:
            errors["sort"] = _("Choose one of the listed options.")
        tag = _tag_named(errors, actor, args.get("tag"))
        if not (given or status or args.get("tag")):  # an unknown tag is its own error
            errors["q"] = _("Give a search (q) or at least one filter.")
        if errors:
            raise Invalid(errors)
        ((name, query),) = given.items() if given else [("q", "")]
        default_sort = "" if query else "name"
        return cls(q=query, search_kind=API_SEARCHES.get(name, ""), status=status, tag=tag,
                   sort=API_SORTS.get(sort, default_sort), page_size=limit)  # fmt: skip

    def query_args(self, **overrides) -> dict:
        """The listing as URL query arguments, without defaults, for links and the address bar."""
        values = {**self.__dict__, **overrides}
        if values.pop("search_kind"):
            values[self.search_kind] = values.pop("q")
        defaults = {**Listing().__dict__, "sort": "" if self.q else "name"}
        return {key: value for key, value in values.items() if value not in (None, "") and value != defaults.get(key)}


def _tag_named(errors: dict, actor, name) -> int | None:
    if not name:
        return None
    try:
        return tag_ids_named(actor, [name], field="tag")[0]
    except Invalid as invalid:
        errors |= invalid.errors
        return None


@dataclass
class Page:
    """A page of customers. `total` stops at COUNT_LIMIT (then `total_is_capped`), and
    `pages` is None when the total is not known exactly."""

    rows: list[Customer]
    total: int | None  # None for a search: it knows its page, not its total
    listing: Listing
    has_next: bool
    total_is_capped: bool = field(init=False)
    pages: int | None = field(init=False)

    def __post_init__(self):
        self.total_is_capped = self.total is not None and self.total > COUNT_LIMIT
        self.pages = max(1, -(-self.exact_total // self.listing.page_size)) if self.exact_total is not None else None

    @property
    def exact_total(self) -> int | None:
        """The total when it is known exactly: counted, and not beyond COUNT_LIMIT."""
        return None if self.total_is_capped else self.total


def _order_by(sort: str):
    """The sort's columns; on PostgreSQL never-visited customers must be told to come last
    (SQLite sorts NULL lowest, so DESC already puts them there)."""
    if sort == "last_visit" and bound_dialect() == "postgresql":
        return (Customer.last_visit_at.desc().nulls_last(), Customer.id.desc())
    return SORTS[sort]


def _filters(listing: Listing) -> list:
    """The listing's own filters (status, type, profile, store, tag), without tenancy or
    deletion: the search applies those itself."""
    filters = []
    if listing.status and listing.status != "deleted":
        filters.append(Customer.status == listing.status)
    if listing.customer_type:
        filters.append(Customer.customer_type == listing.customer_type)
    if listing.profile_level:
        filters.append(Customer.profile_level == listing.profile_level)
    if listing.store:
        filters.append(Customer.created_store_id == listing.store)
    if listing.tag:
        filters.append(Customer.id.in_(select(CustomerTag.customer_id).where(CustomerTag.tag_id == listing.tag)))
    return filters


def list_customers(actor, listing: Listing, offset: int | None = None) -> Page:
    """The directory page: the listing's filters and sort, or — with a search — the search's
    ranking (or the chosen sort) over the same filters. `offset` (the API's paging) replaces
    the listing's page."""
    offset = (listing.page - 1) * listing.page_size if offset is None else offset
    deleted = listing.status == "deleted"
    if listing.q and not deleted:
        return _searched(actor, listing, _filters(listing), offset)
    conditions = [
        Customer.merchant_id == actor.merchant_id,
        Customer.deleted_at.is_not(None) if deleted else Customer.deleted_at.is_(None),
        *_filters(listing),
    ]
    capped = select(Customer.id).where(*conditions).limit(COUNT_LIMIT + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(capped))
    rows = list(
        db.session.scalars(
            select(Customer)
            .where(*conditions)
            .order_by(*_order_by(listing.sort or "name"))  # the screens' box with status=deleted: by name
            .limit(listing.page_size + 1)  # one more, to know whether a next page exists
            .offset(offset)
        )
    )
    with_tags(rows)
    return Page(rows[: listing.page_size], total, listing, has_next=len(rows) > listing.page_size)


def _searched(actor, listing: Listing, filters, offset: int) -> Page:
    order = _order_by(listing.sort) if listing.sort else None
    results = search(actor, listing.q, kind=listing.search_kind or None, limit=listing.page_size, offset=offset,
                     where=filters, order_by=order)  # fmt: skip
    return Page([hit.customer for hit in results.hits], None, listing, has_next=results.has_more)
