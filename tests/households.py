"""Shared household files with fresh ID numbers, for tests that open cases.

A person may be in only one open case, so each test that opens a case from
a shared file gives its members new, valid ID numbers.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from tests.conftest import HOUSEHOLDS_DIR


def renumbered(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Return a copy whose members have new ID numbers with the same birth and sex."""
    copy = json.loads(json.dumps(data))
    for member in copy["members"]:
        number = member["id_number"]
        sex_digit = int(number[16]) % 2
        sequence = f"{rng.randrange(0, 50):02d}{rng.randrange(0, 5) * 2 + sex_digit}"
        body = number[:14] + sequence
        # calc_check_digit expects a placeholder where the check character goes.
        member["id_number"] = body + ric.calc_check_digit(body + "0")
    copy.pop("expected", None)
    return copy


def load_household(name: str, rng: random.Random | None = None) -> dict[str, Any]:
    path: Path = HOUSEHOLDS_DIR / name
    data = json.loads(path.read_text(encoding="utf-8"))
    return renumbered(data, rng or random.Random())
