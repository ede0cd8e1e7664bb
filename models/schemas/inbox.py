"""API models of inbox entries: reminders, overdue alerts and case results."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from models.orm.cases import InboxEntry
from workflows.case_models import STEP_LABELS_ZH, Step


class InboxState(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


INBOX_STATE_LABELS_ZH = {
    InboxState.open: "待处理",
    InboxState.acknowledged: "已知悉",
    InboxState.resolved: "已办结",
}

INBOX_KIND_LABELS_ZH = {
    "reminder": "到期提醒",
    "overdue": "逾期警示",
    "result": "结果通知",
}


class InboxEntryRead(BaseModel):
    id: int
    recipient_kind: str
    recipient_id: str
    case_id: str
    kind: str
    kind_label: str | None
    step: str
    step_label: str | None
    deadline_kind: str | None
    due_at: datetime | None
    title: str
    state: InboxState
    state_label: str
    note: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: InboxEntry) -> InboxEntryRead:
        state = InboxState(row.state)
        step_label = (
            STEP_LABELS_ZH[Step(row.step)] if row.step in Step.__members__ else None
        )
        return cls(
            id=row.id,
            recipient_kind=row.recipient_kind,
            recipient_id=row.recipient_id,
            case_id=row.case_id,
            kind=row.kind,
            kind_label=INBOX_KIND_LABELS_ZH.get(row.kind),
            step=row.step,
            step_label=step_label,
            deadline_kind=row.deadline_kind,
            due_at=row.due_at,
            title=row.title,
            state=state,
            state_label=INBOX_STATE_LABELS_ZH[state],
            note=row.note,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


class InboxPage(BaseModel):
    items: list[InboxEntryRead]
    total: int
    limit: int
    offset: int


class AcknowledgeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(
        min_length=1, max_length=4000, description="What the recipient will do"
    )


class ResolveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(
        default=None,
        min_length=1,
        max_length=4000,
        description="How the entry was settled, added below an earlier note",
    )
