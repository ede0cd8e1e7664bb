"""The service's own record of working-day calendars and single-day overrides.

Deadlines read these rows, never the holidays package directly, so a
package upgrade changes no deadline until someone reloads a year.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from models.orm.base import Base


class CalendarYearRecord(Base):
    """One year's working-day data, as loaded from a notice or the statutory rules."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(200))
    # True when the year's State Council notice is loaded. Deadlines that
    # touch a year without it are provisional.
    official: Mapped[bool] = mapped_column(Boolean)
    # ISO dates, sorted. `holidays` lists only Monday-to-Friday days off and
    # `working_days` only the weekend days that are worked (调休).
    holidays: Mapped[list[str]] = mapped_column(JSON)
    working_days: Mapped[list[str]] = mapped_column(JSON)
    library_version: Mapped[str | None] = mapped_column(String(32))
    # Empty for a snapshot taken automatically the first time a year is needed.
    loaded_by: Mapped[str | None] = mapped_column(String(64))
    # Database time of the write, for audit. No deadline depends on it.
    loaded_at: Mapped[datetime] = mapped_column(server_default=func.now())


class CalendarOverride(Base):
    """An administrator's correction of one date, which wins over the year data."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    # Database time of the last write, for audit. No deadline depends on it.
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
