"""Working-day arithmetic over calendar data and overrides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workdays.data import CalendarData, Override

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)


def local_date(instant: datetime) -> date:
    """Return the Asia/Shanghai calendar date of an aware instant."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(
            f"Instant {instant.isoformat()} has no time zone. Pass an aware datetime."
        )
    return instant.astimezone(SHANGHAI).date()


def end_of_day(day: date) -> datetime:
    """Return the instant a day ends in Asia/Shanghai: 00:00 of the next day."""
    return datetime.combine(day + ONE_DAY, time(0, 0), tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Deadline:
    """The end of a budget of working days counted from an anchor date.

    `provisional` is True when any day from `anchor` to `ends_on` lies in a
    year whose State Council notice is not loaded, so a person must check it.
    """

    anchor: date
    working_days: int
    ends_on: date
    due_at: datetime
    provisional: bool
    years: tuple[int, ...]


@dataclass(frozen=True)
class Suspension:
    """Dates on which a pausing clock does not run, both ends included."""

    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError(
                f"Suspension ends on {self.ends_on.isoformat()}, before it starts "
                f"on {self.starts_on.isoformat()}."
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on


class WorkCalendar:
    """Working days from calendar years, with overrides winning over year data.

    Every method raises `CalendarYearMissingError` when it needs a year that
    `data` does not contain.
    """

    def __init__(self, data: CalendarData, overrides: Iterable[Override] = ()) -> None:
        self.data = data
        self.overrides: dict[date, Override] = {}
        for override in overrides:
            if override.day in self.overrides:
                raise ValueError(
                    f"Override for {override.day.isoformat()} is given more than once."
                )
            self.overrides[override.day] = override

    def is_working_day(self, day: date) -> bool:
        _check_date(day)
        calendar_year = self.data.get(day.year)
        override = self.overrides.get(day)
        if override is not None:
            return override.is_working_day
        return calendar_year.is_working_day(day)

    def next_working_day(self, day: date) -> date:
        """Return the first working day strictly after `day`."""
        _check_date(day)
        candidate = day + ONE_DAY
        while not self.is_working_day(candidate):
            candidate += ONE_DAY
        return candidate

    def add_working_days(self, anchor: date, n: int) -> Deadline:
        """Compute the end of the nth working day after `anchor`.

        The anchor itself does not count, whether or not it is a working day.
        """
        return self.add_working_days_with_suspensions(anchor, n, ())

    def add_working_days_with_suspensions(
        self, anchor: date, n: int, suspensions: Iterable[Suspension]
    ) -> Deadline:
        """Compute the end of a budget of n working days that pauses.

        Working days inside any suspension do not use the budget. The public
        notice does not use this, because an objection restarts it in full.
        """
        _check_date(anchor)
        _check_budget(n)
        suspensions = tuple(suspensions)
        remaining = n
        day = anchor
        while remaining:
            day = self.next_working_day(day)
            if not any(day in suspension for suspension in suspensions):
                remaining -= 1

        return Deadline(
            anchor=anchor,
            working_days=n,
            ends_on=day,
            due_at=end_of_day(day),
            provisional=self.is_provisional(anchor, day),
            years=tuple(range(anchor.year, day.year + 1)),
        )

    def count_working_days(self, start: date, end: date) -> int:
        """Count the working days after `start` up to and including `end`.

        The inverse of `add_working_days`: counting from an anchor to the
        `ends_on` of its deadline returns the budget. The count is 0 when
        `end` is not after `start`.
        """
        _check_date(start)
        _check_date(end)
        count = 0
        day = start + ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count

    def is_provisional(self, start: date, end: date) -> bool:
        """Return whether any year from `start` to `end` lacks its notice."""
        years = range(start.year, end.year + 1)
        return any(not self.data.get(year).official for year in years)


def _check_date(day: date) -> None:
    # datetime is a subclass of date, and mixing the two shifts results by a
    # time of day, so callers convert instants with `local_date` first.
    if isinstance(day, datetime):
        raise TypeError(
            f"Expected a date, got the datetime {day.isoformat()}. Convert it "
            "with workdays.local_date() first."
        )
    if not isinstance(day, date):
        raise TypeError(f"Expected a date, got {type(day).__name__}.")


def _check_budget(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Working-day budget must be an int, got {n!r}.")
    if n < 1:
        raise ValueError(f"Working-day budget must be at least 1, got {n}.")
