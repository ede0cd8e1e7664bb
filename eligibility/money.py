"""Decimal helpers for yuan amounts."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")
ZERO = Decimal("0")
MONTHS_PER_YEAR = 12


def round_cents(amount: Decimal) -> Decimal:
    """Round an amount half up to the cent."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# One assessment formats the same few figures many times over in its
# explanations, so the formatted strings are cached. Equal Decimals such as
# 850 and 850.00 share an entry, which is safe because both format alike.
@lru_cache(maxsize=8192)
def yuan(amount: Decimal) -> str:
    """Format an amount with two decimal places, rounded half up."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))
