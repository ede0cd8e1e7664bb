"""Process-wide resources of the API: database, Temporal client, business clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from core import temporal
from core.clock import Clock, SystemClock, TestServerClock
from core.db import create_db_engine, create_session_factory
from core.settings import Settings


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    _client: Client | None = None
    _clock: Clock | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    def create(cls, settings: Settings, *, schema: str | None = None) -> AppContext:
        engine = create_db_engine(settings.effective_database_url, schema=schema)
        return cls(settings, engine, create_session_factory(engine))

    async def client(self) -> Client:
        # Connected on first use, so the API starts (and /readyz can report what
        # is missing) while Temporal is still down.
        async with self._lock:
            if self._client is None:
                self._client = await temporal.connect(self.settings)
            return self._client

    async def clock(self) -> Clock:
        if self._clock is None:
            if self.settings.simulated:
                self._clock = TestServerClock(await self.client())
            else:
                self._clock = SystemClock()
        return self._clock

    def use_client(self, client: Client) -> None:
        self._client = client

    def use_clock(self, clock: Clock) -> None:
        self._clock = clock

    def close(self) -> None:
        self.engine.dispose()
