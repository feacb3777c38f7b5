"""Alembic environment: runs on the connection db.migrate hands over (never a URL of its own)."""

from __future__ import annotations

from alembic import context

import db.models
from db.migrate import include_object

config = context.config
target_metadata = db.models.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
