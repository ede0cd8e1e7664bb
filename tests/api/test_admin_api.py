"""Administrator endpoints are closed outside development, simulated and test."""

from __future__ import annotations

import base64
import os

import httpx
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.context import AppContext
from api.main import create_app
from core.clock import SystemClock
from core.settings import Settings


def client_for(
    settings: Settings, engine: Engine, factory: sessionmaker[Session]
) -> httpx.AsyncClient:
    context = AppContext(settings=settings, engine=engine, session_factory=factory)
    context.use_clock(SystemClock())
    app = create_app(settings, context=context)
    app.state.context = context
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    )


async def test_admin_closed_in_production(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    production = settings.model_copy(
        update={
            "environment": "production",
            "encryption_key": base64.b64encode(os.urandom(32)).decode(),
        }
    )
    async with client_for(production, engine, session_factory) as api:
        response = await api.get("/api/v1/admin/clock")
    assert response.status_code == 403
    assert "production" in response.json()["error"]["message"]


async def test_advance_needs_simulated_clock(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    async with client_for(settings, engine, session_factory) as api:
        response = await api.post(
            "/api/v1/admin/clock/advance", json={"duration": "P1D"}
        )
    assert response.status_code == 409
    assert response.json()["error"]["message_zh"]


async def test_advance_needs_one_of_duration_or_until(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    async with client_for(settings, engine, session_factory) as api:
        response = await api.post("/api/v1/admin/clock/advance", json={})
    assert response.status_code == 422
    assert "exactly one" in response.text


async def test_override_without_reason_is_422(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    async with client_for(settings, engine, session_factory) as api:
        response = await api.post(
            "/api/v1/admin/calendar/overrides",
            json={
                "day": "2030-01-05",
                "is_working_day": True,
                "reason": "",
                "actor_id": "s-x",
            },
        )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["reason"]


async def test_framework_errors_use_envelope(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    async with client_for(settings, engine, session_factory) as api:
        unknown = await api.get("/api/v1/no-such-thing")
        broken = await api.post(
            "/api/v1/admin/calendar/overrides",
            content=b'{"day": ',
            headers={"content-type": "application/json"},
        )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert broken.status_code == 422
    assert broken.json()["error"]["code"] == "invalid_input"
