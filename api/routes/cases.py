"""Cases: application, every step's action, and the case file with its history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status
from starlette.concurrency import run_in_threadpool

from api.context import AppContext
from api.deps import ClockDep, ContextDep, get_client
from api.errors import ERROR_RESPONSES, Conflict, Forbidden
from api.routes.unions import service_error_for
from core.db import transaction
from core.logging import get_logger
from models.schemas.cases import (
    ActionBody,
    ActionRead,
    CaseCreate,
    CaseList,
    CaseRead,
    DecisionBody,
    DemocraticReviewBody,
    EntryBody,
    ObjectionResolutionBody,
    RejectBody,
    ReturnBody,
    SignatureBody,
)
from services import cases as case_service
from services.assessments import assess_file
from services.case_calls import query_state, run_update, start_case_workflow
from services.standards import lookup_in
from services.unions import UnionServiceError, actor_for_staff, resolve_chain
from workflows.case_models import (
    Action,
    Actor,
    CaseChain,
    CaseInput,
    CaseTimings,
    DataEntry,
    DemocraticReview,
    InvestigationSignature,
    ObjectionResolution,
    ReturnCase,
    Step,
    StepDecision,
)

log = get_logger(__name__)

router = APIRouter(prefix="/api/v1", tags=["cases"], responses=ERROR_RESPONSES)


@router.post("/cases", status_code=status.HTTP_201_CREATED)
async def create_case(
    body: CaseCreate, context: ContextDep, clock: ClockDep
) -> CaseRead:
    """Receive an application (第十七条), assess it and start the case's workflow."""
    now = await clock.now()
    try:
        case_input = await run_in_threadpool(_store_application, context, body, now)
    except Conflict as exc:
        # A parallel retry of this same request may have stored the case
        # first; then this one finds it instead of failing.
        if exc.code != "member_in_open_case":
            raise
        found = await run_in_threadpool(_find_application, context, body)
        if found is None:
            raise
        case_input = found
    # Stored first: if Temporal is down, the same request id later starts the
    # workflow of the case already stored.
    client = await get_client(context)
    await start_case_workflow(client, context.settings.task_queue, case_input)
    return await _read(context, case_input.case_id)


def _find_application(context: AppContext, body: CaseCreate) -> CaseInput | None:
    with transaction(context.session_factory) as session:
        existing = case_service.find_by_request(session, body.request_id)
        if existing is None:
            return None
        if (
            existing.household != body.household
            or existing.receiving_union_id != body.receiving_union_id
        ):
            raise Conflict(
                f"request_id {body.request_id} was already used for another "
                f"application (case {existing.id}); use a new request_id",
                message_zh="该 request_id 已用于另一份申请，请使用新的 request_id",
                code="request_id_reused",
            )
        # A repeated request finds the case (and its workflow) it created.
        return CaseInput(
            case_id=existing.id,
            chain=CaseChain.model_validate(existing.chain),
            required_materials=existing.assessment.get("checklist", []),
            timings=CaseTimings(),
        )


def _store_application(
    context: AppContext, body: CaseCreate, now: datetime
) -> CaseInput:
    found = _find_application(context, body)
    if found is not None:
        return found
    with transaction(context.session_factory) as session:
        try:
            actor = actor_for_staff(session, body.actor_id)
            chain = resolve_chain(session, body.receiving_union_id)
        except UnionServiceError as exc:
            raise service_error_for(exc) from exc
        if actor.union_id != chain.receiving_union_id:
            raise Forbidden(
                f"staff {actor.staff_id} belongs to union {actor.union_id}, not to the "
                f"receiving union {chain.receiving_union_id}",
                message_zh="只有受理工会的工作人员可以登记申请",
            )
        parsed, result = assess_file(
            body.household, today=now.date(), lookup=lookup_in(session)
        )
        case = case_service.create_case(session, body, parsed, result, chain, now)
        checklist = case_service.required_checklist(result)
        case.assessment = {**case.assessment, "checklist": checklist}
        return CaseInput(case_id=case.id, chain=chain, required_materials=checklist)


