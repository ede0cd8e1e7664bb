"""Stored eligibility assessments: the household file as received and its result."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, String, func
from sqlalchemy.orm import Mapped, mapped_column

from models.orm.base import Base


class AssessmentRecord(Base):
    __tablename__ = "assessments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    rules_version: Mapped[str] = mapped_column(String(40))
    assessment_date: Mapped[date] = mapped_column(Date, index=True)
    verdict: Mapped[str] = mapped_column(String(20))
    # The household file exactly as the request sent it, extra fields included.
    request_body: Mapped[dict[str, Any]] = mapped_column(JSON)
    # AssessmentResult in JSON mode: Decimals as strings, dates as ISO text.
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
