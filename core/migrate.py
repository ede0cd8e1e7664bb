"""Apply the Alembic migrations from code (the CLI, the run command, the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

REPO_ROOT = Path(__file__).resolve().parents[1]


def alembic_config(url: str, *, schema: str | None = None) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.attributes["url"] = url
    config.attributes["schema"] = schema
    return config


def upgrade(url: str, *, schema: str | None = None) -> None:
    # Feature branches of the revision tree all start at the root, so the
    # target is every head.
    command.upgrade(alembic_config(url, schema=schema), "heads")
