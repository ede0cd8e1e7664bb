"""Alembic environment: the URL and schema come from core.migrate or the settings."""

from __future__ import annotations

import importlib
import pkgutil

from alembic import context

import models.orm
from core.db import create_db_engine
from core.settings import get_settings
from models.orm.base import Base

# Import every table module so autogenerate sees the whole schema.
for module in pkgutil.iter_modules(models.orm.__path__):
    importlib.import_module(f"models.orm.{module.name}")

config = context.config
url = config.attributes.get("url") or get_settings().effective_database_url
schema = config.attributes.get("schema")

engine = create_db_engine(url, schema=schema)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
