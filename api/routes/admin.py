"""Administrator endpoints: the simulated clock and the working-day calendar.

Until access control exists they respond only in development, simulated and
test mode, where no real household data is kept.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from temporalio.service import RPCError

from api.deps import ClientDep, ClockDep, ContextDep, get_client
from api.errors import ERROR_RESPONSES, Conflict, Forbidden, Unprocessable
from core.clock import TestServerClock
from core.db import transaction
from core.logging import get_logger
from models.orm.cases import Case
from services import calendar_store
from workflows.case import CaseWorkflow
from workflows.case_models import CalendarChanged, workflow_id_for

log = get_logger(__name__)


def require_admin_mode(context: ContextDep) -> None:
    if not context.settings.admin_endpoints_enabled:
        raise Forbidden(
            "administrator endpoints are disabled in "
            f"{context.settings.environment} mode until access control exists",
            message_zh="管理接口仅在开发和模拟模式下开放",
        )


router = APIRouter(
    prefix="/api/v1/admin",
    tags=["admin"],
    responses=ERROR_RESPONSES,
    dependencies=[Depends(require_admin_mode)],
)


# The simulated clock cannot go back. One request may move it at most about
# ten years, because a typo of many more would end every simulated case.
MAX_ADVANCE = timedelta(days=3660)


class ClockRead(BaseModel):
    now: datetime
    simulated: bool


class ClockAdvance(BaseModel):
    duration: timedelta | None = Field(
        default=None, description="ISO 8601 duration such as P3D or PT12H, or seconds"
    )
    until: datetime | None = Field(default=None, description="An instant with offset")

    @model_validator(mode="after")
    def _one_of(self) -> ClockAdvance:
        if (self.duration is None) == (self.until is None):
            raise ValueError("give exactly one of duration and until")
        if self.duration is not None and not (
            timedelta(0) < self.duration <= MAX_ADVANCE
        ):
            raise ValueError(
                f"duration must be positive and at most {MAX_ADVANCE.days} days; "
                "advance in several steps for longer"
            )
        return self


@router.get("/clock")
async def read_clock(clock: ClockDep) -> ClockRead:
    """Return the business time that the service uses."""
    return ClockRead(
        now=await clock.now(), simulated=isinstance(clock, TestServerClock)
    )


@router.post("/clock/advance")
async def advance_clock(body: ClockAdvance, clock: ClockDep) -> ClockRead:
    """Move the simulated clock forward; every timer due meanwhile fires."""
    if not isinstance(clock, TestServerClock):
        raise Conflict(
            "the clock can only be advanced in simulated mode (run --simulated)",
            message_zh="只有模拟模式下可以推进时钟",
        )
    try:
        if body.duration is not None:
            now = await clock.advance(body.duration)
        else:
            assert body.until is not None
            if body.until.tzinfo is not None:
                current = await clock.now()
                if body.until - current > MAX_ADVANCE:
                    raise ValueError(
                        f"until must be at most {MAX_ADVANCE.days} days after "
                        f"{current.isoformat()}; advance in several steps"
                    )
            now = await clock.advance_to(body.until)
    except ValueError as exc:
        raise Unprocessable(str(exc)) from exc
    log.info("clock_advanced", now=now.isoformat())
    return ClockRead(now=now, simulated=True)


class OverrideWrite(BaseModel):
    day: date
    is_working_day: bool
    reason: str = Field(min_length=1, max_length=500)
    actor_id: str = Field(min_length=1, max_length=40)


class YearNoticeWrite(BaseModel):
    source: str = Field(min_length=1, max_length=200)
    holidays: list[date] = Field(description="Weekdays off under the year's notice")
    working_days: list[date] = Field(description="Weekend days worked (调休)")
    actor_id: str = Field(min_length=1, max_length=40)


class CalendarChangeRead(BaseModel):
    change_id: str
    cases_signalled: int


class OverrideRead(BaseModel):
    day: date
    is_working_day: bool
    reason: str
    created_by: str


@router.get("/calendar/overrides")
def list_overrides(context: ContextDep) -> list[OverrideRead]:
    with transaction(context.session_factory) as session:
        return [
            OverrideRead(
                day=row.day,
                is_working_day=row.is_working_day,
                reason=row.reason,
                created_by=row.created_by,
            )
            for row in calendar_store.list_overrides(session)
        ]


@router.post("/calendar/overrides")
async def set_override(
    body: OverrideWrite, context: ContextDep, clock: ClockDep
) -> CalendarChangeRead:
    """Mark one day working or not; open cases with later deadlines recompute."""

    def store() -> list[str]:
        with transaction(context.session_factory) as session:
            try:
                calendar_store.set_override(
                    session, body.day, body.is_working_day, body.reason, body.actor_id
                )
            except ValueError as exc:
                raise Unprocessable(str(exc)) from exc
            return _cases_due_on_or_after(session, body.day)

    # Connected before the change is stored, so an unreachable Temporal
    # stores nothing rather than a change that no open case hears of.
    client = await get_client(context)
    case_ids = await run_in_threadpool(store)
    now = await clock.now()
    change = CalendarChanged(
        change_id=f"override-{body.day}-{now:%Y%m%dT%H%M%S}", dates=[body.day]
    )
    return await _signal(client, case_ids, change)


@router.post("/calendar/years/{year}")
async def load_year_notice(
    year: int,
    body: YearNoticeWrite,
    context: ContextDep,
    clock: ClockDep,
) -> CalendarChangeRead:
    """Load a year's State Council notice; open cases due from that year recompute."""

    def store() -> list[str]:
        with transaction(context.session_factory) as session:
            try:
                calendar_store.load_year_notice(
                    session,
                    year,
                    body.holidays,
                    body.working_days,
                    body.source,
                    actor=body.actor_id,
                )
            except ValueError as exc:
                raise Unprocessable(str(exc)) from exc
            return _cases_due_on_or_after(session, date(year, 1, 1))

    # Connected before the change is stored, so an unreachable Temporal
    # stores nothing rather than a change that no open case hears of.
    client = await get_client(context)
    case_ids = await run_in_threadpool(store)
    now = await clock.now()
    change = CalendarChanged(
        change_id=f"notice-{year}-{now:%Y%m%dT%H%M%S}",
        dates=sorted({*body.holidays, *body.working_days}),
    )
    return await _signal(client, case_ids, change)


def _cases_due_on_or_after(session, day: date) -> list[str]:  # type: ignore[no-untyped-def]
    # A changed day can move only a deadline that ends on or after it.
    return list(
        session.scalars(
            select(Case.id).where(Case.due_on.is_not(None), Case.due_on >= day)
        )
    )


async def _signal(
    client: ClientDep, case_ids: list[str], change: CalendarChanged
) -> CalendarChangeRead:
    signalled = 0
    for case_id in case_ids:
        handle = client.get_workflow_handle(workflow_id_for(case_id))
        try:
            await handle.signal(CaseWorkflow.calendar_changed, change)
        except RPCError as exc:
            # A case whose workflow has ended has no deadline left to move.
            log.warning("calendar_signal_failed", case_id=case_id, error=str(exc))
            continue
        signalled += 1
    log.info("calendar_changed", change_id=change.change_id, cases=signalled)
    return CalendarChangeRead(change_id=change.change_id, cases_signalled=signalled)
