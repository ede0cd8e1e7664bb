"""Materials of 第十七条: uploads, the checklist, file content and rejection.

An upload is stored and recorded as "pending" before the attach_material
update is sent, so the workflow never points at a file that does not exist. A rejected
update removes the row and the file again. A failure in between (Temporal
unreachable, a crash) leaves the pending row, and repeating the request
with the same request id finishes it.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Response, UploadFile, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from api.context import AppContext
from api.deps import ClientDep, ClockDep, ContextDep
from api.errors import (
    ERROR_RESPONSES,
    Conflict,
    ErrorDetail,
    NotFound,
    ServiceError,
    Unprocessable,
)
from api.routes.unions import service_error_for
from core.db import transaction
from core.logging import get_logger
from models.orm.cases import Case, CaseNote, Material
from models.schemas.materials import (
    Checklist,
    ChecklistItem,
    ItemState,
    MaterialRead,
    MaterialRejectBody,
    MaterialRejectRead,
)
from services import cases as case_service
from services.case_calls import query_state, run_update
from services.storage import LocalStorage, material_key
from services.unions import UnionServiceError, actor_for_staff
from workflows.case_models import Actor, CaseState, MaterialAction

log = get_logger(__name__)

router = APIRouter(prefix="/api/v1", tags=["materials"], responses=ERROR_RESPONSES)

MAX_MATERIAL_BYTES = 10 * 1024 * 1024  # 10 MiB per file

# Accepted content types and the leading bytes every such file starts with.
ALLOWED_TYPES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}

# Items a union may add to any case beyond the assessment's checklist.
OPTIONAL_MATERIALS = {
    "supplementary": "其他补充材料",
    "investigation_photo": "入户调查照片",
}

REJECTION_NOTE_KIND = "material_rejected"


def storage_for(context: AppContext) -> LocalStorage:
    return LocalStorage(context.settings.data_dir / "materials")


# ------------------------------------------------------------------ upload


@router.post(
    "/cases/{case_id}/materials/{item_code}", status_code=status.HTTP_201_CREATED
)
async def upload_material(
    case_id: str,
    item_code: str,
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG, at most 10 MiB")],
    request_id: Annotated[str, Form(min_length=1, max_length=64)],
    actor_id: Annotated[str, Form(min_length=1, max_length=40)],
    context: ContextDep,
    client: ClientDep,
    clock: ClockDep,
) -> MaterialRead:
    """Store a file for one checklist item and attach it to the case (第十七条).

    A repeated request id returns the material the first request stored.
    """
    existing, actor, fallback_checklist = await run_in_threadpool(
        _prepare_upload, context, case_id, item_code, request_id, actor_id
    )
    if existing is not None and existing.status != "pending":
        return MaterialRead.from_row(existing)

    if existing is None:
        live = await query_state(client, case_id)
        checklist = live.required_materials if live else fallback_checklist
        _check_item_code(item_code, checklist)
        # NOTE: Starlette has already spooled the whole upload to a temporary
        # file, so this limit bounds what is stored, not what is received.
        data = await file.read(MAX_MATERIAL_BYTES + 1)
        content_type = _check_file(file.content_type, data)
        row = Material(
            id=f"mat-{uuid.uuid4().hex}",
            case_id=case_id,
            item_code=item_code,
            filename=_clean_filename(file.filename),
            content_type=content_type,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_key="",
            status="pending",
            uploaded_by=actor.staff_id,
            uploaded_at=await clock.now(),
            request_id=request_id,
        )
        stored = await run_in_threadpool(_store_pending, context, row, data)
        if stored.id != row.id:
            # A concurrent request with the same request id stored first.
            if stored.status != "pending":
                return MaterialRead.from_row(stored)
        row = stored
    else:
        row = existing

    action = MaterialAction(
        request_id=request_id, actor=actor, item_code=item_code, material_id=row.id
    )
    try:
        await run_update(client, case_id, "attach_material", action)
    except ServiceError:
        await run_in_threadpool(_discard, context, row)
        raise
    final = await run_in_threadpool(_mark_present, context, row.id)
    log.info(
        "material_attached",
        case_id=case_id,
        item_code=item_code,
        material_id=row.id,
        size_bytes=row.size_bytes,
    )
    return MaterialRead.from_row(final)


def _prepare_upload(
    context: AppContext, case_id: str, item_code: str, request_id: str, actor_id: str
) -> tuple[Material | None, Actor, list[str]]:
    with transaction(context.session_factory) as session:
        case = case_service.get_case(session, case_id)
        existing = session.scalar(
            select(Material).where(Material.request_id == request_id)
        )
        if existing is not None:
            _check_same_upload(existing, case_id, item_code)
        try:
            actor = actor_for_staff(session, actor_id)
        except UnionServiceError as exc:
            raise service_error_for(exc) from exc
        return existing, actor, _assessment_checklist(case)


def _check_same_upload(row: Material, case_id: str, item_code: str) -> None:
    if row.case_id != case_id or row.item_code != item_code:
        raise Conflict(
            f"request id {row.request_id} was already used for material {row.id} "
            f"of item {row.item_code} in case {row.case_id}; send a new request id",
            message_zh="该请求编号已用于另一份材料，请使用新的请求编号",
            code="request_id_reused",
        )


def _assessment_checklist(case: Case) -> list[str]:
    checklist = case.assessment.get("checklist")
    if isinstance(checklist, list):
        return [str(code) for code in checklist]
    return [_item_code(m) for m in case.assessment.get("materials", [])]


def _item_code(material: dict[str, Any]) -> str:
    member_id = material.get("member_id")
    return f"{material['code']}:{member_id}" if member_id else str(material["code"])


def _check_item_code(item_code: str, checklist: list[str]) -> None:
    if item_code in checklist or item_code in OPTIONAL_MATERIALS:
        return
    valid = [*checklist, *OPTIONAL_MATERIALS]
    raise Unprocessable(
        f"unknown checklist item {item_code!r}; valid items of this case: "
        + ", ".join(valid),
        message_zh=f"材料项目 {item_code} 不在本案材料清单中，可选项目："
        + "、".join(valid),
        code="unknown_item",
        details=[
            ErrorDetail(
                loc=["path", "item_code"],
                message=f"{item_code!r} is not in the checklist",
                fix="use one of: " + ", ".join(valid),
            )
        ],
    )


def _check_file(declared_type: str | None, data: bytes) -> str:
    allowed = ", ".join(ALLOWED_TYPES)
    content_type = (declared_type or "").split(";")[0].strip().lower()
    problem: str | None = None
    problem_zh: str | None = None
    if not data:
        problem, problem_zh = "the file is empty", "上传的文件为空"
    elif len(data) > MAX_MATERIAL_BYTES:
        problem = f"the file is larger than {MAX_MATERIAL_BYTES} bytes (10 MiB)"
        problem_zh = "文件超过 10 MiB"
    elif content_type not in ALLOWED_TYPES:
        problem = f"content type {content_type or 'missing'!r} is not accepted"
        problem_zh = "仅接受 PDF、JPEG 或 PNG 文件"
    elif not data.startswith(ALLOWED_TYPES[content_type]):
        problem = f"the file's content is not {content_type}, as its type says"
        problem_zh = "文件内容与声明的类型不符，仅接受 PDF、JPEG 或 PNG 文件"
    if problem is None:
        return content_type
    raise Unprocessable(
        f"invalid file: {problem}; accepted types are {allowed}, up to 10 MiB",
        message_zh=problem_zh,
        code="invalid_file",
        details=[
            ErrorDetail(
                loc=["file"],
                message=problem,
                fix=f"upload a non-empty file of type {allowed}, at most 10 MiB",
            )
        ],
    )


def _clean_filename(filename: str | None) -> str:
    # Some browsers send the client's full path; keep the last part only.
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "upload")[:255]


def _store_pending(context: AppContext, row: Material, data: bytes) -> Material:
    """Write the file and the pending row together, or neither.

    Returns the stored row, which is another request's row when a concurrent
    request with the same request id committed first.
    """
    storage = storage_for(context)
    row.storage_key = material_key(row.case_id, row.id)
    try:
        with transaction(context.session_factory) as session:
            session.add(row)
            # The flush hits the unique request id before any file is written.
            session.flush()
            storage.put(row.storage_key, data)
    except IntegrityError:
        with transaction(context.session_factory) as session:
            other = session.scalar(
                select(Material).where(Material.request_id == row.request_id)
            )
            if other is None:
                raise
            _check_same_upload(other, row.case_id, row.item_code)
            return other
    except BaseException:
        storage.delete(row.storage_key)
        raise
    return row


def _discard(context: AppContext, row: Material) -> None:
    with transaction(context.session_factory) as session:
        stored = session.get(Material, row.id)
        if stored is not None:
            session.delete(stored)
    storage_for(context).delete(row.storage_key)


def _mark_present(context: AppContext, material_id: str) -> Material:
    # NOTE: two concurrent uploads for one item may finish here in the other
    # order than the workflow applied them. The row marked present is then
    # not the material id the workflow state holds for the item.
    with transaction(context.session_factory) as session:
        row = session.get(Material, material_id, with_for_update=True)
        if row is None:
            raise NotFound(f"material {material_id} not found")
        earlier = session.scalars(
            select(Material).where(
                Material.case_id == row.case_id,
                Material.item_code == row.item_code,
                Material.status == "present",
                Material.id != row.id,
            )
        )
        for other in earlier:
            other.status = "superseded"
        if row.status == "pending":
            row.status = "present"
        return row


# --------------------------------------------------------------- checklist


@router.get("/cases/{case_id}/materials")
async def get_checklist(
    case_id: str, context: ContextDep, client: ClientDep
) -> Checklist:
    """Return the case's checklist with each item's state and uploaded files."""
    await run_in_threadpool(_check_case, context, case_id)
    live = await query_state(client, case_id)
    return await run_in_threadpool(_build_checklist, context, case_id, live)


def _check_case(context: AppContext, case_id: str) -> None:
    with transaction(context.session_factory) as session:
        case_service.get_case(session, case_id)


def _build_checklist(
    context: AppContext, case_id: str, live: CaseState | None
) -> Checklist:
    with transaction(context.session_factory) as session:
        case = case_service.get_case(session, case_id)
        rows = session.scalars(
            select(Material)
            .where(Material.case_id == case_id)
            .order_by(Material.uploaded_at, Material.id)
        ).all()
    labels = {
        _item_code(m): (m.get("label"), m.get("article"))
        for m in case.assessment.get("materials", [])
    }
    required = live.required_materials if live else _assessment_checklist(case)
    uploaded_optional = [
        row.item_code
        for row in rows
        if row.item_code not in required and row.item_code in OPTIONAL_MATERIALS
    ]
    items = []
    for item_code in [*required, *dict.fromkeys(uploaded_optional)]:
        files = [row for row in rows if row.item_code == item_code]
        label, article = labels.get(
            item_code, (OPTIONAL_MATERIALS.get(item_code), None)
        )
        code, _, member_id = item_code.partition(":")
        items.append(
            ChecklistItem(
                item_code=item_code,
                code=code,
                member_id=member_id or None,
                label=label,
                article=article,
                required=item_code in required,
                state=_item_state(item_code, files, live),
                files=[MaterialRead.from_row(row) for row in files],
            )
        )
    return Checklist(
        case_id=case_id,
        live=live is not None,
        items=items,
        missing=[i.item_code for i in items if i.required and i.state != "present"],
    )


def _item_state(
    item_code: str, files: list[Material], live: CaseState | None
) -> ItemState:
    if live is not None:
        if item_code in live.materials_present:
            return "present"
        if item_code in live.materials_rejected:
            return "rejected"
        return "missing"
    if any(row.status == "present" for row in files):
        return "present"
    settled = [row for row in files if row.status != "pending"]
    if settled and settled[-1].status == "rejected":
        return "rejected"
    return "missing"


# ------------------------------------------------------------------ content


@router.get(
    "/cases/{case_id}/materials/{material_id}/content",
    response_class=Response,
    responses={200: {"content": {t: {} for t in ALLOWED_TYPES}}},
)
async def get_material_content(
    case_id: str, material_id: str, context: ContextDep
) -> Response:
    """Return the uploaded file's bytes with the content type checked at upload."""
    row, data = await run_in_threadpool(_read_content, context, case_id, material_id)
    return Response(
        content=data,
        media_type=row.content_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )


