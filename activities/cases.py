"""Activities of the case workflow: projection, deadlines, inbox entries.

Every write is keyed by the case id and the workflow's event sequence (or a
key derived from the workflow's state), so a retried activity writes once.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.case_models import (
    DeadlineRequest,
    DeadlineResult,
    InboxRequest,
    InboxResult,
    ProjectionRequest,
)
from core.db import transaction
from models.orm.cases import Case, CaseEventRecord, CaseMember, InboxEntry
from services.calendar_store import load_calendar
from workdays import WorkCalendar
from workflows.case_models import CaseStatus, Deadline

CLOSED_STATUSES = {CaseStatus.rejected}


class CaseActivities:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    @activity.defn
    def compute_deadline(self, request: DeadlineRequest) -> DeadlineResult:
        """Derive a deadline's last day from its working-day budget and the calendar."""
        with transaction(self._session_factory) as session:
            # A budget of up to a few months never leaves the next year.
            calendar = load_calendar(
                session, [request.anchor.year, request.anchor.year + 1]
            )
            computed = calendar.add_working_days(request.anchor, request.working_days)
            reminders = {
                days_before: working_days_before(
                    calendar, computed.ends_on, days_before
                )
                for days_before in request.reminder_working_days
                if days_before < request.working_days
            }
        return DeadlineResult(
            deadline=Deadline(
                kind=request.kind,
                anchor=request.anchor,
                working_days=request.working_days,
                ends_on=computed.ends_on,
                due_at=computed.due_at,
                provisional=computed.provisional,
                computed_at=request.computed_at,
            ),
            reminder_dates=reminders,
        )

    @activity.defn
    def project_case(self, request: ProjectionRequest) -> None:
        """Write new history events and the case's current state to PostgreSQL."""
        with transaction(self._session_factory) as session:
            for event in request.events:
                statement = pg_insert(CaseEventRecord).values(
                    case_id=request.case_id,
                    seq=event.seq,
                    kind=event.kind,
                    step=event.step.value,
                    at=event.at,
                    actor_id=event.actor_id,
                    request_id=event.request_id,
                    data=event.data,
                    voided_by_seq=event.voided_by_seq,
                )
                session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["case_id", "seq"],
                        set_={"voided_by_seq": statement.excluded.voided_by_seq},
                    )
                )
            snapshot = request.snapshot
            deadline = snapshot.deadline
            # An older snapshot arriving late (a retried attempt) must not
            # overwrite a newer one.
            session.execute(
                update(Case)
                .where(Case.id == request.case_id)
                .where(Case.last_event_seq <= request.snapshot_seq)
                .values(
                    step=snapshot.step.value,
                    status=snapshot.status.value,
                    responsible_union_id=snapshot.responsible_union_id,
                    step_started_at=snapshot.step_started_at,
                    due_kind=deadline.kind if deadline else None,
                    due_at=deadline.due_at if deadline else None,
                    due_on=deadline.ends_on if deadline else None,
                    due_provisional=deadline.provisional if deadline else False,
                    national_archive_number=snapshot.national_archive_number,
                    last_event_seq=request.snapshot_seq,
                    updated_at=snapshot.updated_at,
                )
            )
            if snapshot.status in CLOSED_STATUSES:
                # The household's members may apply again in a new case.
                session.execute(
                    update(CaseMember)
                    .where(CaseMember.case_id == request.case_id)
                    .values(is_open=False)
                )

    @activity.defn
    def send_inbox_entry(self, request: InboxRequest) -> InboxResult:
        """Raise a reminder, alert or notification unless it was raised already."""
        with transaction(self._session_factory) as session:
            if request.kind == "overdue":
                open_alert = session.scalar(
                    select(InboxEntry.id).where(
                        InboxEntry.case_id == request.case_id,
                        InboxEntry.deadline_kind == request.deadline_kind,
                        InboxEntry.kind == "overdue",
                        InboxEntry.state == "open",
                    )
                )
                if open_alert is not None:
                    activity.logger.info(
                        "overdue_alert_already_open",
                        extra={"case_id": request.case_id, "entry_id": open_alert},
                    )
                    return InboxResult(created=False)
            result = session.execute(
                pg_insert(InboxEntry)
                .values(
                    dedup_key=request.dedup_key,
                    recipient_kind=request.recipient_kind,
                    recipient_id=request.recipient_id,
                    case_id=request.case_id,
                    kind=request.kind,
                    step=request.step.value,
                    deadline_kind=request.deadline_kind,
                    due_at=request.due_at,
                    title=request.title,
                    state="open",
                    created_at=request.now,
                    updated_at=request.now,
                )
                .on_conflict_do_nothing()
            )
            # An insert that hit the dedup key changed no row.
            created = getattr(result, "rowcount", 0) == 1
        activity.logger.info(
            "inbox_entry_sent" if created else "inbox_entry_already_sent",
            extra={
                "case_id": request.case_id,
                "kind": request.kind,
                "recipient_id": request.recipient_id,
            },
        )
        return InboxResult(created=created)


def working_days_before(calendar: WorkCalendar, day: date, count: int) -> date:
    """Return the working day that lies `count` working days before `day`."""
    candidate = day
    remaining = count
    while remaining > 0:
        candidate = date.fromordinal(candidate.toordinal() - 1)
        if calendar.is_working_day(candidate):
            remaining -= 1
    return candidate
