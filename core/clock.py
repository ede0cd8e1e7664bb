"""Business time outside workflows: the wall clock, or the time-skipping server's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import google.protobuf.empty_pb2
from temporalio.api.testservice.v1 import (
    LockTimeSkippingRequest,
    SleepRequest,
)
from temporalio.client import Client

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    async def now(self) -> datetime: ...


class SystemClock:
    async def now(self) -> datetime:
        return datetime.now(UTC).astimezone(SHANGHAI)


class TestServerClock:
    """The clock of Temporal's time-skipping test server, kept locked at real speed.

    Time skipping stays locked so the simulated clock runs at wall speed; an
    unlocked idle test server may jump far ahead. `advance` unlocks for one
    sleep, and the server locks again when the sleep returns.
    """

    def __init__(self, client: Client) -> None:
        self._client = client

    async def lock(self) -> None:
        await self._client.test_service.lock_time_skipping(LockTimeSkippingRequest())

    async def now(self) -> datetime:
        response = await self._client.test_service.get_current_time(
            google.protobuf.empty_pb2.Empty()
        )
        return response.time.ToDatetime().replace(tzinfo=UTC).astimezone(SHANGHAI)

    async def advance(self, duration: timedelta) -> datetime:
        if duration <= timedelta(0):
            raise ValueError(f"duration must be positive, got {duration}")
        request = SleepRequest()
        request.duration.FromTimedelta(duration)
        await self._client.test_service.unlock_time_skipping_with_sleep(request)
        return await self.now()

    async def advance_to(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("instant must carry a time zone offset")
        current = await self.now()
        if instant <= current:
            raise ValueError(
                f"the simulated clock only moves forward: {instant.isoformat()} "
                f"is not after {current.isoformat()}"
            )
        return await self.advance(instant - current)
