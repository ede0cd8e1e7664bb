import pytest

from workdays import CalendarData, WorkCalendar, from_holidays_library


@pytest.fixture(scope="session")
def calendar_data() -> CalendarData:
    return CalendarData(from_holidays_library(year) for year in (2026, 2027))


@pytest.fixture
def calendar(calendar_data: CalendarData) -> WorkCalendar:
    return WorkCalendar(calendar_data)
