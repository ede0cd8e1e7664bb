"""Inputs and outputs of the case activities (ids, dates and codes only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel

from workflows.case_models import CaseEvent, CaseStatus, Deadline, Step


class DeadlineRequest(BaseModel):
    kind: Literal["public_notice", "data_entry"]
    anchor: date
    working_days: int
    # Reminders go out this many working days before the deadline's last day.
    reminder_working_days: list[int] = []
    computed_at: datetime


class DeadlineResult(BaseModel):
    deadline: Deadline
    # Working days before → the date on which that reminder is due.
    reminder_dates: dict[int, date] = {}


class CaseSnapshot(BaseModel):
    step: Step
    status: CaseStatus
    responsible_union_id: str
    step_started_at: datetime
    deadline: Deadline | None
    national_archive_number: str | None
    updated_at: datetime


class ProjectionRequest(BaseModel):
    case_id: str
    # New events, and older ones whose void mark changed.
    events: list[CaseEvent]
    snapshot: CaseSnapshot
    snapshot_seq: int


class InboxRequest(BaseModel):
    # Derived from the workflow's own state, so a retried activity writes once.
    dedup_key: str
    recipient_kind: Literal["union", "worker"]
    recipient_id: str
    case_id: str
    kind: Literal["reminder", "overdue", "result"]
    step: Step
    deadline_kind: str | None = None
    due_at: datetime | None = None
    title: str
    now: datetime


class InboxResult(BaseModel):
    created: bool
