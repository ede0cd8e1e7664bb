"""Database engine and session factory: one transaction per request or activity."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def create_db_engine(url: str, *, schema: str | None = None) -> Engine:
    connect_args: dict[str, str] = {}
    if schema:
        # Tests run in a schema of their own; see tests/conftest.py.
        connect_args["options"] = f"-csearch_path={schema}"
    # Statement parameters hold names and ID numbers, so errors and logs
    # show the statement without them.
    return create_engine(
        url, pool_pre_ping=True, connect_args=connect_args, hide_parameters=True
    )


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session that commits on success and rolls back on error."""
    with factory() as session, session.begin():
        yield session


def ensure_database(url: str, *, empty: bool = False) -> None:
    """Create the database named in `url` if missing; drop it first if `empty`."""
    target = make_url(url)
    name = target.database
    if not name:
        raise ValueError(f"database URL has no database name: {target!r}")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": name},
            ).scalar()
            if exists and empty:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )
                conn.execute(text(f'DROP DATABASE "{name}"'))
                exists = False
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
