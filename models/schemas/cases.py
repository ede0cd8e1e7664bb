"""API schemas of cases and their actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from workflows.case_models import Decision, Step

RequestId = Field(
    min_length=1,
    max_length=64,
    description="Caller's id of this request; a repeated id changes nothing",
)
ActorId = Field(
    min_length=1, max_length=40, description="Staff id of the person acting"
)


class Declaration(BaseModel):
    """The applicant's signed declaration of income and assets (第三条)."""

    signed_on: date
    signed_by_member: str = Field(description="Member id of the signer")
    truthful: bool = Field(description="The applicant declares the file true")


class CaseCreate(BaseModel):
    request_id: str = RequestId
    actor_id: str = ActorId
    receiving_union_id: str = Field(min_length=1, max_length=40)
    declaration: Declaration
    household: dict[str, Any] = Field(
        description="A household file as the assessment endpoint takes it"
    )


class ActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: str = RequestId
    actor_id: str = ActorId
    note: str | None = Field(
        default=None, max_length=4000, description="Free text kept with the action"
    )


NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)
]


class SignatureBody(ActionBody):
    visited_on: date
    note: NoteText = Field(description="What the visit found")


class DemocraticReviewBody(ActionBody):
    passed: bool
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    abstained: int = Field(ge=0, default=0)

    @model_validator(mode="after")
    def _result_matches_votes(self) -> DemocraticReviewBody:
        if self.passed != (self.votes_for > self.votes_against):
            raise ValueError(
                f"passed is {self.passed} but the votes are {self.votes_for} for "
                f"and {self.votes_against} against; correct the result or the votes"
            )
        return self


class ObjectionResolutionBody(ActionBody):
    upheld: bool


class DecisionBody(ActionBody):
    decision: Decision
    return_to: Step | None = None
    site_check: bool = Field(
        default=False,
        description="On-site spot check at review, home re-check at re-check",
    )


class ReturnBody(ActionBody):
    to_step: Step
    note: NoteText = Field(description="Why it goes back")


class RejectBody(ActionBody):
    note: NoteText = Field(description="Why it is rejected")


class EntryBody(ActionBody):
    national_archive_number: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ] = Field(description="Archive number the national system gave the case")


class DeadlineRead(BaseModel):
    kind: str
    due_on: date
    due_at: datetime
    provisional: bool


class EventRead(BaseModel):
    seq: int
    kind: str
    step: str
    at: datetime
    actor_id: str | None
    request_id: str | None
    data: dict[str, Any]
    void: bool
    note: str | None = None


class CaseSummary(BaseModel):
    id: str
    workflow_id: str
    status: str
    step: str
    step_label: str
    receiving_union_id: str
    authority_union_id: str
    responsible_union_id: str
    step_started_at: datetime
    deadline: DeadlineRead | None
    verdict: str
    categories: list[int]
    national_archive_number: str | None
    created_at: datetime
    updated_at: datetime


class CaseRead(CaseSummary):
    chain: dict[str, Any]
    missing_materials: list[str]
    materials_present: list[str]
    signatures: int
    objection_open: bool
    assessment: dict[str, Any]
    history: list[EventRead]
    live: bool = Field(description="True when the state came from the workflow itself")


class CaseList(BaseModel):
    items: list[CaseSummary]
    total: int


class ActionRead(BaseModel):
    case_id: str
    request_id: str
    step: str
    status: str
    event_seq: int