@router.get("/cases")
def list_cases(
    context: ContextDep,
    union_id: str | None = None,
    step: Step | None = None,
    case_status: Annotated[str | None, Query(alias="status")] = None,
    due_before: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CaseList:
    """List cases from the projection, by union, step, status or due instant."""
    with transaction(context.session_factory) as session:
        rows, total = case_service.list_cases(
            session,
            union_id=union_id,
            step=step.value if step else None,
            status=case_status,
            overdue_at=due_before,
            limit=limit,
            offset=offset,
        )
        return CaseList(items=[case_service.summary(row) for row in rows], total=total)


@router.get("/cases/{case_id}")
async def get_case(case_id: str, context: ContextDep) -> CaseRead:
    """Return the case file: live state from the workflow, history and deadlines."""
    return await _read(context, case_id)


async def _read(context: AppContext, case_id: str) -> CaseRead:
    try:
        client = await context.client()
    except RuntimeError as exc:
        # The projection still serves reads while Temporal is down, with `live` false.
        log.warning("case_read_without_workflow", case_id=case_id, error=str(exc))
        live = None
    else:
        live = await query_state(client, case_id)

    def build() -> CaseRead:
        with transaction(context.session_factory) as session:
            case = case_service.get_case(session, case_id)
            return case_service.read_model(session, case, live)

    return await run_in_threadpool(build)


async def _act(
    context: AppContext,
    clock: ClockDep,
    case_id: str,
    body: ActionBody,
    update: str,
    build: Callable[[Actor], Action],
) -> ActionRead:
    def lookup_actor() -> Actor:
        with transaction(context.session_factory) as session:
            case_service.get_case(session, case_id)
            try:
                return actor_for_staff(session, body.actor_id)
            except UnionServiceError as exc:
                raise service_error_for(exc) from exc

    actor = await run_in_threadpool(lookup_actor)
    client = await get_client(context)
    result = await run_update(client, case_id, update, build(actor))
    if body.note:
        now = await clock.now()

        def keep_note() -> None:
            with transaction(context.session_factory) as session:
                case_service.add_note(
                    session,
                    case_id,
                    body.request_id,
                    update,
                    actor.staff_id,
                    body.note or "",
                    now,
                )

        await run_in_threadpool(keep_note)
    return ActionRead(**result.model_dump(mode="json"))


def _plain(body: ActionBody) -> Callable[[Actor], Action]:
    return lambda actor: Action(request_id=body.request_id, actor=actor)


@router.post("/cases/{case_id}/application/submit")
async def submit_application(
    case_id: str,
    body: ActionBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Hand in the application once every required material is present (第十七条)."""
    return await _act(context, clock, case_id, body, "submit_application", _plain(body))


@router.post("/cases/{case_id}/investigation/signatures")
async def sign_investigation(
    case_id: str,
    body: SignatureBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Record one visitor's signature and findings of the home visit (第十八条)."""
    return await _act(
        context,
        clock,
        case_id,
        body,
        "sign_investigation",
        lambda actor: InvestigationSignature(
            request_id=body.request_id, actor=actor, visited_on=body.visited_on
        ),
    )


@router.post("/cases/{case_id}/investigation/complete")
async def complete_investigation(
    case_id: str,
    body: ActionBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Close the investigation; 2 or more different staff must have signed."""
    return await _act(
        context, clock, case_id, body, "complete_investigation", _plain(body)
    )


@router.post("/cases/{case_id}/democratic-review")
async def record_democratic_review(
    case_id: str,
    body: DemocraticReviewBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Record the democratic review's result (第十九条); a failed review rejects."""
    return await _act(
        context,
        clock,
        case_id,
        body,
        "record_democratic_review",
        lambda actor: DemocraticReview(
            request_id=body.request_id,
            actor=actor,
            passed=body.passed,
            votes_for=body.votes_for,
            votes_against=body.votes_against,
            abstained=body.abstained,
        ),
    )


@router.post("/cases/{case_id}/notice/post")
async def post_notice(
    case_id: str,
    body: ActionBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Post the public notice for 5 working days (第十九条)."""
    return await _act(context, clock, case_id, body, "post_notice", _plain(body))


@router.post("/cases/{case_id}/notice/objections")
async def file_objection(
    case_id: str,
    body: RejectBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Register an objection; the notice is taken down until it is resolved."""
    return await _act(context, clock, case_id, body, "file_objection", _plain(body))


@router.post("/cases/{case_id}/notice/objections/resolve")
async def resolve_objection(
    case_id: str,
    body: ObjectionResolutionBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Resolve the objection: upheld rejects, dismissed posts the notice again."""
    return await _act(
        context,
        clock,
        case_id,
        body,
        "resolve_objection",
        lambda actor: ObjectionResolution(
            request_id=body.request_id, actor=actor, upheld=body.upheld
        ),
    )


def _decision(body: DecisionBody) -> Callable[[Actor], StepDecision]:
    return lambda actor: StepDecision(
        request_id=body.request_id,
        actor=actor,
        decision=body.decision,
        return_to=body.return_to,
        site_check=body.site_check,
    )


@router.post("/cases/{case_id}/review")
async def review(
    case_id: str,
    body: DecisionBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Review by the township, industry or enterprise union (第二十条)."""
    return await _act(context, clock, case_id, body, "review", _decision(body))


@router.post("/cases/{case_id}/recheck")
async def recheck(
    case_id: str,
    body: DecisionBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Re-check by the city or county service center (第二十条)."""
    return await _act(context, clock, case_id, body, "recheck", _decision(body))


@router.post("/cases/{case_id}/recognition")
async def recognise(
    case_id: str,
    body: DecisionBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Recognise or reject by the authority of the union chain (第二十一条)."""
    return await _act(context, clock, case_id, body, "recognise", _decision(body))


@router.post("/cases/{case_id}/entry")
async def record_entry(
    case_id: str,
    body: EntryBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Record the national-system entry and its archive number (第二十二条)."""
    return await _act(
        context,
        clock,
        case_id,
        body,
        "record_entry",
        lambda actor: DataEntry(
            request_id=body.request_id,
            actor=actor,
            national_archive_number=body.national_archive_number,
        ),
    )


@router.post("/cases/{case_id}/return")
async def return_case(
    case_id: str,
    body: ReturnBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Send the case back to an earlier step; later records become void."""
    return await _act(
        context,
        clock,
        case_id,
        body,
        "return_case",
        lambda actor: ReturnCase(
            request_id=body.request_id, actor=actor, to_step=body.to_step
        ),
    )


@router.post("/cases/{case_id}/reject")
async def reject_case(
    case_id: str,
    body: RejectBody,
    context: ContextDep,
    clock: ClockDep,
) -> ActionRead:
    """Reject the case at its current step, with the reason."""
    return await _act(context, clock, case_id, body, "reject_case", _plain(body))
