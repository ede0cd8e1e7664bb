"""The `hardship` command line, run as a subprocess like an operator runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import NullPool

from core.cli import COMMANDS
from core.migrate import REPO_ROOT
from tests.conftest import TEST_DATABASE_URL
from tests.stack.stack_process import database_url, drop_database


def run_cli(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HARDSHIP_")
    }
    env.update(environment, PYTHONPATH=str(REPO_ROOT))
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def fresh_database_url() -> Iterator[str]:
    url = database_url(TEST_DATABASE_URL, "cli")
    yield url
    drop_database(url)


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0, result.stderr
    for name in COMMANDS:
        assert name in result.stdout


def test_migrate_creates_database(fresh_database_url: str) -> None:
    result = run_cli("migrate", HARDSHIP_DATABASE_URL=fresh_database_url)
    assert result.returncode == 0, result.stderr

    engine = create_engine(fresh_database_url, poolclass=NullPool)
    tables = inspect(engine).get_table_names()
    engine.dispose()
    assert "alembic_version" in tables
    assert "cases" in tables


def test_invalid_settings_exit_with_two() -> None:
    secret = "not-base64-but-secret"
    result = run_cli("migrate", HARDSHIP_ENCRYPTION_KEY=secret)
    assert result.returncode == 2
    event = json.loads(result.stderr.strip().splitlines()[-1])
    assert event["event"] == "settings_invalid"
    assert secret not in result.stderr
