"""Calendar arithmetic for ages and periods.

A date that does not exist in the target month is reached on the first day
of the next month. So a birthday on 29 February is reached on 1 March in a
common year, and the 31st of a 30-day month on the 1st.
"""

from datetime import date


def add_months_rolling(start: date, months: int) -> date:
    """Add whole months to a date, rolling a missing day to the next month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    try:
        return date(year, month, start.day)
    except ValueError:
        return _first_of_next_month(year, month)


def add_years_rolling(start: date, years: int) -> date:
    """Add whole years to a date, so 29 February becomes 1 March."""
    return add_months_rolling(start, years * 12)


def add_years_clamped(start: date, years: int) -> date:
    """Add whole years to a date, so 29 February becomes 28 February.

    Periods counted from an event (the two years after a job loss) end on the
    last day of the month instead of rolling into the next one.
    """
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def age_on(birth_date: date, on: date) -> int:
    """Return the age in completed years on a day."""
    # Compares the birthday in the year of `on` without building a date. A
    # birthday on 29 February falls on 1 March in a common year, as in
    # add_years_rolling.
    month = birth_date.month
    day = birth_date.day
    year = on.year
    if month == 2 and day == 29 and not _is_leap(year):
        month, day = 3, 1
    age = year - birth_date.year
    if month > on.month or (month == on.month and day > on.day):
        age -= 1
    return age


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _first_of_next_month(year: int, month: int) -> date:
    if month == 12:
        return date(year + 1, 1, 1)
    return date(year, month + 1, 1)
