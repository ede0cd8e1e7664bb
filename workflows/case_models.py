"""Inputs, updates and state of the case workflow.

Everything here goes into Temporal histories, so it carries ids, codes,
dates and figures only: never a name, an ID number or free text a person
typed. Free text (findings, opinions, reasons) stays in PostgreSQL, keyed by
the case id and the request id.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Step(StrEnum):
    application = "application"  # 申请，第十七条
    investigation = "investigation"  # 入户调查，第十八条
    democratic_review = "democratic_review"  # 民主评议，第十九条
    public_notice = "public_notice"  # 公示，第十九条
    review = "review"  # 审核，第二十条
    recheck = "recheck"  # 复核，第二十条
    recognition = "recognition"  # 认定，第二十一条
    data_entry = "data_entry"  # 录入，第二十二条
    assistance = "assistance"  # 帮扶，第二十三条
    closed = "closed"


STEP_ORDER = [
    Step.application,
    Step.investigation,
    Step.democratic_review,
    Step.public_notice,
    Step.review,
    Step.recheck,
    Step.recognition,
    Step.data_entry,
    Step.assistance,
]

STEP_LABELS_ZH = {
    Step.application: "申请",
    Step.investigation: "入户调查",
    Step.democratic_review: "民主评议",
    Step.public_notice: "公示",
    Step.review: "审核",
    Step.recheck: "复核",
    Step.recognition: "认定",
    Step.data_entry: "录入",
    Step.assistance: "帮扶",
    Step.closed: "已结束",
}


class CaseStatus(StrEnum):
    open = "open"
    rejected = "rejected"
    recognised = "recognised"
    entered = "entered"


class CaseChain(BaseModel):
    """The unions that act on a case, found from the receiving union's chain."""

    receiving_union_id: str
    # None when the chain has no township, industry or directly affiliated
    # enterprise union; the review of 第二十条 is then skipped.
    review_union_id: str | None
    recheck_union_id: str
    authority_union_id: str
    # Unions between the receiving union and the authority, which are
    # notified of the recognition's result (第二十一条).
    lower_union_ids: list[str] = []


class CaseTimings(BaseModel):
    notice_working_days: int = 5
    entry_working_days: int = 30
    # Working days before the entry deadline at which a reminder is sent.
    entry_reminder_working_days: list[int] = [10, 3]
    # The workflow continues as new once its history passes this many events.
    max_history_events: int = 10_000


class Actor(BaseModel):
    staff_id: str
    union_id: str
    role: str


class Action(BaseModel):
    request_id: str = Field(min_length=1, max_length=64)
    actor: Actor


class MaterialAction(Action):
    item_code: str
    material_id: str | None = None


class InvestigationSignature(Action):
    visited_on: date


class DemocraticReview(Action):
    passed: bool
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    abstained: int = Field(ge=0, default=0)


class ObjectionResolution(Action):
    upheld: bool


Decision = Literal["approve", "return", "reject"]


class StepDecision(Action):
    decision: Decision
    # The step the case goes back to when the decision is "return".
    return_to: Step | None = None
    # 第二十条: on-site spot check at review, home re-check at re-check.
    site_check: bool = False


class ReturnCase(Action):
    to_step: Step


class DataEntry(Action):
    national_archive_number: str = Field(min_length=1, max_length=64)


class CalendarChanged(BaseModel):
    change_id: str
    dates: list[date]


class Deadline(BaseModel):
    kind: Literal["public_notice", "data_entry"]
    anchor: date
    working_days: int
    ends_on: date
    due_at: datetime
    provisional: bool
    computed_at: datetime


class Signature(BaseModel):
    staff_id: str
    visited_on: date
    request_id: str
    void: bool = False


class CaseEvent(BaseModel):
    seq: int
    kind: str
    step: Step
    at: datetime
    actor_id: str | None = None
    request_id: str | None = None
    data: dict[str, object] = {}
    # Set when a later return to an earlier step made this record void.
    voided_by_seq: int | None = None


class ActionResult(BaseModel):
    case_id: str
    request_id: str
    step: Step
    status: CaseStatus
    event_seq: int


class CaseState(BaseModel):
    case_id: str
    step: Step = Step.application
    status: CaseStatus = CaseStatus.open
    required_materials: list[str] = []
    materials_present: dict[str, str | None] = {}
    materials_rejected: list[str] = []
    signatures: list[Signature] = []
    notice_posted_at: datetime | None = None
    objection_open: bool = False
    notice_postings: int = 0
    deadline: Deadline | None = None
    entry_reminders_sent: list[int] = []
    entry_overdue_alerted: bool = False
    national_archive_number: str | None = None
    recognised_at: datetime | None = None
    events: list[CaseEvent] = []
    # Results of applied actions by request id, so a repeated request
    # returns the first result and changes nothing.
    applied: dict[str, ActionResult] = {}
    projected_seq: int = 0


class CaseInput(BaseModel):
    case_id: str
    chain: CaseChain
    required_materials: list[str]
    timings: CaseTimings = CaseTimings()
    # Set when the workflow continues as new.
    state: CaseState | None = None


def workflow_id_for(case_id: str) -> str:
    return f"case-{case_id}"
