"""Case activities against PostgreSQL: one alert per deadline, idempotent writes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from activities.case_models import DeadlineRequest, InboxRequest
from activities.cases import CaseActivities
from models.orm.cases import InboxEntry
from tests.workflows.helpers import insert_case
from workflows.case_models import Step

NOW = datetime(2026, 11, 18, 0, 0, tzinfo=UTC)


def overdue(case_id: str, key: str) -> InboxRequest:
    return InboxRequest(
        dedup_key=f"{case_id}:{key}",
        recipient_kind="union",
        recipient_id="u-county",
        case_id=case_id,
        kind="overdue",
        step=Step.data_entry,
        deadline_kind="data_entry",
        due_at=NOW,
        title="录入已逾期",
        now=NOW,
    )


def test_second_overdue_alert_not_raised(
    session_factory: sessionmaker[Session],
) -> None:
    case_id = insert_case(session_factory)
    activities = CaseActivities(session_factory)
    assert activities.send_inbox_entry(overdue(case_id, "a")).created
    assert not activities.send_inbox_entry(overdue(case_id, "b")).created
    with session_factory() as session:
        count = len(
            session.scalars(
                select(InboxEntry).where(InboxEntry.case_id == case_id)
            ).all()
        )
    assert count == 1


def test_new_alert_after_resolution(session_factory: sessionmaker[Session]) -> None:
    case_id = insert_case(session_factory)
    activities = CaseActivities(session_factory)
    activities.send_inbox_entry(overdue(case_id, "a"))
    with session_factory.begin() as session:
        session.execute(
            update(InboxEntry)
            .where(InboxEntry.case_id == case_id)
            .values(state="resolved")
        )
    assert activities.send_inbox_entry(overdue(case_id, "b")).created


def test_retried_entry_written_once(session_factory: sessionmaker[Session]) -> None:
    case_id = insert_case(session_factory)
    activities = CaseActivities(session_factory)
    request = overdue(case_id, "a").model_copy(update={"kind": "reminder"})
    assert activities.send_inbox_entry(request).created
    assert not activities.send_inbox_entry(request).created


def test_entry_deadline_t4(session_factory: sessionmaker[Session]) -> None:
    result = CaseActivities(session_factory).compute_deadline(
        DeadlineRequest(
            kind="data_entry",
            anchor=date(2026, 9, 30),
            working_days=30,
            reminder_working_days=[10, 3],
            computed_at=NOW,
        )
    )
    assert result.deadline.ends_on == date(2026, 11, 17)
    assert not result.deadline.provisional
    assert result.reminder_dates == {10: date(2026, 11, 3), 3: date(2026, 11, 12)}


def test_notice_deadline_t5_provisional(session_factory: sessionmaker[Session]) -> None:
    result = CaseActivities(session_factory).compute_deadline(
        DeadlineRequest(
            kind="public_notice",
            anchor=date(2026, 12, 28),
            working_days=5,
            computed_at=NOW,
        )
    )
    assert result.deadline.ends_on == date(2027, 1, 5)
    assert result.deadline.provisional
    assert result.deadline.due_at.isoformat() == "2027-01-06T00:00:00+08:00"
