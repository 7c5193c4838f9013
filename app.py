"""The application factory: configure, bind extensions, register the pieces. Nothing else."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import from_environment


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(from_environment(app.instance_path))
    app.config.update(config or {})
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    import domain.models  # noqa: F401  (registers every table)
    from domain import outbox
    from domain.database import configure_engine
    from extensions import babel, csrf, db, htmx, login_manager, migrate
    from web.forms import use_fast_html_params
    from web.i18n import compile_catalogs, select_locale, select_timezone
    from web.receipts import compose_receipt
    from web.security import add_security_headers, refuse_nul_characters
    from web.templating import register_templating

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    compile_catalogs(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)
    use_fast_html_params()
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row is the protection
    register_templating(app)
    outbox.composers["receipt"] = compose_receipt
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    if app.config["PROXY_COUNT"]:
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app: Flask) -> None:
    import blueprints.customers.details  # noqa: F401  (routes on the customers blueprint)
    from blueprints.api import bp as api
    from blueprints.auth.routes import bp as auth
    from blueprints.checkout.routes import bp as checkout
    from blueprints.customers.routes import bp as customers
    from blueprints.main.routes import bp as main
    from blueprints.orders.routes import bp as orders
    from blueprints.settings.routes import bp as settings
    from blueprints.setup.routes import bp as setup
    from extensions import csrf
    from web.guards import check_access

    app.before_request(check_access)
    for blueprint in (main, setup, auth, settings, customers, checkout, orders, api):
        app.register_blueprint(blueprint)
    csrf.exempt(api)  # no cookies: a bearer token cannot be sent by another site's form


def register_errorhandlers(app: Flask) -> None:
    from web.errors import register_errorhandlers as register

    register(app)


def register_cli(app: Flask) -> None:
    from commands import api_token, customers, demo, outbox, translate

    for command in (demo, translate, customers, outbox, api_token):
        app.cli.add_command(command)
