"""Decimal helpers for yuan amounts."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
MONTHS_PER_YEAR = 12


def round_cents(amount: Decimal) -> Decimal:
    """Round an amount half up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """Format an amount with two decimal places, rounded half up."""
    return str(round_cents(amount))