def _read_content(
    context: AppContext, case_id: str, material_id: str
) -> tuple[Material, bytes]:
    with transaction(context.session_factory) as session:
        case_service.get_case(session, case_id)
        row = session.get(Material, material_id)
    if row is None or row.case_id != case_id:
        raise NotFound(
            f"material {material_id} not found in case {case_id}",
            message_zh=f"案件 {case_id} 中没有材料 {material_id}",
        )
    try:
        return row, storage_for(context).open(row.storage_key)
    except FileNotFoundError as exc:
        log.error("material_file_missing", case_id=case_id, material_id=material_id)
        raise NotFound(
            f"the file of material {material_id} is missing from storage",
            message_zh="材料文件已丢失，请重新上传",
        ) from exc


# ---------------------------------------------------------------- rejection


@router.post("/cases/{case_id}/materials/{item_code}/reject")
async def reject_material(
    case_id: str,
    item_code: str,
    body: MaterialRejectBody,
    context: ContextDep,
    client: ClientDep,
    clock: ClockDep,
) -> MaterialRejectRead:
    """Send a material back to the applicant with the reason (第十七条)."""
    actor, target_id = await run_in_threadpool(
        _prepare_rejection, context, case_id, item_code, body
    )
    action = MaterialAction(
        request_id=body.request_id,
        actor=actor,
        item_code=item_code,
        material_id=target_id,
    )
    result = await run_update(client, case_id, "reject_material", action)
    now = await clock.now()
    await run_in_threadpool(
        _mark_rejected, context, case_id, target_id, body, actor, now
    )
    log.info(
        "material_rejected",
        case_id=case_id,
        item_code=item_code,
        material_id=target_id,
    )
    return MaterialRejectRead(
        case_id=case_id,
        item_code=item_code,
        material_id=target_id,
        request_id=body.request_id,
        step=result.step.value,
        status=result.status.value,
        event_seq=result.event_seq,
        reason=body.reason,
    )


