"""Calendar store against PostgreSQL, in the migrated test schema."""

from datetime import date

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from models.orm.calendar import CalendarOverride, CalendarYearRecord
from services import calendar_store
from services.calendar_store import (
    delete_override,
    get_calendar_year,
    list_overrides,
    load_calendar,
    load_year_notice,
    reload_year_from_library,
    set_override,
)
from workdays import CalendarYear, from_holidays_library


@pytest.fixture(autouse=True)
def empty_calendar(db_session: Session) -> None:
    """Start each test without stored years or overrides.

    Tests elsewhere commit the years their deadlines needed; the deletion
    here is rolled back with the rest of the test's work.
    """
    db_session.execute(delete(CalendarYearRecord))
    db_session.execute(delete(CalendarOverride))


def test_first_use_snapshots_years(db_session: Session) -> None:
    calendar = load_calendar(db_session, [2026, 2027])

    records = db_session.scalars(
        select(CalendarYearRecord).order_by(CalendarYearRecord.year)
    ).all()
    assert [record.year for record in records] == [2026, 2027]
    assert [record.official for record in records] == [True, False]
    assert records[0].loaded_by is None
    assert records[0].loaded_at is not None
    assert "2026-10-10" in records[0].working_days
    assert calendar.add_working_days(date(2026, 3, 5), 5).ends_on == date(2026, 3, 12)


def test_year_end_deadline_is_provisional(db_session: Session) -> None:
    calendar = load_calendar(db_session, [2026, 2027])

    deadline = calendar.add_working_days(date(2026, 12, 28), 5)

    assert deadline.ends_on == date(2027, 1, 5)
    assert deadline.provisional is True


def test_snapshot_round_trips(db_session: Session) -> None:
    snapshot = get_calendar_year(db_session, 2026)
    db_session.expire_all()

    stored = get_calendar_year(db_session, 2026)

    assert stored == snapshot
    assert stored == from_holidays_library(2026)


