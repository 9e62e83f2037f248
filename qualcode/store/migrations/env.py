"""Alembic environment: runs on the engine qualcode hands over, each upgrade in one transaction."""

from typing import Any

from alembic import context
from sqlalchemy import Connection

from qualcode.store.models import Base

config = context.config
target_metadata = Base.metadata


def _raw(connection: Connection) -> Any:
    return connection.connection.dbapi_connection


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from qualcode.store.db import make_engine, resolve_url

        engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url") or None))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table by copying it and dropping the old one: with foreign keys
            # on, dropping ``codings`` would cascade to the memos on them. The pragma works
            # only outside a transaction, so it goes to the driver's connection before any
            # BEGIN; the references are checked before the upgrade commits.
            _raw(connection).execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                transactional_ddl=True,
                transaction_per_migration=False,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the upgrade would break {len(broken)} reference(s)")
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                _raw(connection).execute("PRAGMA foreign_keys=ON")


run_migrations_online()
