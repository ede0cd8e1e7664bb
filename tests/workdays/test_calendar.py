from datetime import UTC, date, datetime

import pytest

from workdays import (
    CalendarData,
    CalendarYear,
    CalendarYearMissingError,
    Override,
    Suspension,
    WorkCalendar,
    local_date,
)


def test_weekend_is_off_and_weekday_works(calendar: WorkCalendar) -> None:
    assert calendar.is_working_day(date(2026, 3, 7)) is False  # Saturday
    assert calendar.is_working_day(date(2026, 3, 8)) is False  # Sunday
    assert calendar.is_working_day(date(2026, 3, 9)) is True  # Monday


def test_anchor_on_weekend_not_counted(calendar: WorkCalendar) -> None:
    deadline = calendar.add_working_days(date(2026, 3, 7), 1)

    assert deadline.ends_on == date(2026, 3, 9)


def test_next_working_day_skips_holiday(calendar: WorkCalendar) -> None:
    assert calendar.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert calendar.next_working_day(date(2026, 3, 9)) == date(2026, 3, 10)


@pytest.mark.parametrize("budget", [0, -1, -30])
def test_non_positive_budget_rejected(calendar: WorkCalendar, budget: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        calendar.add_working_days(date(2026, 3, 5), budget)


def test_bool_budget_rejected(calendar: WorkCalendar) -> None:
    with pytest.raises(TypeError):
        calendar.add_working_days(date(2026, 3, 5), True)


def test_datetime_anchor_rejected(calendar: WorkCalendar) -> None:
    with pytest.raises(TypeError, match="local_date"):
        calendar.add_working_days(datetime(2026, 3, 5, 10, 0), 5)


def test_local_date_converts_to_shanghai() -> None:
    # 20:00 UTC on 4 March is 04:00 on 5 March in Asia/Shanghai.
    instant = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)

    assert local_date(instant) == date(2026, 3, 5)


def test_local_date_rejects_naive() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        local_date(datetime(2026, 3, 5, 10, 0))


def test_override_wins_over_year_data(calendar_data: CalendarData) -> None:
    calendar = WorkCalendar(
        calendar_data,
        [
            Override(date(2026, 10, 10), is_working_day=False, reason="test"),
            Override(date(2026, 10, 8), is_working_day=False, reason="test"),
            Override(date(2026, 10, 7), is_working_day=True, reason="test"),
        ],
    )

    assert calendar.is_working_day(date(2026, 10, 10)) is False
    assert calendar.is_working_day(date(2026, 10, 8)) is False
    assert calendar.is_working_day(date(2026, 10, 7)) is True
    assert calendar.add_working_days(date(2026, 9, 29), 5).ends_on == date(2026, 10, 13)


def test_override_keeps_official_year_official(calendar_data: CalendarData) -> None:
    calendar = WorkCalendar(
        calendar_data,
        [Override(date(2026, 3, 7), is_working_day=True, reason="test")],
    )

    deadline = calendar.add_working_days(date(2026, 3, 5), 5)

    assert deadline.ends_on == date(2026, 3, 11)
    assert deadline.provisional is False


def test_duplicate_override_rejected(calendar_data: CalendarData) -> None:
    overrides = [
        Override(date(2026, 3, 7), is_working_day=True, reason="first"),
        Override(date(2026, 3, 7), is_working_day=False, reason="second"),
    ]

    with pytest.raises(ValueError, match="more than once"):
        WorkCalendar(calendar_data, overrides)


def test_override_without_reason_rejected() -> None:
    with pytest.raises(ValueError, match="reason is empty"):
        Override(date(2026, 3, 7), is_working_day=True, reason=" ")


def test_missing_year_raises(calendar: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissingError, match="2028") as caught:
        calendar.add_working_days(date(2027, 12, 20), 30)

    assert caught.value.year == 2028


def test_count_inverts_add(calendar: WorkCalendar) -> None:
    anchor = date(2026, 9, 10)
    for budget in (1, 5, 30, 100):
        deadline = calendar.add_working_days(anchor, budget)
        assert calendar.count_working_days(anchor, deadline.ends_on) == budget


def test_count_empty_when_end_not_after_start(calendar: WorkCalendar) -> None:
    assert calendar.count_working_days(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert calendar.count_working_days(date(2026, 3, 9), date(2026, 3, 2)) == 0


def test_suspension_extends_budget(calendar: WorkCalendar) -> None:
    # Thu 5 Mar plus 5 working days ends on 12 Mar, and pausing 9-11 Mar adds 3.
    suspensions = [Suspension(date(2026, 3, 9), date(2026, 3, 11))]

    deadline = calendar.add_working_days_with_suspensions(
        date(2026, 3, 5), 5, suspensions
    )

    assert deadline.ends_on == date(2026, 3, 17)
    assert deadline.provisional is False


def test_suspension_over_weekend_costs_nothing(calendar: WorkCalendar) -> None:
    suspensions = [Suspension(date(2026, 3, 7), date(2026, 3, 8))]

    deadline = calendar.add_working_days_with_suspensions(
        date(2026, 3, 5), 5, suspensions
    )

    assert deadline.ends_on == date(2026, 3, 12)


def test_suspension_reversed_rejected() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Suspension(date(2026, 3, 11), date(2026, 3, 9))


def test_duplicate_year_rejected() -> None:
    year = CalendarYear(2030, "test", False, frozenset(), frozenset())

    with pytest.raises(ValueError, match="more than once"):
        CalendarData([year, year])


def test_year_rejects_weekend_holiday() -> None:
    with pytest.raises(ValueError, match="weekend day"):
        CalendarYear(2026, "test", True, frozenset({date(2026, 2, 15)}), frozenset())


def test_year_rejects_weekday_working_day() -> None:
    with pytest.raises(ValueError, match="not a Saturday or Sunday"):
        CalendarYear(2026, "test", True, frozenset(), frozenset({date(2026, 3, 9)}))


def test_year_rejects_date_of_other_year() -> None:
    with pytest.raises(ValueError, match="outside the year"):
        CalendarYear(2026, "test", True, frozenset({date(2027, 1, 1)}), frozenset())


def test_from_notice_drops_weekend_days_off() -> None:
    year = CalendarYear.from_notice(
        2026,
        days_off=[date(2026, 2, 13), date(2026, 2, 14), date(2026, 2, 15)],
        working_days=[date(2026, 2, 28)],
        source="test",
    )

    assert year.holidays == frozenset({date(2026, 2, 13)})
    assert year.working_days == frozenset({date(2026, 2, 28)})
    assert year.official is True


def test_from_notice_rejects_day_in_both_lists() -> None:
    with pytest.raises(ValueError, match="both as day off and as working day"):
        CalendarYear.from_notice(
            2026,
            days_off=[date(2026, 2, 14)],
            working_days=[date(2026, 2, 14)],
            source="test",
        )
