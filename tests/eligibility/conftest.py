import json
from typing import Any

import pytest

from tests.eligibility.builders import HOUSEHOLDS_DIR


def household_files() -> list[str]:
    return sorted(path.name for path in HOUSEHOLDS_DIR.glob("*.json"))


@pytest.fixture
def load_household():
    def load(name: str) -> dict[str, Any]:
        return json.loads((HOUSEHOLDS_DIR / name).read_text(encoding="utf-8"))

    return load
