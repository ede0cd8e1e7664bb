"""Inbox of unions and workers: list entries, acknowledge them, resolve them.

Entries are written by the case workflow's `send_inbox_entry` activity. An
entry goes from open to acknowledged to resolved, and may be resolved
straight from open. No other move is allowed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.deps import ClockDep, SessionDep
from api.errors import ERROR_RESPONSES, Conflict, ErrorDetail, NotFound, Unprocessable
from models.orm.cases import InboxEntry
from models.schemas.inbox import (
    INBOX_STATE_LABELS_ZH,
    AcknowledgeBody,
    InboxEntryRead,
    InboxPage,
    InboxState,
    ResolveBody,
)

router = APIRouter(prefix="/api/v1", tags=["inbox"], responses=ERROR_RESPONSES)

# The states an entry may move to, by its current state.
TRANSITIONS: dict[InboxState, set[InboxState]] = {
    InboxState.open: {InboxState.acknowledged, InboxState.resolved},
    InboxState.acknowledged: {InboxState.resolved},
    InboxState.resolved: set(),
}


@router.get("/inbox")
def list_inbox(
    session: SessionDep,
    recipient_id: str | None = None,
    state: InboxState | None = None,
    case_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> InboxPage:
    """List entries of a recipient or a case, newest first, optionally in one state."""
    if recipient_id is None and case_id is None:
        raise Unprocessable(
            "give recipient_id or case_id to choose whose inbox to list",
            message_zh="请指定接收方（recipient_id）或案件（case_id）",
            details=[
                ErrorDetail(
                    loc=["query", "recipient_id"],
                    message="recipient_id or case_id is required",
                    fix="add ?recipient_id=<union or case id> or ?case_id=<case id>",
                )
            ],
        )
    query = select(InboxEntry)
    if recipient_id is not None:
        query = query.where(InboxEntry.recipient_id == recipient_id)
    if case_id is not None:
        query = query.where(InboxEntry.case_id == case_id)
    if state is not None:
        query = query.where(InboxEntry.state == state.value)

    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(InboxEntry.created_at.desc(), InboxEntry.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return InboxPage(
        items=[InboxEntryRead.from_row(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def _now(clock: ClockDep) -> datetime:
    return await clock.now()


NowDep = Annotated[datetime, Depends(_now)]


@router.post("/inbox/{entry_id}/acknowledge")
def acknowledge_entry(
    entry_id: int, body: AcknowledgeBody, session: SessionDep, now: NowDep
) -> InboxEntryRead:
    """Mark an open entry as seen, with what the recipient will do about it."""
    row = _locked_entry(session, entry_id)
    _move(row, InboxState.acknowledged)
    row.note = body.note
    row.updated_at = now
    session.flush()
    return InboxEntryRead.from_row(row)


@router.post("/inbox/{entry_id}/resolve")
def resolve_entry(
    entry_id: int, session: SessionDep, now: NowDep, body: ResolveBody | None = None
) -> InboxEntryRead:
    """Close an open or acknowledged entry; a note is added below an earlier one."""
    row = _locked_entry(session, entry_id)
    _move(row, InboxState.resolved)
    if body is not None and body.note:
        row.note = f"{row.note}\n{body.note}" if row.note else body.note
    row.updated_at = now
    session.flush()
    return InboxEntryRead.from_row(row)


def _locked_entry(session: Session, entry_id: int) -> InboxEntry:
    # Locked so two concurrent transitions of one entry cannot both pass.
    row = session.get(InboxEntry, entry_id, with_for_update=True)
    if row is None:
        raise NotFound(
            f"inbox entry {entry_id} not found",
            message_zh=f"待办事项 {entry_id} 不存在",
        )
    return row


def _move(row: InboxEntry, target: InboxState) -> None:
    current = InboxState(row.state)
    if target in TRANSITIONS[current]:
        row.state = target.value
        return
    raise Conflict(
        f"inbox entry {row.id} is {current.value} and cannot become {target.value}",
        message_zh=(
            f"待办事项 {row.id} 当前为“{INBOX_STATE_LABELS_ZH[current]}”，"
            f"不能改为“{INBOX_STATE_LABELS_ZH[target]}”"
        ),
        code="invalid_transition",
    )
