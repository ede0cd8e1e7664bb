"""Benchmark the eligibility engine on the shared household examples.

Prints assessments per second on one core for the engine on pre-parsed
input and for parse plus assess, each the fastest of five rounds of about a
second of CPU time. It also measures a baseline in the same run (a pydantic
`model_dump` of each parsed household) and prints each rate as a multiple of
it, which is less sensitive to the machine. Run from the repository root:

    .venv/bin/python bench/bench_rules.py
"""

import json
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eligibility import assess, parse_household  # noqa: E402

HOUSEHOLDS_DIR = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "cases" / "households"
).resolve()
GOAL_PER_SECOND = 10_000
ROUNDS = 5
SECONDS_PER_ROUND = 1.0


def rate(work: Callable[[], object], items: int) -> float:
    """Return items per second of `work` in the fastest of a few rounds.

    Each round repeats `work` for about a second of this process's CPU time
    (`time.process_time`), so other processes on the machine slow the figure
    less than wall-clock time would. The fastest round is the one least
    disturbed by them.
    """
    work()
    best = 0.0
    for _ in range(ROUNDS):
        calls = 0
        started = time.process_time()
        elapsed = 0.0
        while elapsed < SECONDS_PER_ROUND:
            work()
            calls += 1
            elapsed = time.process_time() - started
        best = max(best, calls * items / elapsed)
    return best


def main() -> None:
    files = sorted(HOUSEHOLDS_DIR.glob("*.json"))
    raw = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    today = date(2026, 3, 10)
    parsed = [parse_household(data, today=today) for data in raw]
    count = len(parsed)

    def baseline() -> None:
        for item in parsed:
            item.household.model_dump()

    def engine() -> None:
        for item in parsed:
            assess(item)

    def parse_and_assess() -> None:
        for data in raw:
            assess(parse_household(data, today=today))

    baseline_rate = rate(baseline, count)
    engine_rate = rate(engine, count)
    full_rate = rate(parse_and_assess, count)

    print(f"household files: {count} from {HOUSEHOLDS_DIR}")
    print(f"baseline (model_dump of each household): {baseline_rate:,.0f}/s")
    print(
        f"assess on pre-parsed input: {engine_rate:,.0f}/s "
        f"({engine_rate / baseline_rate:.2f} × baseline), "
        f"goal {GOAL_PER_SECOND:,}/s: "
        + ("met" if engine_rate >= GOAL_PER_SECOND else "missed")
    )
    print(
        f"parse + assess: {full_rate:,.0f}/s "
        f"({full_rate / baseline_rate:.2f} × baseline)"
    )


if __name__ == "__main__":
    main()
