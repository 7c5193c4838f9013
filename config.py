"""Configuration from the environment, with safe defaults for local use.

Production (`REGULARS_ENV=production`) refuses to start without `SECRET_KEY` and
`DATABASE_URL`; locally the secret key is generated once and kept in `instance/`.
"""

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    pass


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _local_secret_key(instance: Path) -> str:
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url_from(value: str) -> str:
    """Accept the `postgres://` and `postgresql://` spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    production = os.environ.get("REGULARS_ENV", "development") == "production"
    secret_key = os.environ.get("SECRET_KEY")
    database_url = os.environ.get("DATABASE_URL")
    if production and not (secret_key and database_url):
        raise ConfigError("Production needs SECRET_KEY and DATABASE_URL in the environment.")
    return {
        "PRODUCTION": production,
        "SECRET_KEY": secret_key or _local_secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url_from(database_url or f"sqlite:///{instance / 'regulars.db'}"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("COOKIE_SECURE", production),
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int("SESSION_MAX_HOURS", 12),
        "LOGIN_LIMIT_PER_ACCOUNT": _int("LOGIN_LIMIT_PER_ACCOUNT", 5),
        "LOGIN_LIMIT_PER_ADDRESS": _int("LOGIN_LIMIT_PER_ADDRESS", 30),
        "LOGIN_LIMIT_WINDOW_MINUTES": _int("LOGIN_LIMIT_WINDOW_MINUTES", 15),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "API_RATE_LIMIT_PER_MINUTE": _int("API_RATE_LIMIT_PER_MINUTE", 600),  # per token
        # How many reverse proxies set X-Forwarded-For/-Proto in front of the app: the
        # client address drives login rate limits, the scheme drives Secure and HSTS.
        "PROXY_COUNT": _int("PROXY_COUNT", 0),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "MAIL_HOST": os.environ.get("MAIL_HOST", "127.0.0.1"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_SECURITY": os.environ.get("MAIL_SECURITY", "none"),  # none, starttls, ssl
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "receipts@regulars.localhost"),
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", "log"),  # log (stays in the outbox), http
        "SMS_HTTP_URL": os.environ.get("SMS_HTTP_URL"),
        "SMS_HTTP_TOKEN": os.environ.get("SMS_HTTP_TOKEN"),
        # After a sale: "thread" sends its receipt right away beside the request, "inline"
        # within it (tests), "worker" leaves it to `flask outbox run`. Retries are the worker's.
        "OUTBOX_DELIVERY": os.environ.get("OUTBOX_DELIVERY", "thread"),
        # Where a receipt link in an SMS points (the app's public address).
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
    }
