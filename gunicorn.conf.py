"""gunicorn's settings for Regulars, read from the working directory (the repository)."""

import gc


def post_worker_init(worker):
    """Once a worker has built the app, its objects live as long as the worker: frozen, the
    cyclic collector stops walking them. Unfrozen, every full collection walked about
    150,000 of them, pausing whichever request it fell in for tens of milliseconds."""
    gc.freeze()
