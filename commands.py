"""Command-line tools: `flask --app app demo` and the translation workflow."""

import subprocess
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

ROOT = Path(__file__).parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"


@click.command()
@click.option("--customers", type=click.IntRange(min=0), default=0, help="Add this many demo customers.")
@click.option("--other-customers", type=click.IntRange(min=0), default=0, help="And this many to the second merchant.")
@click.option(
    "--orders-per-customer",
    type=click.FloatRange(min=0, max=50),
    default=5.0,
    show_default=True,
    help="About this many orders each, over the last two years.",
)
@with_appcontext
def demo(customers, other_customers, orders_per_customer):
    """Create the demo merchants and their staff; print `role email password` per user.

    With --customers N, also add N realistic customers to the first demo merchant, each
    with purchase history (counters computed from it)."""
    from domain.demo import demo_password, ensure_demo
    from domain.demo_customers import add_demo_customers

    merchants = ensure_demo()
    for merchant, staff in merchants:
        click.echo(merchant.name)
        for user in staff:
            click.echo(f"{user.role} {user.email} {demo_password(user.role)}")
    for (merchant, _staff), count in zip(merchants, (customers, other_customers), strict=False):
        if count:
            report = lambda done, count=count: click.echo(f"  {done:,} / {count:,} customers", err=True)  # noqa: E731
            add_demo_customers(merchant, count, progress=report, orders_per_customer=orders_per_customer)
            click.echo(f"Added {count} customers to {merchant.name}", err=True)


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@click.group()
def translate():
    """Translation workflow: extract and update the catalogs, then compile them."""


@translate.command()
def update():
    """Extract every message from code and templates and merge it into each catalog."""
    keywords = ["-k", "_l", "-k", "lazy_pgettext:1c,2"]
    _pybabel("extract", "-F", "babel.cfg", *keywords, "--no-location", "--sort-output", "-o", str(POT), ".")
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command()
def compile():
    """Compile the catalogs (the app also does this at start when a .po is newer)."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


@click.group()
def customers():
    """Customer maintenance."""


@customers.command()
@with_appcontext
def reindex():
    """Rebuild every merchant's search keys (after a bulk import, or to repair)."""
    from domain.customers.search_index import reindex_merchant
    from domain.merchants import Merchant
    from extensions import db

    for merchant in db.session.query(Merchant).order_by(Merchant.id):
        click.echo(f"{merchant.name}: {reindex_merchant(merchant.id):,} customers indexed")


@customers.command()
@click.option("--check", is_flag=True, help="Only report drift; change nothing (exit status 1 when there is some).")
@click.option("--merchant", "merchant_id", type=int, help="One merchant only (default: all).")
@with_appcontext
def recompute(check, merchant_id):
    """Recompute every customer's total spent, visits and first/last visit from their orders
    and report drift; without --check, repair it."""
    from domain.sales import counters

    drift = counters.find_drift(merchant_id, limit=20)
    for row in drift:
        click.echo(
            f"{row.customer_number}: stored {_counter_text(row.stored)}, orders say {_counter_text(row.recomputed)}"
        )
    if check:
        click.echo("No drift." if not drift else "Drift found (first 20 shown).")
        raise SystemExit(1 if drift else 0)
    click.echo(f"Repaired {counters.repair(merchant_id):,} customers.")


def _counter_text(values) -> str:
    spent, visits, first, last = values
    return f"spent={spent} visits={visits} first={first} last={last}"


@click.group()
def outbox():
    """Receipts waiting to be sent: the sender runs here, beside the web workers."""


@outbox.command()
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Seconds between looks at the outbox.",
)
@with_appcontext
def run(once, interval):
    """Send due messages (first tries and retries), recording every attempt."""
    import time

    from flask import current_app

    from domain import outbox as messages
    from domain.transports import transports_from
    from extensions import db

    transports = transports_from(current_app.config)
    while True:
        outcomes = messages.deliver_due(transports)
        db.session.remove()  # each round reads the outbox and its orders afresh
        if outcomes:
            click.echo(", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items())))
        if once:
            return
        time.sleep(interval)


@click.group("api-token")
def api_token():
    """API tokens for integrations (owners can also issue them under Settings)."""


@api_token.command()
@click.option("--email", required=True, help="The staff member the token acts as, with their role.")
@click.option("--name", required=True, help="What the token is for, e.g. the system that will use it.")
@with_appcontext
def create(email, name):
    """Issue a token and print only its secret, so a script can capture it; it is not kept."""
    from sqlalchemy import select

    from domain import api_tokens
    from domain.errors import Invalid
    from domain.staff import StaffUser
    from extensions import db

    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No staff member has the email {email}.")
    try:
        _token, secret = api_tokens.issue(user, name)
    except Invalid as invalid:
        raise click.ClickException(" ".join(invalid.errors.values())) from None
    click.echo(secret)
