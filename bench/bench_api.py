"""Benchmark `POST /api/v1/assessments` end to end through FastAPI's TestClient.

Each request validates a shared household file, assesses it, stores it in
PostgreSQL and returns the result. The run creates a schema of its own,
migrates it, and drops it at the end. As a baseline in the same run it
measures `GET /healthz`, and prints the assessment rate as a fraction of
it, which is less sensitive to the machine. Run from the repository root
with PostgreSQL on 127.0.0.1:

    .venv/bin/python bench/bench_api.py

HARDSHIP_TEST_DATABASE_URL overrides the database, as in the tests.
"""

import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from api.context import AppContext  # noqa: E402
from api.main import create_app  # noqa: E402
from core.clock import SHANGHAI  # noqa: E402
from core.db import create_db_engine, create_session_factory  # noqa: E402
from core.logging import configure_logging  # noqa: E402
from core.migrate import upgrade  # noqa: E402
from core.settings import Settings  # noqa: E402

HOUSEHOLDS_DIR = (
    Path(__file__).resolve().parents[1] / ".." / "shared" / "cases" / "households"
).resolve()
DATABASE_URL = os.environ.get(
    "HARDSHIP_TEST_DATABASE_URL",
    "postgresql+psycopg2://postgres@127.0.0.1:5432/test",
)
SECONDS_PER_MEASUREMENT = 5.0


class FixedClock:
    """The business clock on the shared files' assessment date."""

    async def now(self) -> datetime:
        return datetime(2026, 3, 10, 12, 0, tzinfo=SHANGHAI)


def rate(work: Callable[[], int]) -> float:
    """Return requests per second of `work`, run repeatedly for a few seconds."""
    work()
    requests = 0
    started = time.perf_counter()
    elapsed = 0.0
    while elapsed < SECONDS_PER_MEASUREMENT:
        requests += work()
        elapsed = time.perf_counter() - started
    return requests / elapsed


def main() -> None:
    # One log line per request would measure the terminal, not the service.
    configure_logging("WARNING")
    files = sorted(HOUSEHOLDS_DIR.glob("*.json"))
    bodies = [json.loads(path.read_text(encoding="utf-8")) for path in files]

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(DATABASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_db_engine(DATABASE_URL, schema=schema)
    try:
        upgrade(DATABASE_URL, schema=schema)
        settings = Settings(environment="test", database_url=DATABASE_URL)
        context = AppContext(
            settings=settings,
            engine=engine,
            session_factory=create_session_factory(engine),
        )
        context.use_clock(FixedClock())
        with TestClient(create_app(settings, context=context)) as client:

            def health() -> int:
                response = client.get("/healthz")
                assert response.status_code == 200, response.text
                return 1

            def assessments() -> int:
                for body in bodies:
                    response = client.post("/api/v1/assessments", json=body)
                    assert response.status_code == 201, response.text
                return len(bodies)

            health_rate = rate(health)
            assessment_rate = rate(assessments)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    print(f"household files: {len(bodies)} from {HOUSEHOLDS_DIR}")
    print(f"baseline GET /healthz: {health_rate:,.0f} requests/s")
    print(
        f"POST /api/v1/assessments: {assessment_rate:,.0f} assessments/s "
        f"({assessment_rate / health_rate:.2f} × baseline)"
    )


if __name__ == "__main__":
    main()
