"""Alembic environment: runs on the connection the caller hands over, or on the settings' URL."""

from __future__ import annotations

from alembic import context

from models.db import make_engine
from models.settings import load_settings
from models.tables import load_all_tables

target_metadata = load_all_tables()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(load_settings().db_url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
