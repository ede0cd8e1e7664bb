"""The printable public notice of a case (第十九条)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.context import AppContext
from api.deps import ClockDep, ContextDep
from api.errors import ERROR_RESPONSES
from core.db import transaction
from services import cases as case_service
from services.notice import build_notice, render_notice

router = APIRouter(prefix="/api/v1", tags=["notices"], responses=ERROR_RESPONSES)


@router.get("/cases/{case_id}/notice", response_class=HTMLResponse)
async def get_notice(
    case_id: str, context: ContextDep, clock: ClockDep
) -> HTMLResponse:
    """Render the 困难职工公示 as printable HTML, with ID numbers masked."""
    now = await clock.now()
    html = await run_in_threadpool(_render, context, case_id, now)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _render(context: AppContext, case_id: str, now: datetime) -> str:
    with transaction(context.session_factory) as session:
        case = case_service.get_case(session, case_id)
        return render_notice(build_notice(session, case, now))
