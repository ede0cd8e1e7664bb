"""Liveness and readiness probes."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest

from api.deps import ContextDep
from core.logging import get_logger

router = APIRouter(tags=["health"])
log = get_logger(__name__)

READINESS_TIMEOUT_SECONDS = 3.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Process is up."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "A dependency is down"}})
async def readyz(context: ContextDep) -> JSONResponse:
    """Database and Temporal are reachable; 503 names the failing part otherwise."""
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(
            asyncio.to_thread(_ping_database, context), READINESS_TIMEOUT_SECONDS
        )
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"failed: {type(exc).__name__}: {exc}"
    try:
        client = await asyncio.wait_for(context.client(), READINESS_TIMEOUT_SECONDS)
        await asyncio.wait_for(
            client.workflow_service.get_system_info(GetSystemInfoRequest()),
            READINESS_TIMEOUT_SECONDS,
        )
        checks["temporal"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["temporal"] = f"failed: {type(exc).__name__}: {exc}"
    ready = all(value == "ok" for value in checks.values())
    if not ready:
        log.warning("not_ready", **checks)
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status_code=200 if ready else 503,
    )


def _ping_database(context: ContextDep) -> None:
    with context.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
