"""Case file and the projection of each case's workflow state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.orm.base import Base


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workflow_id: Mapped[str] = mapped_column(String(64), unique=True)
    receiving_union_id: Mapped[str] = mapped_column(String(40), index=True)
    authority_union_id: Mapped[str] = mapped_column(String(40), index=True)
    # The union whose action the case waits for, for inbox and supervisor lists.
    responsible_union_id: Mapped[str] = mapped_column(String(40), index=True)
    applicant_member_id: Mapped[str] = mapped_column(String(40))
    # The household file as submitted; personal data lives here, not in Temporal.
    household: Mapped[dict[str, Any]] = mapped_column(JSON)
    assessment: Mapped[dict[str, Any]] = mapped_column(JSON)
    declaration_signed_on: Mapped[date] = mapped_column(Date)
    chain: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    step: Mapped[str] = mapped_column(String(32), index=True)
    step_started_at: Mapped[datetime]
    due_kind: Mapped[str | None] = mapped_column(String(32))
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    national_archive_number: Mapped[str | None] = mapped_column(String(64))
    # Highest workflow event already projected; older snapshots are ignored.
    last_event_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_request_id: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CaseMember(Base):
    """Members of a case's household, for the one-open-case-per-person rule."""

    __tablename__ = "case_members"
    __table_args__ = (
        # A person may be in only one open case at a time.
        Index(
            "uq_case_members_open_id_number",
            "id_number",
            unique=True,
            postgresql_where="is_open",
            sqlite_where="is_open",
        ),
    )

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)


class CaseEventRecord(Base):
    """Append-only history, written once per (case, workflow event sequence)."""

    __tablename__ = "case_events"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(String(40))
    request_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    voided_by_seq: Mapped[int | None] = mapped_column(Integer)


class CaseNote(Base):
    """Free text a person typed with an action: findings, opinions, reasons."""

    __tablename__ = "case_notes"
    __table_args__ = (UniqueConstraint("case_id", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    request_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(40))
    author_id: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Material(Base):
    """A scanned document or photo uploaded for one checklist item (第十七条)."""

    __tablename__ = "materials"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    item_code: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default="present")
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(40))
    uploaded_at: Mapped[datetime]
    request_id: Mapped[str] = mapped_column(String(64), unique=True)


class InboxEntry(Base):
    """A reminder, overdue alert or notification in a union's or worker's inbox."""

    __tablename__ = "inbox_entries"
    __table_args__ = (
        # Raising is keyed by the workflow's event, so a retried activity
        # writes one entry.
        UniqueConstraint("dedup_key"),
        # At most one open overdue alert per case and deadline.
        Index(
            "uq_inbox_entries_open_alert",
            "case_id",
            "deadline_kind",
            "kind",
            unique=True,
            postgresql_where="state = 'open' AND kind = 'overdue'",
            sqlite_where="state = 'open' AND kind = 'overdue'",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dedup_key: Mapped[str] = mapped_column(String(160))
    recipient_kind: Mapped[str] = mapped_column(String(10))  # union or worker
    recipient_id: Mapped[str] = mapped_column(String(40), index=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # reminder, overdue, result
    step: Mapped[str] = mapped_column(String(32))
    deadline_kind: Mapped[str | None] = mapped_column(String(32))
    due_at: Mapped[datetime | None]
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
