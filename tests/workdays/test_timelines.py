"""Deadlines of the case timelines, on the 2026 notice and the 2027 statutory rules."""

from datetime import date, datetime, timedelta

import pytest

from workdays import SHANGHAI, CalendarData, Override, WorkCalendar


@pytest.mark.parametrize(
    ("anchor", "budget", "ends_on"),
    [
        pytest.param(date(2026, 3, 5), 5, date(2026, 3, 12), id="T1-public-notice"),
        pytest.param(date(2026, 3, 20), 30, date(2026, 5, 7), id="T2-data-entry"),
        pytest.param(date(2026, 9, 29), 5, date(2026, 10, 12), id="T3-national-day"),
        pytest.param(date(2026, 9, 30), 30, date(2026, 11, 17), id="T4-data-entry"),
        pytest.param(date(2026, 3, 11), 5, date(2026, 3, 18), id="T7-reposted"),
        pytest.param(date(2026, 9, 10), 30, date(2026, 10, 28), id="T9-assistance"),
    ],
)
def test_official_2026_deadlines(
    calendar: WorkCalendar, anchor: date, budget: int, ends_on: date
) -> None:
    deadline = calendar.add_working_days(anchor, budget)

    assert deadline.ends_on == ends_on
    assert deadline.provisional is False
    assert deadline.years == (2026,)
    assert deadline.anchor == anchor
    assert deadline.working_days == budget


def test_due_at_is_next_midnight_shanghai(calendar: WorkCalendar) -> None:
    deadline = calendar.add_working_days(date(2026, 3, 5), 5)

    assert deadline.due_at == datetime(2026, 3, 13, 0, 0, tzinfo=SHANGHAI)
    assert deadline.due_at.utcoffset() == timedelta(hours=8)


def test_t3_counts_adjusted_saturday(calendar: WorkCalendar) -> None:
    assert calendar.is_working_day(date(2026, 10, 10)) is True
    assert calendar.count_working_days(date(2026, 9, 29), date(2026, 10, 12)) == 5


def test_t5_year_end_is_provisional(calendar: WorkCalendar) -> None:
    deadline = calendar.add_working_days(date(2026, 12, 28), 5)

    assert deadline.ends_on == date(2027, 1, 5)
    assert deadline.provisional is True
    assert deadline.years == (2026, 2027)
    assert calendar.is_working_day(date(2027, 1, 1)) is False


def test_t6_saturday_override_moves_end(calendar_data: CalendarData) -> None:
    override = Override(date(2027, 1, 2), is_working_day=True, reason="test")
    calendar = WorkCalendar(calendar_data, [override])

    deadline = calendar.add_working_days(date(2026, 12, 28), 5)

    assert deadline.ends_on == date(2027, 1, 4)
    assert deadline.provisional is True