def test_stored_snapshot_wins_over_library(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_calendar(db_session, [2026])
    # Someone removed the worked Saturday 10 Oct from the stored year.
    db_session.execute(
        update(CalendarYearRecord)
        .where(CalendarYearRecord.year == 2026)
        .values(working_days=["2026-01-04"])
    )
    db_session.expire_all()

    def fail(year: int) -> CalendarYear:
        raise AssertionError(f"holidays package read for stored year {year}")

    monkeypatch.setattr(calendar_store, "from_holidays_library", fail)
    calendar = load_calendar(db_session, [2026])

    assert calendar.is_working_day(date(2026, 10, 10)) is False
    assert calendar.add_working_days(date(2026, 9, 29), 5).ends_on == date(2026, 10, 13)


def test_concurrent_snapshot_keeps_stored_row(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests that commit may have stored 2026 already; this one starts without it.
    db_session.execute(
        delete(CalendarYearRecord).where(CalendarYearRecord.year == 2026)
    )

    # Another transaction stores 2026 between the lookup and the insert.
    def store_first(year: int) -> CalendarYear:
        db_session.execute(
            insert(CalendarYearRecord).values(
                year=year,
                source="concurrent writer",
                official=True,
                holidays=[],
                working_days=[],
            )
        )
        return from_holidays_library(year)

    monkeypatch.setattr(calendar_store, "from_holidays_library", store_first)

    calendar_year = get_calendar_year(db_session, 2026)

    assert calendar_year.source == "concurrent writer"
    assert db_session.get(CalendarYearRecord, 2026) is not None


def test_notice_makes_year_official(db_session: Session) -> None:
    load_calendar(db_session, [2026, 2027])
    # A made-up 2027 notice with 1-3 Jan off and Sat 20 Feb worked.
    notice = load_year_notice(
        db_session,
        2027,
        holidays=[date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)],
        working_days=[date(2027, 2, 20)],
        source="State Council notice for 2027, entered by hand",
        actor="admin-1",
    )

    record = db_session.get(CalendarYearRecord, 2027)
    assert record is not None
    assert record.official is True
    assert record.holidays == ["2027-01-01"]
    assert record.working_days == ["2027-02-20"]
    assert record.loaded_by == "admin-1"
    assert notice.holidays == frozenset({date(2027, 1, 1)})

    deadline = load_calendar(db_session, [2026, 2027]).add_working_days(
        date(2026, 12, 28), 5
    )
    assert deadline.ends_on == date(2027, 1, 5)
    assert deadline.provisional is False


def test_notice_rejects_weekday_worked(db_session: Session) -> None:
    with pytest.raises(ValueError, match="not a Saturday or Sunday"):
        load_year_notice(
            db_session, 2027, [], [date(2027, 1, 4)], source="test", actor="admin-1"
        )


def test_reload_replaces_stored_year(db_session: Session) -> None:
    load_year_notice(db_session, 2026, [], [], source="empty notice", actor="a")

    reloaded = reload_year_from_library(db_session, 2026, actor="admin-2")

    record = db_session.get(CalendarYearRecord, 2026)
    assert record is not None
    assert record.source == reloaded.source
    assert record.loaded_by == "admin-2"
    assert "2026-10-10" in record.working_days


def test_override_moves_deadline(db_session: Session) -> None:
    record = set_override(
        db_session, date(2027, 1, 2), True, "worked Saturday", actor="admin-1"
    )

    assert record.created_by == "admin-1"
    assert record.created_at is not None
    deadline = load_calendar(db_session, [2026, 2027]).add_working_days(
        date(2026, 12, 28), 5
    )
    assert deadline.ends_on == date(2027, 1, 4)
    assert deadline.provisional is True


def test_override_replaced_not_duplicated(db_session: Session) -> None:
    set_override(db_session, date(2027, 1, 2), True, "first", actor="admin-1")
    set_override(db_session, date(2027, 1, 2), False, "second", actor="admin-2")

    overrides = list_overrides(db_session)

    assert len(overrides) == 1
    assert overrides[0].is_working_day is False
    assert overrides[0].reason == "second"
    assert overrides[0].created_by == "admin-2"


def test_list_overrides_filters_range(db_session: Session) -> None:
    for day in (date(2026, 5, 9), date(2027, 1, 2), date(2028, 1, 1)):
        set_override(db_session, day, True, "test", actor="admin-1")

    listed = list_overrides(db_session, start=date(2027, 1, 1), end=date(2027, 12, 31))

    assert [record.day for record in listed] == [date(2027, 1, 2)]
    assert len(list_overrides(db_session)) == 3


def test_override_of_unloaded_year_ignored(db_session: Session) -> None:
    set_override(db_session, date(2028, 1, 1), True, "test", actor="admin-1")

    calendar = load_calendar(db_session, [2026, 2027])

    assert list(calendar.overrides) == []


def test_delete_override_restores_default(db_session: Session) -> None:
    set_override(db_session, date(2026, 10, 10), False, "test", actor="admin-1")

    assert delete_override(db_session, date(2026, 10, 10), actor="admin-1") is True
    assert delete_override(db_session, date(2026, 10, 10), actor="admin-1") is False
    calendar = load_calendar(db_session, [2026])
    assert calendar.is_working_day(date(2026, 10, 10)) is True


def test_override_requires_reason_and_actor(db_session: Session) -> None:
    with pytest.raises(ValueError, match="reason is empty"):
        set_override(db_session, date(2027, 1, 2), True, "", actor="admin-1")
    with pytest.raises(ValueError, match="actor is empty"):
        set_override(db_session, date(2027, 1, 2), True, "test", actor=" ")
    assert db_session.get(CalendarOverride, date(2027, 1, 2)) is None


def test_load_calendar_requires_years(db_session: Session) -> None:
    with pytest.raises(ValueError, match="No years given"):
        load_calendar(db_session, [])
