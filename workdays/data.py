"""Calendar data: one year of holidays and adjusted working days, and overrides."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

SATURDAY = 5


def is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


class CalendarYearMissingError(LookupError):
    """Raised when a date falls in a year that the calendar data does not contain."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"Calendar year {year} is not loaded. Add it to the CalendarData "
            "before computing dates in it."
        )
        self.year = year


@dataclass(frozen=True)
class CalendarYear:
    """Working-day data of one calendar year.

    `holidays` contains only the days off that fall on Monday to Friday,
    because Saturday and Sunday are off unless listed in `working_days`.
    `working_days` contains the weekend days that are worked (调休).
    `official` is True when the State Council notice for the year is loaded.
    Otherwise the data comes from the statutory rules, so every deadline that
    touches the year is provisional.
    """

    year: int
    source: str
    official: bool
    holidays: frozenset[date]
    working_days: frozenset[date]
    library_version: str | None = None

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError(f"Calendar year {self.year}: source is empty.")
        for day in self.holidays | self.working_days:
            if day.year != self.year:
                raise ValueError(
                    f"Calendar year {self.year}: date {day.isoformat()} "
                    "is outside the year."
                )
        for day in self.holidays:
            if is_weekend(day):
                raise ValueError(
                    f"Calendar year {self.year}: holiday {day.isoformat()} is a "
                    "weekend day. List only Monday to Friday days off, or use "
                    "CalendarYear.from_notice."
                )
        for day in self.working_days:
            if not is_weekend(day):
                raise ValueError(
                    f"Calendar year {self.year}: adjusted working day "
                    f"{day.isoformat()} is not a Saturday or Sunday."
                )

    @classmethod
    def from_notice(
        cls,
        year: int,
        days_off: Iterable[date],
        working_days: Iterable[date],
        source: str,
        *,
        official: bool = True,
        library_version: str | None = None,
    ) -> CalendarYear:
        """Build a year from a notice that lists every day off, weekends included.

        Weekend days off are dropped because they are off anyway, so "15-23
        Feb" can be passed as the notice prints it.
        """
        days_off = frozenset(days_off)
        working_days = frozenset(working_days)
        conflicting = sorted(days_off & working_days)
        if conflicting:
            listed = ", ".join(day.isoformat() for day in conflicting)
            raise ValueError(
                f"Calendar year {year}: {listed} listed both as day off and "
                "as working day."
            )
        return cls(
            year=year,
            source=source,
            official=official,
            holidays=frozenset(day for day in days_off if not is_weekend(day)),
            working_days=working_days,
            library_version=library_version,
        )

    def is_working_day(self, day: date) -> bool:
        if day.year != self.year:
            raise ValueError(
                f"Date {day.isoformat()} is outside calendar year {self.year}."
            )
        if is_weekend(day):
            return day in self.working_days
        return day not in self.holidays


class CalendarData:
    """Calendar years by year number."""

    def __init__(self, years: Iterable[CalendarYear]) -> None:
        self._years: dict[int, CalendarYear] = {}
        for calendar_year in years:
            if calendar_year.year in self._years:
                raise ValueError(
                    f"Calendar year {calendar_year.year} is given more than once."
                )
            self._years[calendar_year.year] = calendar_year

    def get(self, year: int) -> CalendarYear:
        try:
            return self._years[year]
        except KeyError:
            raise CalendarYearMissingError(year) from None

    def __contains__(self, year: object) -> bool:
        return year in self._years

    def __iter__(self) -> Iterator[CalendarYear]:
        return iter(sorted(self._years.values(), key=lambda item: item.year))

    def __len__(self) -> int:
        return len(self._years)


@dataclass(frozen=True)
class Override:
    """An administrator's correction of one date, which wins over the year data."""

    day: date
    is_working_day: bool
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError(
                f"Override for {self.day.isoformat()}: reason is empty. "
                "say why the day is changed."
            )
