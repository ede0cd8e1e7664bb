"""The case file in PostgreSQL: creation, look-ups, notes and the read model."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.errors import Conflict, ErrorDetail, NotFound, Unprocessable
from eligibility import AssessmentResult, ParsedHousehold
from models.orm.cases import Case, CaseEventRecord, CaseMember, CaseNote
from models.schemas.cases import (
    CaseCreate,
    CaseRead,
    CaseSummary,
    DeadlineRead,
    EventRead,
)
from workflows.case_models import (
    STEP_LABELS_ZH,
    CaseChain,
    CaseState,
    Step,
    workflow_id_for,
)


def new_case_id() -> str:
    return f"c-{uuid.uuid4().hex[:16]}"


def find_by_request(session: Session, request_id: str) -> Case | None:
    return session.scalar(select(Case).where(Case.created_request_id == request_id))


def required_checklist(result: AssessmentResult) -> list[str]:
    """Checklist codes of 第十七条, one per member where the item is per member."""
    codes = []
    for material in result.materials:
        code = (
            f"{material.code}:{material.member_id}"
            if material.member_id
            else material.code
        )
        if code not in codes:
            codes.append(code)
    return codes


def check_open_members(session: Session, parsed: ParsedHousehold) -> None:
    """Reject a household naming a person who is a member of another open case."""
    numbers = {m.id_number: index for index, m in enumerate(parsed.household.members)}
    rows = session.execute(
        select(CaseMember.id_number, Case.id, Case.receiving_union_id)
        .join(Case, Case.id == CaseMember.case_id)
        .where(CaseMember.is_open, CaseMember.id_number.in_(numbers))
    ).all()
    if rows:
        cases = sorted({(case_id, union) for _, case_id, union in rows})
        raise Conflict(
            "a member of this household is already in an open case: "
            + ", ".join(f"case {case_id} of union {union}" for case_id, union in cases),
            message_zh="家庭成员已在其他未结案件中："
            + "；".join(f"{union} 的案件 {case_id}" for case_id, union in cases),
            code="member_in_open_case",
            details=[
                ErrorDetail(
                    loc=["household", "members", numbers[number], "id_number"],
                    message=f"already a member of open case {case_id} of union {union}",
                    fix="close or deregister that case first, or correct the number",
                )
                for number, case_id, union in rows
            ],
        )


def create_case(
    session: Session,
    body: CaseCreate,
    parsed: ParsedHousehold,
    result: AssessmentResult,
    chain: CaseChain,
    now: datetime,
) -> Case:
    household = parsed.household
    if body.declaration.signed_by_member != household.applicant.member:
        raise Unprocessable(
            "the declaration must be signed by the applicant",
            message_zh="收入和财产申报须由申请人本人签字（第三条）",
            details=[
                ErrorDetail(
                    loc=["declaration", "signed_by_member"],
                    message=f"expected applicant {household.applicant.member}",
                    fix="give the applicant's member id",
                )
            ],
        )
    if not body.declaration.truthful:
        raise Unprocessable(
            "the applicant has not declared the file true (第三条)",
            message_zh="申请人须签署如实申报声明（第三条）",
            details=[
                ErrorDetail(loc=["declaration", "truthful"], message="must be true")
            ],
        )
    if body.declaration.signed_on > now.date():
        raise Unprocessable(
            "the declaration is dated in the future",
            details=[
                ErrorDetail(
                    loc=["declaration", "signed_on"],
                    message=f"{body.declaration.signed_on} is after today {now.date()}",
                    fix="give the date it was signed",
                )
            ],
        )
    check_open_members(session, parsed)
    case_id = new_case_id()
    case = Case(
        id=case_id,
        workflow_id=workflow_id_for(case_id),
        receiving_union_id=chain.receiving_union_id,
        authority_union_id=chain.authority_union_id,
        responsible_union_id=chain.receiving_union_id,
        applicant_member_id=household.applicant.member,
        household=body.household,
        assessment=result.model_dump(mode="json"),
        declaration_signed_on=body.declaration.signed_on,
        chain=chain.model_dump(mode="json"),
        status="open",
        step=Step.application.value,
        step_started_at=now,
        last_event_seq=0,
        created_request_id=body.request_id,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.add_all(
        CaseMember(case_id=case_id, member_id=m.id, id_number=m.id_number, is_open=True)
        for m in household.members
    )
    try:
        session.flush()
    except IntegrityError as exc:
        # Another request took one of the members between the check and now.
        raise Conflict(
            "a member of this household was just added to another open case",
            message_zh="家庭成员刚被登记到其他案件，请刷新后重试",
            code="member_in_open_case",
        ) from exc
    return case


def get_case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} not found", message_zh=f"案件 {case_id} 不存在")
    return case


def add_note(
    session: Session,
    case_id: str,
    request_id: str,
    kind: str,
    author_id: str,
    text: str,
    now: datetime,
) -> None:
    exists = session.scalar(
        select(CaseNote.id).where(
            CaseNote.case_id == case_id, CaseNote.request_id == request_id
        )
    )
    if exists is None:
        session.add(
            CaseNote(
                case_id=case_id,
                request_id=request_id,
                kind=kind,
                author_id=author_id,
                text=text,
                created_at=now,
            )
        )


def list_cases(
    session: Session,
    *,
    union_id: str | None = None,
    step: str | None = None,
    status: str | None = None,
    overdue_at: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Case], int]:
    query = select(Case)
    if union_id:
        query = query.where(
            (Case.receiving_union_id == union_id)
            | (Case.authority_union_id == union_id)
            | (Case.responsible_union_id == union_id)
        )
    if step:
        query = query.where(Case.step == step)
    if status:
        query = query.where(Case.status == status)
    if overdue_at:
        query = query.where(Case.due_at.is_not(None), Case.due_at <= overdue_at)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Case.created_at.desc(), Case.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def summary(case: Case) -> CaseSummary:
    deadline = None
    if case.due_at and case.due_on and case.due_kind:
        deadline = DeadlineRead(
            kind=case.due_kind,
            due_on=case.due_on,
            due_at=case.due_at,
            provisional=case.due_provisional,
        )
    return CaseSummary(
        id=case.id,
        workflow_id=case.workflow_id,
        status=case.status,
        step=case.step,
        step_label=STEP_LABELS_ZH[Step(case.step)],
        receiving_union_id=case.receiving_union_id,
        authority_union_id=case.authority_union_id,
        responsible_union_id=case.responsible_union_id,
        step_started_at=case.step_started_at,
        deadline=deadline,
        verdict=case.assessment.get("verdict", ""),
        categories=case.assessment.get("categories", []),
        national_archive_number=case.national_archive_number,
        created_at=case.created_at,
        updated_at=case.updated_at,
    )


def read_model(session: Session, case: Case, live: CaseState | None) -> CaseRead:
    """Combine the projection with the workflow's live state when a query got it."""
    events = session.scalars(
        select(CaseEventRecord)
        .where(CaseEventRecord.case_id == case.id)
        .order_by(CaseEventRecord.seq)
    ).all()
    notes = {
        note.request_id: note.text
        for note in session.scalars(select(CaseNote).where(CaseNote.case_id == case.id))
    }
    base = summary(case)
    chain = CaseChain.model_validate(case.chain)
    present: list[str] = sorted(live.materials_present) if live else []
    required: list[str] = live.required_materials if live else []
    if live is not None:
        base.step = live.step.value
        base.step_label = STEP_LABELS_ZH[live.step]
        base.status = live.status.value
        if live.deadline:
            base.deadline = DeadlineRead(
                kind=live.deadline.kind,
                due_on=live.deadline.ends_on,
                due_at=live.deadline.due_at,
                provisional=live.deadline.provisional,
            )
        else:
            base.deadline = None
    history = [
        EventRead(
            seq=e.seq,
            kind=e.kind,
            step=e.step,
            at=e.at,
            actor_id=e.actor_id,
            request_id=e.request_id,
            data=e.data,
            void=e.voided_by_seq is not None,
            note=notes.get(e.request_id) if e.request_id else None,
        )
        for e in events
    ]
    extra: dict[str, Any] = {
        "chain": chain.model_dump(),
        "missing_materials": [c for c in required if c not in present],
        "materials_present": present,
        "signatures": len([s for s in live.signatures if not s.void]) if live else 0,
        "objection_open": live.objection_open if live else False,
        "assessment": case.assessment,
        "history": history,
        "live": live is not None,
    }
    return CaseRead(**base.model_dump(), **extra)
