"""Small SQL building blocks that must behave the same on SQLite and PostgreSQL."""

from functools import lru_cache

from sqlalchemy import Integer, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from extensions import db


def bound_dialect() -> str:
    """The database the session is bound to: "postgresql" or "sqlite"."""
    return db.session.get_bind().dialect.name


def dialect_insert(model, dialect: str | None = None):
    """INSERT supporting ON CONFLICT, for `dialect` (by default the session's database)."""
    insert = postgresql.insert if (dialect or bound_dialect()) == "postgresql" else sqlite.insert
    return insert(model)


def increment(model, keys: dict, counter: str, by: int = 1) -> int:
    """Adds `by` to `counter` of the row with these keys, creating it, in one atomic
    statement; returns the new value. Concurrent callers each get a different value."""
    statement = _incrementing(model, tuple(keys), counter, bound_dialect())
    return db.session.execute(statement, {**keys, "by": by}).scalar_one()


@lru_cache(maxsize=32)
def _incrementing(model, keys: tuple[str, ...], counter: str, dialect: str):
    """The upsert of `increment`, built once (every sale numbers itself with one, and
    building it cost more than running it); the key values and `by` are bound."""
    column, by = getattr(model, counter), bindparam("by", type_=Integer)
    return (
        dialect_insert(model, dialect)
        .values(**{key: bindparam(key) for key in keys}, **{counter: by})
        .on_conflict_do_update(index_elements=list(keys), set_={counter: column + by})
        .returning(column)
    )


def prefix_end(prefix: str) -> str:
    """The smallest string after every string that starts with `prefix`: `column >= prefix
    AND column < prefix_end(prefix)` is a prefix match any B-tree index serves."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
