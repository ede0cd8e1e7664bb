"""Timelines T5 and T6 through the workflow, on the real calendar dates.

The time-skipping server starts at the present and only moves forward, so
this module starts a server of its own and skips ahead to the posting date.
It runs while that date is still ahead; later the same paths are covered
relative to the present by the other workflow tests.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment

from api.context import AppContext
from api.main import create_app
from core import temporal
from core.binaries import temporal_test_server
from core.clock import TestServerClock
from core.settings import Settings
from core.worker import build_worker
from models.orm.calendar import CalendarOverride
from models.orm.cases import CaseEventRecord
from tests.workflows.helpers import CHAIN, GRASSROOTS, action, insert_case
from workflows.case import CaseWorkflow
from workflows.case_models import CaseInput, Step

SHANGHAI = ZoneInfo("Asia/Shanghai")
POSTED_AT = datetime(2026, 12, 28, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
async def fresh_env(settings: Settings) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        data_converter=temporal.data_converter(settings),
        test_server_existing_path=temporal_test_server(),
    )
    await temporal.ensure_search_attributes(env.client, "default")
    yield env
    await env.shutdown()


async def test_override_moves_provisional_notice_end(
    fresh_env: WorkflowEnvironment,
    settings: Settings,
    db_schema: str,
    engine,  # type: ignore[no-untyped-def]
    session_factory: sessionmaker[Session],
) -> None:
    clock = TestServerClock(fresh_env.client)
    if await clock.now() >= POSTED_AT:
        pytest.skip("the posting date of T5 has passed; the server cannot go back")
    with session_factory.begin() as session:
        session.execute(
            delete(CalendarOverride).where(CalendarOverride.day == date(2027, 1, 2))
        )

    task_queue = f"t5-{uuid.uuid4().hex[:8]}"
    context = AppContext(
        settings=settings, engine=engine, session_factory=session_factory
    )
    context.use_client(fresh_env.client)
    context.use_clock(clock)
    app = create_app(settings, context=context)
    app.state.context = context
    case_id = insert_case(session_factory)
    worker = build_worker(
        fresh_env.client, settings, task_queue=task_queue, schema=db_schema
    )
    async with worker:
        handle = await fresh_env.client.start_workflow(
            CaseWorkflow.run,
            CaseInput(case_id=case_id, chain=CHAIN, required_materials=[]),
            id=f"case-{case_id}",
            task_queue=task_queue,
        )
        await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
        from tests.workflows.test_case_workflow import sign_and_review

        await sign_and_review(handle)
        await clock.advance_to(POSTED_AT)
        await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
        state = await handle.query(CaseWorkflow.state)
        assert state.deadline is not None
        assert state.deadline.ends_on == date(2027, 1, 5)
        assert state.deadline.provisional

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test"
        ) as api:
            response = await api.post(
                "/api/v1/admin/calendar/overrides",
                json={
                    "day": "2027-01-02",
                    "is_working_day": True,
                    "reason": "调休：2027年1月2日上班",
                    "actor_id": "s-admin",
                },
            )
        assert response.status_code == 200, response.text
        assert response.json()["cases_signalled"] >= 1

        await clock.advance(timedelta(seconds=5))
        state = await handle.query(CaseWorkflow.state)
        assert state.deadline is not None
        assert state.deadline.ends_on == date(2027, 1, 4)
        assert state.deadline.provisional
        moved = [e for e in state.events if e.kind == "deadline_recomputed"]
        assert moved[-1].data["old_ends_on"] == "2027-01-05"
        assert moved[-1].data["new_ends_on"] == "2027-01-04"

        await clock.advance_to(datetime(2027, 1, 5, 0, 30, tzinfo=SHANGHAI))
        state = await handle.query(CaseWorkflow.state)
        assert state.step == Step.review
        await handle.terminate("test finished")

    with session_factory() as session:
        kinds = session.scalars(
            select(CaseEventRecord.kind).where(CaseEventRecord.case_id == case_id)
        ).all()
        session.execute(
            delete(CalendarOverride).where(CalendarOverride.day == date(2027, 1, 2))
        )
        session.commit()
    assert "deadline_recomputed" in kinds
