"""The run command end to end: the stack starts, stops on Ctrl-C and resumes."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from core import temporal
from core.db import ensure_database
from core.settings import Settings
from models.orm.cases import Case
from tests.conftest import TEST_DATABASE_URL
from tests.stack.stack_process import (
    STOP_TIMEOUT_SECONDS,
    StackConfig,
    StackRun,
    database_url,
    drop_database,
    is_alive,
)
from workflows.case import CaseWorkflow
from workflows.case_models import (
    Actor,
    CaseChain,
    CaseInput,
    MaterialAction,
    workflow_id_for,
)

pytestmark = pytest.mark.stack


@pytest.fixture
def config(tmp_path: Path) -> Iterator[StackConfig]:
    config = StackConfig(
        data_dir=tmp_path / "var",
        database_url=database_url(TEST_DATABASE_URL, "stack"),
        simulated_database_url=database_url(TEST_DATABASE_URL, "stack_sim"),
    )
    yield config
    drop_database(config.database_url)
    drop_database(config.simulated_database_url)


@pytest.fixture
def start_stack(config: StackConfig) -> Iterator[type[StackRun]]:
    runs: list[StackRun] = []

    def start(*args: str) -> StackRun:
        run = StackRun(config, *args)
        runs.append(run)
        return run

    yield start  # type: ignore[misc]
    for run in runs:
        run.kill()


def assert_stopped(run: StackRun, code: int) -> None:
    assert code == 0, run.output()
    assert run.children, "no child processes were seen while the stack ran"
    left = [pid for pid in run.children if is_alive(pid)]
    assert left == [], f"processes left after stop: {left}\n{run.output()}"


def test_stack_starts_stops_and_restarts(config: StackConfig, start_stack) -> None:
    first = start_stack()
    ready = first.wait_ready()
    assert ready.json()["checks"] == {"database": "ok", "temporal": "ok"}
    assert httpx.get(f"{config.api_url}/healthz", timeout=5).status_code == 200
    ui = httpx.get(f"http://127.0.0.1:{config.ui_port}/", timeout=10)
    assert ui.status_code == 200
    assert len(first.children) >= 3, f"expected 3 parts, saw {first.children}"
    assert_stopped(first, first.interrupt())
    assert (config.data_dir / "temporal.db").exists()

    second = start_stack()
    assert second.wait_ready().status_code == 200
    assert_stopped(second, second.interrupt())


def test_stack_stops_when_part_dies(config: StackConfig, start_stack) -> None:
    run = start_stack()
    run.wait_ready()
    workers = [
        pid
        for pid in run.children
        if b"core\0worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert len(workers) == 1, f"expected one worker among {run.children}"

    os.kill(workers[0], signal.SIGKILL)
    code = run.process.wait(STOP_TIMEOUT_SECONDS)
    assert code == 1, run.output()
    assert '"part": "worker"' in run.output(), run.output()
    left = [pid for pid in run.children if is_alive(pid)]
    assert left == [], f"processes left after the worker died: {left}"


def test_workflow_resumes_after_restart(config: StackConfig, start_stack) -> None:
    settings = Settings(
        environment="development",
        database_url=config.database_url,
        temporal_address=config.temporal_address,
        task_queue=config.task_queue,
    )
    case_id = f"stack-{uuid.uuid4().hex[:8]}"
    union_id = "union-receiving"
    first = start_stack()
    first.wait_ready()
    insert_case_row(config.database_url, case_id, union_id)
    asyncio.run(start_case(settings, case_id, union_id))
    assert_stopped(first, first.interrupt())

    second = start_stack()
    second.wait_ready()
    step, materials = asyncio.run(attach_material(settings, case_id, union_id))
    assert step == "application"
    assert materials == {"id_card": "material-1"}
    assert_stopped(second, second.interrupt())


def test_simulated_mode_starts_and_stops(config: StackConfig, start_stack) -> None:
    ensure_database(config.simulated_database_url)
    # No pool: the stack terminates every connection when it empties the database.
    engine = create_engine(config.simulated_database_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE leftover_from_last_run (id int)"))

    run = start_stack("--simulated")
    try:
        ready = run.wait_ready()
        assert ready.json()["checks"] == {"database": "ok", "temporal": "ok"}
        tables = inspect(engine).get_table_names()
        assert "leftover_from_last_run" not in tables
        assert "cases" in tables
        assert not (config.data_dir / "temporal.db").exists()
    finally:
        engine.dispose()
    assert_stopped(run, run.interrupt())


def insert_case_row(url: str, case_id: str, union_id: str) -> None:
    """Insert the case file row that the workflow's projection updates."""
    now = datetime.now(UTC)
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            session.add(
                Case(
                    id=case_id,
                    workflow_id=workflow_id_for(case_id),
                    receiving_union_id=union_id,
                    authority_union_id="union-authority",
                    responsible_union_id=union_id,
                    applicant_member_id="member-1",
                    household={},
                    assessment={},
                    declaration_signed_on=date.today(),
                    chain={},
                    status="open",
                    step="application",
                    step_started_at=now,
                    created_request_id=f"create-{case_id}",
                    created_at=now,
                    updated_at=now,
                )
            )
    finally:
        engine.dispose()


async def start_case(settings: Settings, case_id: str, union_id: str) -> None:
    client = await temporal.connect(settings)
    handle = await client.start_workflow(
        CaseWorkflow.run,
        CaseInput(
            case_id=case_id,
            chain=CaseChain(
                receiving_union_id=union_id,
                review_union_id=None,
                recheck_union_id="union-recheck",
                authority_union_id="union-authority",
            ),
            required_materials=["id_card"],
        ),
        id=workflow_id_for(case_id),
        task_queue=settings.task_queue,
    )
    # Only a worker handles queries, so a result means the workflow runs on it.
    state = await handle.query(CaseWorkflow.state)
    assert state.case_id == case_id


async def attach_material(
    settings: Settings, case_id: str, union_id: str
) -> tuple[str, dict[str, str | None]]:
    client = await temporal.connect(settings)
    handle = client.get_workflow_handle_for(CaseWorkflow.run, workflow_id_for(case_id))
    before = await handle.query(CaseWorkflow.state)
    assert before.case_id == case_id
    await asyncio.wait_for(
        handle.execute_update(
            CaseWorkflow.attach_material,
            MaterialAction(
                request_id=f"attach-{case_id}",
                actor=Actor(staff_id="staff-1", union_id=union_id, role="caseworker"),
                item_code="id_card",
                material_id="material-1",
            ),
        ),
        timeout=60,
    )
    after = await handle.query(CaseWorkflow.state)
    return after.step.value, dict(after.materials_present)
