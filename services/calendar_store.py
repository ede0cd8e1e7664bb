"""Calendar years and overrides in the database, turned into a `WorkCalendar`.

A year is snapshotted from the holidays package the first time a deadline
needs it and read from the snapshot afterwards, so upgrading the package
changes no deadline until someone reloads the year. Functions flush, and
the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.logging import get_logger
from models.orm.calendar import CalendarOverride, CalendarYearRecord
from workdays import CalendarData, CalendarYear, Override, WorkCalendar
from workdays.library import from_holidays_library

log = get_logger(__name__)


def load_calendar(session: Session, years: Iterable[int]) -> WorkCalendar:
    """Build a calendar of the given years and every override in them.

    Years not stored yet are snapshotted from the holidays package. Pass
    every year a deadline may reach, for example the anchor's year and the
    next, because the calendar raises `CalendarYearMissingError` otherwise.
    """
    year_numbers = sorted(set(years))
    if not year_numbers:
        raise ValueError("No years given. Pass at least one calendar year.")

    data = CalendarData(get_calendar_year(session, year) for year in year_numbers)
    overrides = [
        _to_override(row)
        for row in list_overrides(
            session,
            start=date(year_numbers[0], 1, 1),
            end=date(year_numbers[-1], 12, 31),
        )
        if row.day.year in year_numbers
    ]
    return WorkCalendar(data, overrides)


def get_calendar_year(session: Session, year: int) -> CalendarYear:
    """Return the stored year, snapshotting it from the holidays package if missing."""
    record = session.get(CalendarYearRecord, year)
    if record is not None:
        return _to_calendar_year(record)

    calendar_year = from_holidays_library(year)
    try:
        # A concurrent transaction may snapshot the same year first. The
        # savepoint keeps the caller's transaction usable if it does.
        with session.begin_nested():
            session.add(_to_record(calendar_year, loaded_by=None))
    except IntegrityError:
        log.info("calendar_year_snapshot_raced", year=year)
        record = session.get(CalendarYearRecord, year, populate_existing=True)
        if record is None:
            raise
        return _to_calendar_year(record)

    log.info(
        "calendar_year_snapshotted",
        year=year,
        source=calendar_year.source,
        official=calendar_year.official,
    )
    return calendar_year


def load_year_notice(
    session: Session,
    year: int,
    holidays: Iterable[date],
    working_days: Iterable[date],
    source: str,
    *,
    actor: str | None = None,
) -> CalendarYear:
    """Store a year's State Council notice, replacing any earlier data of the year.

    `holidays` lists every day off of the notice, and weekend days among them
    are dropped because they are off anyway. `working_days` lists the weekend
    days that are worked. Open cases need their deadlines recomputed after.
    """
    # NOTE: a worked day that the notice places in the previous year (a
    # weekend day in late December) is outside `year` and is rejected here, so it
    # has to be entered with `set_override`.
    calendar_year = CalendarYear.from_notice(
        year, holidays, working_days, source, official=True
    )
    _replace_year(session, calendar_year, actor=actor)
    return calendar_year


def reload_year_from_library(
    session: Session, year: int, *, actor: str | None = None
) -> CalendarYear:
    """Replace a stored year with the installed holidays package's data of it.

    This is the only way a package upgrade reaches a stored year, for example
    once a new release contains the year's notice.
    """
    calendar_year = from_holidays_library(year)
    _replace_year(session, calendar_year, actor=actor)
    return calendar_year


def set_override(
    session: Session, day: date, is_working_day: bool, reason: str, actor: str
) -> CalendarOverride:
    """Mark one date as working or not, replacing an earlier override of it."""
    # Override raises ValueError on an empty reason, before anything is written.
    Override(day, is_working_day, reason)
    if not actor.strip():
        raise ValueError(f"Override for {day.isoformat()}: actor is empty.")

    record = session.get(CalendarOverride, day)
    if record is None:
        record = CalendarOverride(day=day)
        session.add(record)
    record.is_working_day = is_working_day
    record.reason = reason
    record.created_by = actor
    # A replaced override records the time of the new decision.
    record.created_at = func.now()
    session.flush()
    # Reads back the database time of this write.
    session.refresh(record, ["created_at"])
    log.info(
        "calendar_override_set",
        day=day.isoformat(),
        is_working_day=is_working_day,
        actor=actor,
    )
    return record


def delete_override(session: Session, day: date, actor: str) -> bool:
    """Remove the override of one date and return whether there was one."""
    record = session.get(CalendarOverride, day)
    if record is None:
        return False

    session.delete(record)
    session.flush()
    log.info("calendar_override_deleted", day=day.isoformat(), actor=actor)
    return True


def list_overrides(
    session: Session, start: date | None = None, end: date | None = None
) -> list[CalendarOverride]:
    """Return the overrides from `start` to `end`, both included, by date."""
    query = select(CalendarOverride).order_by(CalendarOverride.day)
    if start is not None:
        query = query.where(CalendarOverride.day >= start)
    if end is not None:
        query = query.where(CalendarOverride.day <= end)
    return list(session.scalars(query))


def _replace_year(
    session: Session, calendar_year: CalendarYear, *, actor: str | None
) -> None:
    record = session.get(CalendarYearRecord, calendar_year.year)
    if record is not None:
        session.delete(record)
        session.flush()
    session.add(_to_record(calendar_year, loaded_by=actor))
    session.flush()
    log.info(
        "calendar_year_loaded",
        year=calendar_year.year,
        source=calendar_year.source,
        official=calendar_year.official,
        replaced=record is not None,
        actor=actor,
    )


def _to_record(
    calendar_year: CalendarYear, *, loaded_by: str | None
) -> CalendarYearRecord:
    return CalendarYearRecord(
        year=calendar_year.year,
        source=calendar_year.source,
        official=calendar_year.official,
        holidays=sorted(day.isoformat() for day in calendar_year.holidays),
        working_days=sorted(day.isoformat() for day in calendar_year.working_days),
        library_version=calendar_year.library_version,
        loaded_by=loaded_by,
    )


def _to_calendar_year(record: CalendarYearRecord) -> CalendarYear:
    return CalendarYear(
        year=record.year,
        source=record.source,
        official=record.official,
        holidays=frozenset(date.fromisoformat(day) for day in record.holidays),
        working_days=frozenset(date.fromisoformat(day) for day in record.working_days),
        library_version=record.library_version,
    )


def _to_override(record: CalendarOverride) -> Override:
    return Override(record.day, record.is_working_day, record.reason)
