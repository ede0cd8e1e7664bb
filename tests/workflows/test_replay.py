"""Saved case histories must replay on the current workflow code.

A change that would break running cases fails here. Record the fixtures
again only for a deliberate, versioned change (workflow.patched), with
    HARDSHIP_RECORD_HISTORIES=1 ./scripts/test tests/workflows/test_replay.py
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from core import temporal
from core.settings import Settings
from core.worker import build_worker
from tests.workflows.helpers import (
    CHAIN,
    COUNTY,
    GRASSROOTS,
    TOWNSHIP,
    action,
    actor,
    insert_case,
)
from tests.workflows.test_case_workflow import sign_and_review
from workflows.case import CaseWorkflow
from workflows.case_models import (
    CaseInput,
    DataEntry,
    ObjectionResolution,
    StepDecision,
)

HISTORIES = Path(__file__).parent / "histories"
RECORD = os.environ.get("HARDSHIP_RECORD_HISTORIES") == "1"


def saved_histories() -> list[Path]:
    return sorted(HISTORIES.glob("*.json"))


async def drive_full_case(
    env: WorkflowEnvironment, factory: sessionmaker[Session], queue: str
) -> str:
    """Application, objection dismissed, review to entry: most update handlers."""
    case_id = insert_case(factory)
    handle = await env.client.start_workflow(
        CaseWorkflow.run,
        CaseInput(case_id=case_id, chain=CHAIN, required_materials=[]),
        id=f"case-{case_id}",
        task_queue=queue,
    )
    await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
    await sign_and_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await handle.execute_update(CaseWorkflow.file_objection, action(GRASSROOTS))
    await handle.execute_update(
        CaseWorkflow.resolve_objection,
        ObjectionResolution(
            request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), upheld=False
        ),
    )
    await env.sleep(timedelta(days=20))
    for update, union in (
        (CaseWorkflow.review, TOWNSHIP),
        (CaseWorkflow.recheck, COUNTY),
        (CaseWorkflow.recognise, COUNTY),
    ):
        await handle.execute_update(
            update,
            StepDecision(
                request_id=uuid.uuid4().hex, actor=actor(union), decision="approve"
            ),
        )
    await env.sleep(timedelta(days=30))
    await handle.execute_update(
        CaseWorkflow.record_entry,
        DataEntry(
            request_id=uuid.uuid4().hex,
            actor=actor(COUNTY),
            national_archive_number="HB-1",
        ),
    )
    return handle.id


async def test_fresh_history_replays(
    time_skipping_env: WorkflowEnvironment,
    settings: Settings,
    db_schema: str,
    session_factory: sessionmaker[Session],
) -> None:
    queue = f"replay-{uuid.uuid4().hex[:8]}"
    async with build_worker(
        time_skipping_env.client, settings, task_queue=queue, schema=db_schema
    ):
        workflow_id = await drive_full_case(time_skipping_env, session_factory, queue)
        handle = time_skipping_env.client.get_workflow_handle(workflow_id)
        history = await handle.fetch_history()
        await handle.terminate("test finished")
    replayer = Replayer(
        workflows=[CaseWorkflow], data_converter=temporal.data_converter(settings)
    )
    await replayer.replay_workflow(history)
    if RECORD:
        HISTORIES.mkdir(exist_ok=True)
        (HISTORIES / "full_case_v1.json").write_text(history.to_json())


@pytest.mark.parametrize("path", saved_histories(), ids=lambda p: p.stem)
async def test_saved_history_replays(path: Path, settings: Settings) -> None:
    history = WorkflowHistory.from_json("case-saved", path.read_text())
    replayer = Replayer(
        workflows=[CaseWorkflow], data_converter=temporal.data_converter(settings)
    )
    await replayer.replay_workflow(history)


def test_histories_are_saved() -> None:
    assert saved_histories(), f"no saved histories under {HISTORIES}"


def test_saved_history_is_encrypted() -> None:
    for path in saved_histories():
        text = path.read_text()
        assert "binary/encrypted" in text or "YmluYXJ5L2VuY3J5cHRlZA" in text
        assert "national_archive_number" not in text