def _prepare_rejection(
    context: AppContext, case_id: str, item_code: str, body: MaterialRejectBody
) -> tuple[Actor, str | None]:
    with transaction(context.session_factory) as session:
        case_service.get_case(session, case_id)
        try:
            actor = actor_for_staff(session, body.actor_id)
        except UnionServiceError as exc:
            raise service_error_for(exc) from exc
        repeated = session.scalar(
            select(CaseNote.id).where(
                CaseNote.case_id == case_id,
                CaseNote.request_id == body.request_id,
                CaseNote.kind == REJECTION_NOTE_KIND,
            )
        )
        # A repeated request finds the row the first one rejected.
        target_status = "rejected" if repeated is not None else "present"
        target = session.scalar(
            select(Material.id)
            .where(
                Material.case_id == case_id,
                Material.item_code == item_code,
                Material.status == target_status,
            )
            .order_by(Material.uploaded_at.desc(), Material.id.desc())
            .limit(1)
        )
        return actor, target


def _mark_rejected(
    context: AppContext,
    case_id: str,
    material_id: str | None,
    body: MaterialRejectBody,
    actor: Actor,
    now: datetime,
) -> None:
    with transaction(context.session_factory) as session:
        if material_id is not None:
            row = session.get(Material, material_id, with_for_update=True)
            if row is not None and row.status != "rejected":
                row.status = "rejected"
                row.rejection_reason = body.reason
        case_service.add_note(
            session,
            case_id,
            body.request_id,
            REJECTION_NOTE_KIND,
            actor.staff_id,
            body.reason,
            now,
        )
