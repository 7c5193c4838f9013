"""gunicorn's settings for Regulars, read from the working directory (the repository)."""

import gc


def post_worker_init(worker):
    """SQLite's write-ahead log is checkpointed by a thread beside the requests (see
    domain/database.py).

    Once a worker has built the app, its objects live as long as the worker: frozen, the
    cyclic collector stops walking them. Unfrozen, every full collection walked about
    150,000 of them, pausing whichever request it fell in for tens of milliseconds."""
    from domain.database import checkpoint_beside_requests
    from extensions import db

    with worker.wsgi.app_context():
        checkpoint_beside_requests(db.engine)
    gc.freeze()
