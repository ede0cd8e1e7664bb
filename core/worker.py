"""The Temporal worker: every workflow and activity of the service on one task queue."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker

from activities.registry import build_activities
from core.db import create_db_engine, create_session_factory
from core.settings import Settings
from workflows.registry import WORKFLOWS

ACTIVITY_THREADS = 16


def build_worker(
    client: Client,
    settings: Settings,
    *,
    task_queue: str | None = None,
    schema: str | None = None,
    max_cached_workflows: int = 1000,
) -> Worker:
    engine = create_db_engine(settings.effective_database_url, schema=schema)
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=list(WORKFLOWS),
        activities=build_activities(create_session_factory(engine), settings),
        # Activities are synchronous (SQLAlchemy sessions), so they run on threads.
        activity_executor=ThreadPoolExecutor(max_workers=ACTIVITY_THREADS),
        max_cached_workflows=max_cached_workflows,
    )
