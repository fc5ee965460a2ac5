"""Alembic migrations for the dyadwatch store (run by :func:`dyadwatch.store.database.connect`)."""
