"""API models of the materials checklist (第十七条) and uploaded files."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from models.orm.cases import Material

MaterialStatus = Literal["pending", "present", "superseded", "rejected"]
ItemState = Literal["present", "missing", "rejected"]


class MaterialRead(BaseModel):
    id: str
    case_id: str
    item_code: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    status: MaterialStatus
    rejection_reason: str | None = None
    uploaded_at: datetime
    uploaded_by: str
    request_id: str

    @classmethod
    def from_row(cls, row: Material) -> MaterialRead:
        return cls(
            id=row.id,
            case_id=row.case_id,
            item_code=row.item_code,
            filename=row.filename,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            sha256=row.sha256,
            status=row.status,  # type: ignore[arg-type]
            rejection_reason=row.rejection_reason,
            uploaded_at=row.uploaded_at,
            uploaded_by=row.uploaded_by,
            request_id=row.request_id,
        )


class ChecklistItem(BaseModel):
    """One checklist entry: a material code, or `code:member_id` for one member."""

    item_code: str
    code: str
    member_id: str | None
    label: str | None = Field(description="Chinese name of the material, when known")
    article: str | None = None
    required: bool
    state: ItemState
    files: list[MaterialRead]


class Checklist(BaseModel):
    case_id: str
    # False when the workflow query failed and the states come from the rows.
    live: bool
    items: list[ChecklistItem]
    missing: list[str]


class MaterialRejectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: str = Field(min_length=1, max_length=64)
    actor_id: str = Field(min_length=1, max_length=40)
    reason: str = Field(
        min_length=1, max_length=4000, description="Why the material was sent back"
    )


class MaterialRejectRead(BaseModel):
    case_id: str
    item_code: str
    material_id: str | None
    request_id: str
    step: str
    status: str
    event_seq: int
    reason: str
