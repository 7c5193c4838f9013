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
@with_appcontext
def demo():
    """Create the demo merchants and their staff; print `role email password` per user."""
    from domain.demo import demo_password, ensure_demo

    for merchant, staff in ensure_demo():
        click.echo(merchant.name)
        for user in staff:
            click.echo(f"{user.role} {user.email} {demo_password(user.role)}")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@click.group()
def translate():
    """Translation workflow: extract and update the catalogs, then compile them."""


@translate.command()
def update():
    """Extract every message from code and templates and merge it into each catalog."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output", "-o", str(POT), ".")
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command()
def compile():
    """Compile the catalogs (the app also does this at start when a .po is newer)."""
    _pybabel("compile", "-d", str(TRANSLATIONS))
