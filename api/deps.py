"""FastAPI dependencies: the app context, one session per request, the clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from temporalio.client import Client

from api.context import AppContext
from api.errors import Unavailable
from core.clock import Clock


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


def get_session(context: ContextDep) -> Iterator[Session]:
    # The request boundary commits once; code below only flushes.
    with context.session_factory() as session, session.begin():
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_client(context: ContextDep) -> Client:
    try:
        return await context.client()
    except RuntimeError as exc:
        raise Unavailable(
            f"Temporal at {context.settings.temporal_address} is unreachable: {exc}",
            message_zh="流程服务暂不可用，请稍后重试",
        ) from exc


ClientDep = Annotated[Client, Depends(get_client)]


async def get_clock(context: ContextDep) -> Clock:
    return await context.clock()


ClockDep = Annotated[Clock, Depends(get_clock)]
