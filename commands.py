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
@click.option("--with-visits", is_flag=True, help="Give customers synthetic visit history (benchmarks).")
@with_appcontext
def demo(customers, other_customers, with_visits):
    """Create the demo merchants and their staff; print `role email password` per user.

    With --customers N, also add N realistic customers to the first demo merchant."""
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
            add_demo_customers(merchant, count, progress=report, visits=with_visits)
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
