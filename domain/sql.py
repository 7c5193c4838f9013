"""Small SQL building blocks that must behave the same on SQLite and PostgreSQL."""

from sqlalchemy.dialects import postgresql, sqlite

from extensions import db


def dialect_insert(model):
    """INSERT supporting ON CONFLICT, for whichever database the session is bound to."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(model)


def increment(model, keys: dict, counter: str, by: int = 1) -> int:
    """Adds `by` to `counter` of the row with these keys, creating it, in one atomic
    statement; returns the new value. Concurrent callers each get a different value."""
    column = getattr(model, counter)
    statement = (
        dialect_insert(model)
        .values(**keys, **{counter: by})
        .on_conflict_do_update(index_elements=list(keys), set_={counter: column + by})
        .returning(column)
    )
    return db.session.execute(statement).scalar_one()


def prefix_end(prefix: str) -> str:
    """The smallest string after every string that starts with `prefix`: `column >= prefix
    AND column < prefix_end(prefix)` is a prefix match any B-tree index serves."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
