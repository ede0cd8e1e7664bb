"""The case workflow on the time-skipping server with real activities and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from core.settings import Settings
from core.worker import build_worker
from models.orm.cases import Case, CaseEventRecord, InboxEntry
from services.calendar_store import delete_override, set_override
from tests.temporal_helpers import current_run_id
from tests.workflows.helpers import (
    CHAIN,
    COUNTY,
    GRASSROOTS,
    OTHER,
    TOWNSHIP,
    action,
    actor,
    insert_case,
)
from workflows.case import CaseWorkflow
from workflows.case_models import (
    CalendarChanged,
    CaseInput,
    CaseStatus,
    CaseTimings,
    DataEntry,
    DemocraticReview,
    InvestigationSignature,
    MaterialAction,
    ObjectionResolution,
    ReturnCase,
    Step,
    StepDecision,
)

REQUIRED = ["application", "id_card"]


async def start(
    client: Client, factory: sessionmaker[Session], task_queue: str
) -> tuple[str, WorkflowHandle]:
    case_id = insert_case(factory)
    handle = await client.start_workflow(
        CaseWorkflow.run,
        CaseInput(case_id=case_id, chain=CHAIN, required_materials=REQUIRED),
        id=f"case-{case_id}",
        task_queue=task_queue,
    )
    return case_id, handle


async def through_review(handle: WorkflowHandle) -> None:
    for code in REQUIRED:
        await handle.execute_update(
            CaseWorkflow.attach_material,
            MaterialAction(
                request_id=uuid.uuid4().hex,
                actor=actor(GRASSROOTS),
                item_code=code,
                material_id=f"mat-{code}",
            ),
        )
    await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
    await sign_and_review(handle)


async def sign_and_review(handle: WorkflowHandle) -> None:
    """Sign the investigation twice, complete it and pass the democratic review."""
    for staff in ("s-a", "s-b"):
        await handle.execute_update(
            CaseWorkflow.sign_investigation,
            InvestigationSignature(
                request_id=uuid.uuid4().hex,
                actor=actor(GRASSROOTS, staff),
                visited_on=(await _today(handle)),
            ),
        )
    await handle.execute_update(CaseWorkflow.complete_investigation, action(GRASSROOTS))
    await handle.execute_update(
        CaseWorkflow.record_democratic_review,
        DemocraticReview(
            request_id=uuid.uuid4().hex,
            actor=actor(GRASSROOTS),
            passed=True,
            votes_for=9,
            votes_against=1,
        ),
    )


async def _today(handle: WorkflowHandle):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    state = await handle.query(CaseWorkflow.state)
    return state.events[-1].at.astimezone(ZoneInfo("Asia/Shanghai")).date()


async def test_missing_material_blocks_submission(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
    cause = failure.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "step_conflict"
    assert "id_card" in cause.message


async def test_one_signer_cannot_complete_investigation(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    for code in REQUIRED:
        await handle.execute_update(
            CaseWorkflow.attach_material,
            MaterialAction(
                request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), item_code=code
            ),
        )
    await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
    signature = InvestigationSignature(
        request_id=uuid.uuid4().hex,
        actor=actor(GRASSROOTS, "s-only"),
        visited_on=await _today(handle),
    )
    await handle.execute_update(CaseWorkflow.sign_investigation, signature)
    second = signature.model_copy(update={"request_id": uuid.uuid4().hex})
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(CaseWorkflow.sign_investigation, second)
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            CaseWorkflow.complete_investigation, action(GRASSROOTS)
        )
    assert "第十八条" in str(failure.value.cause)


async def test_wrong_union_is_forbidden(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            CaseWorkflow.attach_material,
            MaterialAction(
                request_id=uuid.uuid4().hex, actor=actor(OTHER), item_code="id_card"
            ),
        )
    assert isinstance(failure.value.cause, ApplicationError)
    assert failure.value.cause.type == "forbidden"
    state = await handle.query(CaseWorkflow.state)
    assert state.materials_present == {}


async def test_same_request_applies_once(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    request = MaterialAction(
        request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), item_code="id_card"
    )
    first = await handle.execute_update(CaseWorkflow.attach_material, request)
    second = await handle.execute_update(CaseWorkflow.attach_material, request)
    assert first == second
    state = await handle.query(CaseWorkflow.state)
    assert [e.kind for e in state.events].count("material_attached") == 1


async def test_full_procedure_to_entry(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    case_id, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    state = await handle.query(CaseWorkflow.state)
    assert state.deadline is not None
    assert state.deadline.kind == "public_notice"

    await time_skipping_env.sleep(timedelta(days=20))
    state = await handle.query(CaseWorkflow.state)
    assert state.step == Step.review

    decision = dict(decision="approve")
    await handle.execute_update(
        CaseWorkflow.review,
        StepDecision(request_id=uuid.uuid4().hex, actor=actor(TOWNSHIP), **decision),
    )
    await handle.execute_update(
        CaseWorkflow.recheck,
        StepDecision(request_id=uuid.uuid4().hex, actor=actor(COUNTY), **decision),
    )
    await handle.execute_update(
        CaseWorkflow.recognise,
        StepDecision(request_id=uuid.uuid4().hex, actor=actor(COUNTY), **decision),
    )
    state = await handle.query(CaseWorkflow.state)
    assert state.status == CaseStatus.recognised
    assert state.deadline is not None
    assert state.deadline.kind == "data_entry"

    await handle.execute_update(
        CaseWorkflow.record_entry,
        DataEntry(
            request_id=uuid.uuid4().hex,
            actor=actor(COUNTY),
            national_archive_number="HB-0001",
        ),
    )
    with session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.step == "assistance"
        assert case.status == "entered"
        assert case.national_archive_number == "HB-0001"
        results = session.scalars(
            select(InboxEntry).where(
                InboxEntry.case_id == case_id, InboxEntry.kind == "result"
            )
        ).all()
        assert {r.recipient_id for r in results} == {GRASSROOTS, TOWNSHIP, case_id}


async def test_entry_deadline_reminders_and_overdue(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    case_id, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await time_skipping_env.sleep(timedelta(days=20))
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
    await time_skipping_env.sleep(timedelta(days=70))
    state = await handle.query(CaseWorkflow.state)
    assert state.entry_overdue_alerted
    assert sorted(state.entry_reminders_sent) == [3, 10]
    with session_factory() as session:
        kinds = session.scalars(
            select(InboxEntry.kind).where(
                InboxEntry.case_id == case_id, InboxEntry.recipient_id == COUNTY
            )
        ).all()
    assert sorted(kinds) == ["overdue", "reminder", "reminder"]


async def test_objection_dismissed_reposts_notice(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await handle.execute_update(CaseWorkflow.file_objection, action(GRASSROOTS))
    state = await handle.query(CaseWorkflow.state)
    assert state.deadline is None
    assert state.objection_open
    await time_skipping_env.sleep(timedelta(days=20))
    state = await handle.query(CaseWorkflow.state)
    assert state.step == Step.public_notice
    await handle.execute_update(
        CaseWorkflow.resolve_objection,
        ObjectionResolution(
            request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), upheld=False
        ),
    )
    state = await handle.query(CaseWorkflow.state)
    assert state.notice_postings == 2
    assert state.deadline is not None
    await time_skipping_env.sleep(timedelta(days=20))
    state = await handle.query(CaseWorkflow.state)
    assert state.step == Step.review


async def test_objection_upheld_rejects_case(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    case_id, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await handle.execute_update(CaseWorkflow.file_objection, action(GRASSROOTS))
    await handle.execute_update(
        CaseWorkflow.resolve_objection,
        ObjectionResolution(
            request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), upheld=True
        ),
    )
    final = await handle.result()
    assert final.status == CaseStatus.rejected
    with session_factory() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.status == "rejected"


async def test_return_voids_later_records(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    case_id, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await time_skipping_env.sleep(timedelta(days=20))
    await handle.execute_update(
        CaseWorkflow.review,
        StepDecision(
            request_id=uuid.uuid4().hex,
            actor=actor(TOWNSHIP),
            decision="return",
            return_to=Step.investigation,
        ),
    )
    state = await handle.query(CaseWorkflow.state)
    assert state.step == Step.investigation
    assert all(s.void for s in state.signatures)
    with session_factory() as session:
        voided = session.scalars(
            select(CaseEventRecord.kind).where(
                CaseEventRecord.case_id == case_id,
                CaseEventRecord.voided_by_seq.is_not(None),
            )
        ).all()
    assert "investigation_signed" in voided
    assert "notice_posted" in voided
    assert "material_attached" not in voided
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            CaseWorkflow.complete_investigation, action(GRASSROOTS)
        )


@pytest.mark.parametrize(
    ("step_update", "union"),
    [("review", TOWNSHIP), ("recheck", COUNTY), ("recognise", COUNTY)],
)
async def test_reject_at_each_level(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
    step_update: str,
    union: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await time_skipping_env.sleep(timedelta(days=20))
    order = [("review", TOWNSHIP), ("recheck", COUNTY), ("recognise", COUNTY)]
    for name, acting in order:
        decision = "reject" if name == step_update else "approve"
        await handle.execute_update(
            name,
            StepDecision(
                request_id=uuid.uuid4().hex, actor=actor(acting), decision=decision
            ),
        )
        if name == step_update:
            break
    final = await handle.result()
    assert final.status == CaseStatus.rejected
    assert (
        final.events[-1].kind
        == f"{'recognition' if step_update == 'recognise' else step_update}_rejected"
        or final.events[-2].kind.endswith("_rejected")
    )
    assert union


async def test_worker_restart_mid_notice(
    time_skipping_env: WorkflowEnvironment,
    settings: Settings,
    db_schema: str,
    session_factory: sessionmaker[Session],
) -> None:
    queue = f"restart-{uuid.uuid4().hex[:8]}"
    case_id = insert_case(session_factory)
    # Without a workflow cache the first worker takes no sticky queue, whose
    # tasks the time-skipping server would hold for it after it stops.
    first = build_worker(
        time_skipping_env.client,
        settings,
        task_queue=queue,
        schema=db_schema,
        max_cached_workflows=0,
    )
    async with first:
        handle = await time_skipping_env.client.start_workflow(
            CaseWorkflow.run,
            CaseInput(case_id=case_id, chain=CHAIN, required_materials=[]),
            id=f"case-{case_id}",
            task_queue=queue,
        )
        await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
        await sign_and_review(handle)
        await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    # The notice's timer lives in Temporal, not in the stopped worker.
    second = build_worker(
        time_skipping_env.client, settings, task_queue=queue, schema=db_schema
    )
    async with second:
        await time_skipping_env.sleep(timedelta(days=20))
        state = await handle.query(CaseWorkflow.state)
        assert state.step == Step.review
        await handle.terminate("test finished")


async def test_continue_as_new_keeps_state_and_requests(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    case_id = insert_case(session_factory)
    handle = await time_skipping_env.client.start_workflow(
        CaseWorkflow.run,
        CaseInput(
            case_id=case_id,
            chain=CHAIN,
            required_materials=REQUIRED,
            timings=CaseTimings(max_history_events=30),
        ),
        id=f"case-{case_id}",
        task_queue=task_queue,
    )
    first_run = await current_run_id(time_skipping_env.client, handle.id)
    repeated = MaterialAction(
        request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), item_code="id_card"
    )
    first = await handle.execute_update(CaseWorkflow.attach_material, repeated)
    for index in range(12):
        await handle.execute_update(
            CaseWorkflow.attach_material,
            MaterialAction(
                request_id=uuid.uuid4().hex,
                actor=actor(GRASSROOTS),
                item_code=f"extra_{index}",
            ),
        )
    latest = time_skipping_env.client.get_workflow_handle(f"case-{case_id}")
    assert await current_run_id(time_skipping_env.client, latest.id) != first_run
    again = await latest.execute_update(CaseWorkflow.attach_material, repeated)
    assert again == first
    state = await latest.query(CaseWorkflow.state)
    assert [e.kind for e in state.events].count("material_attached") == 13
    assert "extra_11" in state.materials_present


@pytest.mark.parametrize(
    ("step_update", "union", "target"),
    [
        ("recheck", COUNTY, Step.review),
        ("recognise", COUNTY, Step.democratic_review),
    ],
)
async def test_return_from_higher_levels(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
    step_update: str,
    union: str,
    target: Step,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await time_skipping_env.sleep(timedelta(days=20))
    for name, acting in (
        ("review", TOWNSHIP),
        ("recheck", COUNTY),
        ("recognise", COUNTY),
    ):
        if name == step_update:
            await handle.execute_update(
                name,
                StepDecision(
                    request_id=uuid.uuid4().hex,
                    actor=actor(union),
                    decision="return",
                    return_to=target,
                ),
            )
            break
        await handle.execute_update(
            name,
            StepDecision(
                request_id=uuid.uuid4().hex, actor=actor(acting), decision="approve"
            ),
        )
    state = await handle.query(CaseWorkflow.state)
    assert state.step == target
    assert state.status == CaseStatus.open
    voided = {e.kind for e in state.events if e.voided_by_seq is not None}
    assert "review_approved" in voided
    if target == Step.democratic_review:
        assert "notice_posted" in voided
        assert not any(s.void for s in state.signatures)


async def test_return_to_later_step_is_invalid(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            CaseWorkflow.return_case,
            ReturnCase(
                request_id=uuid.uuid4().hex,
                actor=actor(GRASSROOTS),
                to_step=Step.recheck,
            ),
        )
    assert isinstance(failure.value.cause, ApplicationError)
    assert failure.value.cause.type == "invalid"


async def test_calendar_change_moves_open_notice(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    before = (await handle.query(CaseWorkflow.state)).deadline
    assert before is not None
    # The notice's last day becomes a day off, so the notice ends later.
    with session_factory.begin() as session:
        set_override(session, before.ends_on, False, "临时休息日", "s-admin")
    try:
        await handle.signal(
            CaseWorkflow.calendar_changed,
            CalendarChanged(change_id="test-change", dates=[before.ends_on]),
        )
        for _ in range(50):
            after = (await handle.query(CaseWorkflow.state)).deadline
            if after is not None and after.ends_on != before.ends_on:
                break
            await asyncio.sleep(0.1)
        assert after is not None
        assert after.ends_on > before.ends_on
        state = await handle.query(CaseWorkflow.state)
        moved = [e for e in state.events if e.kind == "deadline_recomputed"]
        assert moved[-1].data["old_ends_on"] == before.ends_on.isoformat()
        assert moved[-1].data["new_ends_on"] == after.ends_on.isoformat()
        assert moved[-1].data["change_id"] == "test-change"
    finally:
        with session_factory.begin() as session:
            delete_override(session, before.ends_on, "s-admin")


async def test_recognition_needs_approver(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await time_skipping_env.sleep(timedelta(days=20))
    for name, acting in (("review", TOWNSHIP), ("recheck", COUNTY)):
        await handle.execute_update(
            name,
            StepDecision(
                request_id=uuid.uuid4().hex, actor=actor(acting), decision="approve"
            ),
        )
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            CaseWorkflow.recognise,
            StepDecision(
                request_id=uuid.uuid4().hex,
                actor=actor(COUNTY, role="reviewer"),
                decision="approve",
            ),
        )
    assert isinstance(failure.value.cause, ApplicationError)
    assert failure.value.cause.type == "forbidden"
    state = await handle.query(CaseWorkflow.state)
    assert state.step == Step.recognition


async def test_visit_before_case_opened_is_invalid(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await handle.execute_update(
        CaseWorkflow.attach_material,
        MaterialAction(
            request_id=uuid.uuid4().hex,
            actor=actor(GRASSROOTS),
            item_code="application",
        ),
    )
    await handle.execute_update(
        CaseWorkflow.attach_material,
        MaterialAction(
            request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), item_code="id_card"
        ),
    )
    await handle.execute_update(CaseWorkflow.submit_application, action(GRASSROOTS))
    opened = (await _today(handle)) - timedelta(days=400)
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            CaseWorkflow.sign_investigation,
            InvestigationSignature(
                request_id=uuid.uuid4().hex, actor=actor(GRASSROOTS), visited_on=opened
            ),
        )
    assert "before the case was opened" in str(failure.value.cause)


async def test_second_objection_names_open_one(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await handle.execute_update(CaseWorkflow.file_objection, action(GRASSROOTS))
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(CaseWorkflow.file_objection, action(GRASSROOTS))
    assert "already open" in str(failure.value.cause)


async def test_approve_with_return_target_invalid(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
) -> None:
    _, handle = await start(time_skipping_env.client, session_factory, task_queue)
    await through_review(handle)
    await handle.execute_update(CaseWorkflow.post_notice, action(GRASSROOTS))
    await time_skipping_env.sleep(timedelta(days=20))
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(
            CaseWorkflow.review,
            StepDecision(
                request_id=uuid.uuid4().hex,
                actor=actor(TOWNSHIP),
                decision="approve",
                return_to=Step.investigation,
            ),
        )
    assert isinstance(failure.value.cause, ApplicationError)
    assert failure.value.cause.type == "invalid"
    assert (await handle.query(CaseWorkflow.state)).step == Step.review
