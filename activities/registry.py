"""Every activity the worker registers, built with its dependencies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from activities.cases import CaseActivities
from core.settings import Settings


def build_activities(
    session_factory: sessionmaker[Session], settings: Settings
) -> list[Callable[..., Any]]:
    cases = CaseActivities(session_factory)
    return [cases.compute_deadline, cases.project_case, cases.send_inbox_entry]
