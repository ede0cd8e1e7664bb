"""The printable public notice of 第十九条 (困难职工公示).

The notice shows the applicant's name, the hardship causes, the main family
members and the household income. ID numbers appear only masked, and every
value is HTML-escaped by the template engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from sqlalchemy import select
from sqlalchemy.orm import Session

from eligibility.categories import CAUSE_LABELS, EVENT_LABELS
from models.orm.cases import Case, CaseEventRecord
from models.orm.unions import TradeUnion
from workflows.case_models import CaseTimings

SHANGHAI = ZoneInfo("Asia/Shanghai")

RELATION_LABELS_ZH = {
    "self": "本人",
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "other": "其他",
}

# Workflow events that start a posting of the notice.
POSTING_EVENTS = ("notice_posted", "objection_dismissed_notice_reposted")

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("api", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass
class NoticeMember:
    relation: str
    name: str
    age: int | None


@dataclass
class NoticeView:
    case_id: str
    union_name: str
    applicant_name: str
    applicant_id_number: str
    causes: list[str]
    members: list[NoticeMember]
    members_counted: int | None
    disposable_income: str | None
    per_capita_monthly_income: str | None
    working_days: int
    posted_on: date | None
    ends_on: date | None
    provisional: bool
    issued_on: date


def mask_id_number(value: str) -> str:
    """Keep the first 6 and last 4 characters of an ID number, star the rest."""
    value = value.strip()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def build_notice(session: Session, case: Case, now: datetime) -> NoticeView:
    """Collect the notice's content from the case file and its projection."""
    household: dict[str, Any] = case.household or {}
    assessment: dict[str, Any] = case.assessment or {}
    members = household.get("members", [])
    applicant: dict[str, Any] = next(
        (m for m in members if m.get("id") == case.applicant_member_id), {}
    )
    union = session.get(TradeUnion, case.receiving_union_id)
    income = assessment.get("income") or {}
    posted_on, working_days = _posting(session, case)
    is_notice_deadline = case.due_kind == "public_notice" and case.due_on is not None

    return NoticeView(
        case_id=case.id,
        union_name=union.name if union else case.receiving_union_id,
        applicant_name=str(applicant.get("name", "")),
        applicant_id_number=mask_id_number(str(applicant.get("id_number", ""))),
        causes=_causes(household),
        members=_members(members, assessment),
        members_counted=assessment.get("members_counted"),
        disposable_income=_yuan(income.get("disposable_income")),
        per_capita_monthly_income=_yuan(assessment.get("per_capita_monthly_income")),
        working_days=working_days,
        posted_on=posted_on if is_notice_deadline else None,
        ends_on=case.due_on if is_notice_deadline else None,
        provisional=is_notice_deadline and case.due_provisional,
        issued_on=now.astimezone(SHANGHAI).date(),
    )


def render_notice(view: NoticeView) -> str:
    return _environment.get_template("notice.html").render(notice=view)


def _causes(household: dict[str, Any]) -> list[str]:
    causes = [
        CAUSE_LABELS.get(str(cause), str(cause))
        for cause in household.get("hardship_causes", [])
    ]
    event = household.get("sudden_event")
    if isinstance(event, dict) and event.get("kind"):
        kind = str(event["kind"])
        causes.append(f"突发{EVENT_LABELS.get(kind, kind)}")
    return causes


def _members(
    members: list[dict[str, Any]], assessment: dict[str, Any]
) -> list[NoticeMember]:
    assessed = {m.get("id"): m for m in assessment.get("members", [])}
    rows = []
    for member in members:
        result = assessed.get(member.get("id"))
        # Members not counted in the household (第十条) are not shown.
        if result is not None and not result.get("counted", True):
            continue
        relation = str(member.get("relation", "other"))
        rows.append(
            NoticeMember(
                relation=RELATION_LABELS_ZH.get(relation, relation),
                name=str(member.get("name", "")),
                age=result.get("age") if result else None,
            )
        )
    return rows


def _posting(session: Session, case: Case) -> tuple[date | None, int]:
    """Find the day of the latest valid posting and its working-day budget."""
    posting = session.scalar(
        select(CaseEventRecord)
        .where(
            CaseEventRecord.case_id == case.id,
            CaseEventRecord.kind.in_(POSTING_EVENTS),
            CaseEventRecord.voided_by_seq.is_(None),
        )
        .order_by(CaseEventRecord.seq.desc())
        .limit(1)
    )
    deadline = session.scalar(
        select(CaseEventRecord)
        .where(
            CaseEventRecord.case_id == case.id,
            CaseEventRecord.kind == "deadline_set",
            CaseEventRecord.voided_by_seq.is_(None),
        )
        .order_by(CaseEventRecord.seq.desc())
        .limit(1)
    )
    working_days = CaseTimings().notice_working_days
    if deadline is not None and deadline.data.get("kind") == "public_notice":
        working_days = int(deadline.data.get("working_days", working_days))
    posted_on = posting.at.astimezone(SHANGHAI).date() if posting else None
    return posted_on, working_days


def _yuan(value: object) -> str | None:
    if value is None:
        return None
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return None
