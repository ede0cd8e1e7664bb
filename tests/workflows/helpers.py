"""Helpers for case workflow tests: a case row, actors, a running worker."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session, sessionmaker

from core.db import transaction
from models.orm.cases import Case
from workflows.case_models import Action, Actor, CaseChain

GRASSROOTS = "u-t-grass"
TOWNSHIP = "u-t-town"
COUNTY = "u-t-county"
OTHER = "u-t-other"

CHAIN = CaseChain(
    receiving_union_id=GRASSROOTS,
    review_union_id=TOWNSHIP,
    recheck_union_id=COUNTY,
    authority_union_id=COUNTY,
    lower_union_ids=[GRASSROOTS, TOWNSHIP],
)


# Staff of the county act as its approvers, because recognition needs one;
# everyone else acts as a caseworker unless a test sets another role.
DEFAULT_ROLES = {COUNTY: "approver"}


def actor(union_id: str, staff_id: str | None = None, role: str | None = None) -> Actor:
    return Actor(
        staff_id=staff_id or f"s-{uuid.uuid4().hex[:6]}",
        union_id=union_id,
        role=role or DEFAULT_ROLES.get(union_id, "caseworker"),
    )


def action(union_id: str, staff_id: str | None = None) -> Action:
    return Action(request_id=uuid.uuid4().hex, actor=actor(union_id, staff_id))


def insert_case(factory: sessionmaker[Session], chain: CaseChain = CHAIN) -> str:
    case_id = f"c-{uuid.uuid4().hex[:12]}"
    now = datetime.now(UTC)
    with transaction(factory) as session:
        session.add(
            Case(
                id=case_id,
                workflow_id=f"case-{case_id}",
                receiving_union_id=chain.receiving_union_id,
                authority_union_id=chain.authority_union_id,
                responsible_union_id=chain.receiving_union_id,
                applicant_member_id="m1",
                household={},
                assessment={},
                declaration_signed_on=date.today(),
                chain=chain.model_dump(),
                status="open",
                step="application",
                step_started_at=now,
                last_event_seq=0,
                created_request_id=uuid.uuid4().hex,
                created_at=now,
                updated_at=now,
            )
        )
    return case_id
