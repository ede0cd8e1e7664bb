"""Case search attributes on the dev server, where visibility queries work."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from core.worker import build_worker
from tests.workflows.helpers import CHAIN, GRASSROOTS, action, insert_case
from workflows.case import CaseWorkflow
from workflows.case_models import CaseInput


async def list_ids(env: WorkflowEnvironment, query: str, expected: str) -> list[str]:
    # Visibility is updated asynchronously, so poll for a few seconds.
    for _ in range(50):
        ids = [execution.id async for execution in env.client.list_workflows(query)]
        if expected in ids:
            return ids
        await asyncio.sleep(0.2)
    return ids


async def test_step_and_union_are_searchable(
    dev_env: WorkflowEnvironment,
    settings: Settings,
    db_schema: str,
    session_factory: sessionmaker[Session],
) -> None:
    queue = f"visibility-{uuid.uuid4().hex[:8]}"
    case_id = insert_case(session_factory)
    async with build_worker(
        dev_env.client, settings, task_queue=queue, schema=db_schema
    ):
        handle = await dev_env.client.start_workflow(
            CaseWorkflow.run,
            CaseInput(case_id=case_id, chain=CHAIN, required_materials=[]),
            id=f"case-{case_id}",
            task_queue=queue,
        )
        await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
        query = f"CaseStep = 'investigation' AND CaseUnionId = '{GRASSROOTS}'"
        ids = await list_ids(dev_env, query, handle.id)
        assert handle.id in ids
        description = await handle.describe()
        attributes = {
            key.name: value for key, value in description.typed_search_attributes
        }
        assert attributes["CaseStep"] == "investigation"
        assert attributes["CaseUnionId"] == GRASSROOTS
        assert "CaseDueAt" not in attributes
        await handle.terminate("test finished")
