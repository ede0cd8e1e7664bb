"""The FastAPI application: routers, error envelope, request logs, lifespan."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request, Response

from api.context import AppContext
from api.errors import install_error_handlers
from api.routes import admin, cases, health, unions
from api.routes import inbox as inbox_routes
from api.routes import materials as material_routes
from api.routes import notices as notice_routes
from api.routes.assessments import router as assessments_router
from api.routes.standards import router as standards_router
from core.logging import get_logger
from core.settings import Settings, get_settings

log = get_logger(__name__)


def create_app(
    settings: Settings | None = None, *, context: AppContext | None = None
) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.context = context or AppContext.create(settings)
        log.info("api_started", environment=settings.environment)
        yield
        if context is None:
            app.state.context.close()
        log.info("api_stopped")

    app = FastAPI(
        title="困难职工建档帮扶 case service",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.middleware("http")(_log_request)
    app.include_router(health.router)
    app.include_router(unions.router)
    app.include_router(standards_router)
    app.include_router(assessments_router)
    app.include_router(cases.router)
    app.include_router(admin.router)
    app.include_router(material_routes.router)
    app.include_router(inbox_routes.router)
    app.include_router(notice_routes.router)
    return app


async def _log_request(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
    structlog.contextvars.bind_contextvars(request_id=request_id)
    started = time.perf_counter()
    try:
        response = await call_next(request)
    except Exception as exc:
        # No traceback: exception messages may quote names or ID numbers from
        # the request. The error handler returns the error envelope.
        log.error(
            "request_crashed",
            method=request.method,
            path=request.url.path,
            error_type=type(exc).__name__,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        raise
    finally:
        structlog.contextvars.unbind_contextvars("request_id")
    # Paths carry ids only, never names or ID numbers, so they are safe to log.
    log.info(
        "request",
        request_id=request_id,
        method=request.method,
        path=request.url.path,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    response.headers["x-request-id"] = request_id
    return response
