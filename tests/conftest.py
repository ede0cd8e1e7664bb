"""Shared fixtures: a migrated PostgreSQL schema per run, real Temporal servers."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from core import temporal
from core.binaries import temporal_cli, temporal_test_server
from core.db import create_db_engine, create_session_factory
from core.migrate import upgrade
from core.settings import Settings
from core.worker import build_worker

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
HOUSEHOLDS_DIR = SHARED_DIR / "cases" / "households"

TEST_DATABASE_URL = os.environ.get(
    "HARDSHIP_TEST_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/test",
)


@pytest.fixture(scope="session")
def db_schema() -> Iterator[str]:
    """A schema of this run's own, migrated once and dropped at the end."""
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(TEST_DATABASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        upgrade(TEST_DATABASE_URL, schema=schema)
        yield schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(db_schema: str) -> Iterator[Engine]:
    engine = create_db_engine(TEST_DATABASE_URL, schema=db_schema)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that really commit, for code under test that commits itself."""
    return create_session_factory(engine)


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


@pytest.fixture(scope="session")
def settings(db_schema: str) -> Settings:
    return Settings(
        environment="test",
        database_url=TEST_DATABASE_URL,
        task_queue=f"test-{uuid.uuid4().hex[:8]}",
    )


@pytest.fixture(scope="module")
def task_queue() -> str:
    return f"tq-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
async def time_skipping_env(settings: Settings) -> AsyncIterator[WorkflowEnvironment]:
    """Temporal's Java time-skipping test server: durable timers in seconds.

    One server per test module. The server skips time only while no workflow
    task is outstanding, so a workflow left behind on a task queue that no
    worker polls any more would stall every later sleep on a shared server.
    """
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=temporal.data_converter(settings),
        test_server_existing_path=temporal_test_server(),
    )
    await temporal.ensure_search_attributes(env.client, "default")
    yield env
    await env.shutdown()


@pytest.fixture(scope="module")
async def worker(
    time_skipping_env: WorkflowEnvironment,
    settings: Settings,
    db_schema: str,
    task_queue: str,
) -> AsyncIterator[Worker]:
    """The service's worker on the module's time-skipping server and task queue.

    One worker serves the whole module, because a workflow task waiting on a
    queue that no worker polls any more would stop time skipping. The module's
    server is shut down with its workflows after the module.
    """
    async with build_worker(
        time_skipping_env.client, settings, task_queue=task_queue, schema=db_schema
    ) as running:
        yield running


@pytest.fixture(scope="session")
async def dev_env(settings: Settings) -> AsyncIterator[WorkflowEnvironment]:
    """Temporal's dev server, where visibility and search attributes are needed."""
    env = await WorkflowEnvironment.start_local(
        data_converter=temporal.data_converter(settings),
        dev_server_existing_path=temporal_cli(),
        search_attributes=temporal.SEARCH_ATTRIBUTES,
        ip="127.0.0.1",
    )
    yield env
    await env.shutdown()
