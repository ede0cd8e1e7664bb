"""Material uploads, the checklist and rejection, through the app and the workflow.

The case workflow runs on the time-skipping server with one worker for the
module. Requests commit, so every test starts its own case.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.context import AppContext
from api.main import create_app
from api.routes.materials import MAX_MATERIAL_BYTES
from core.db import transaction
from core.settings import Settings
from models.orm.cases import Case, CaseNote, Material
from models.orm.unions import Staff, TradeUnion
from services.assessments import assess_file
from services.cases import required_checklist
from tests.conftest import HOUSEHOLDS_DIR
from workflows.case import CaseWorkflow
from workflows.case_models import CaseChain, CaseInput, workflow_id_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(scope="module")
def unions(session_factory: sessionmaker[Session]) -> dict[str, str]:
    """A province, the receiving grassroots union, another grassroots union,
    and one caseworker in each grassroots union."""
    suffix = uuid.uuid4().hex[:8]
    ids = {
        "province": f"u-p-{suffix}",
        "grassroots": f"u-g-{suffix}",
        "other": f"u-o-{suffix}",
        "staff": f"s-g-{suffix}",
        "other_staff": f"s-o-{suffix}",
    }
    with transaction(session_factory) as session:
        session.add(
            TradeUnion(id=ids["province"], name="河北省总工会", level="province")
        )
        session.flush()
        for key, name in (("grassroots", "示例厂工会"), ("other", "另一厂工会")):
            session.add(
                TradeUnion(
                    id=ids[key],
                    name=name,
                    level="grassroots",
                    parent_id=ids["province"],
                )
            )
        session.flush()
        session.add(
            Staff(
                id=ids["staff"],
                name="王芳",
                union_id=ids["grassroots"],
                role="caseworker",
            )
        )
        session.add(
            Staff(
                id=ids["other_staff"],
                name="赵强",
                union_id=ids["other"],
                role="caseworker",
            )
        )
    return ids


@pytest.fixture
async def api(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    time_skipping_env: WorkflowEnvironment,
    tmp_path: Path,
) -> AsyncIterator[httpx.AsyncClient]:
    test_settings = settings.model_copy(update={"data_dir": tmp_path})
    context = AppContext(
        settings=test_settings, engine=engine, session_factory=session_factory
    )
    context.use_client(time_skipping_env.client)
    app = create_app(test_settings, context=context)
    async with _running(app) as client:
        yield client


@pytest.fixture
async def case_id(
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    unions: dict[str, str],
    worker: Worker,
    task_queue: str,
) -> str:
    return await start_case(
        time_skipping_env.client, session_factory, unions["grassroots"], task_queue
    )


def _running(app: FastAPI) -> Any:
    class Running:
        async def __aenter__(self) -> httpx.AsyncClient:
            self._lifespan = app.router.lifespan_context(app)
            await self._lifespan.__aenter__()
            self._client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://test"
            )
            return self._client

        async def __aexit__(self, *exc: object) -> None:
            await self._client.aclose()
            await self._lifespan.__aexit__(None, None, None)

    return Running()


def household_file(name: str = "02-illness-slightly-above.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HOUSEHOLDS_DIR / name).read_text("utf-8"))
    data.pop("expected", None)
    return data


async def start_case(
    client: Client,
    factory: sessionmaker[Session],
    receiving_union_id: str,
    task_queue: str,
    household: dict[str, Any] | None = None,
) -> str:
    """Insert a case row for a real assessment and start its workflow."""
    household = household or household_file()
    _, result = assess_file(household, today=date.today())
    checklist = required_checklist(result)
    chain = CaseChain(
        receiving_union_id=receiving_union_id,
        review_union_id=None,
        recheck_union_id="u-recheck",
        authority_union_id="u-authority",
    )
    case_id = f"c-{uuid.uuid4().hex[:16]}"
    now = datetime.now(UTC)
    with transaction(factory) as session:
        session.add(
            Case(
                id=case_id,
                workflow_id=workflow_id_for(case_id),
                receiving_union_id=receiving_union_id,
                authority_union_id=chain.authority_union_id,
                responsible_union_id=receiving_union_id,
                applicant_member_id=household["applicant"]["member"],
                household=household,
                assessment={**result.model_dump(mode="json"), "checklist": checklist},
                declaration_signed_on=date.today(),
                chain=chain.model_dump(),
                status="open",
                step="application",
                step_started_at=now,
                last_event_seq=0,
                created_request_id=uuid.uuid4().hex,
                created_at=now,
                updated_at=now,
            )
        )
    await client.start_workflow(
        CaseWorkflow.run,
        CaseInput(case_id=case_id, chain=chain, required_materials=checklist),
        id=workflow_id_for(case_id),
        task_queue=task_queue,
    )
    return case_id


async def upload(
    api: httpx.AsyncClient,
    case_id: str,
    item_code: str,
    actor_id: str,
    *,
    data: bytes = PNG,
    content_type: str = "image/png",
    filename: str = "scan.png",
    request_id: str | None = None,
) -> httpx.Response:
    return await api.post(
        f"/api/v1/cases/{case_id}/materials/{item_code}",
        files={"file": (filename, data, content_type)},
        data={"request_id": request_id or uuid.uuid4().hex, "actor_id": actor_id},
    )


def material_rows(factory: sessionmaker[Session], case_id: str) -> list[Material]:
    with transaction(factory) as session:
        return list(
            session.scalars(
                select(Material)
                .where(Material.case_id == case_id)
                .order_by(Material.uploaded_at)
            )
        )


def stored_files(data_dir: Path, case_id: str) -> list[Path]:
    case_dir = data_dir / "materials" / case_id
    return sorted(case_dir.iterdir()) if case_dir.exists() else []


def checklist_item(body: dict[str, Any], item_code: str) -> dict[str, Any]:
    items = {item["item_code"]: item for item in body["items"]}
    return items[item_code]


async def test_upload_accepted_and_listed(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    response = await upload(
        api,
        case_id,
        "application",
        unions["staff"],
        data=PDF,
        content_type="application/pdf",
        filename="C:\\Users\\scan\\申请书.pdf",
    )

    assert response.status_code == 201, response.text
    material = response.json()
    assert material["status"] == "present"
    assert material["filename"] == "申请书.pdf"
    assert material["content_type"] == "application/pdf"
    assert material["size_bytes"] == len(PDF)
    assert material["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert material["uploaded_by"] == unions["staff"]

    listing = await api.get(f"/api/v1/cases/{case_id}/materials")
    assert listing.status_code == 200, listing.text
    body = listing.json()
    assert body["live"] is True
    item = checklist_item(body, "application")
    assert item["state"] == "present"
    assert item["label"] == "困难职工申请书"
    assert [f["id"] for f in item["files"]] == [material["id"]]
    assert checklist_item(body, "id_card:m1")["state"] == "missing"
    assert checklist_item(body, "id_card:m1")["member_id"] == "m1"
    assert "application" not in body["missing"]
    assert "id_card:m1" in body["missing"]

    content = await api.get(
        f"/api/v1/cases/{case_id}/materials/{material['id']}/content"
    )
    assert content.status_code == 200
    assert content.content == PDF
    assert content.headers["content-type"] == "application/pdf"

    files = stored_files(tmp_path, case_id)
    assert [f.name for f in files] == [material["id"]]
    assert "申请书" not in str(files[0])


async def test_member_item_and_optional_item_accepted(
    api: httpx.AsyncClient, case_id: str, unions: dict[str, str]
) -> None:
    member = await upload(
        api,
        case_id,
        "id_card:m1",
        unions["staff"],
        data=JPEG,
        content_type="image/jpeg",
    )
    optional = await upload(api, case_id, "supplementary", unions["staff"])

    assert member.status_code == 201, member.text
    assert optional.status_code == 201, optional.text
    body = (await api.get(f"/api/v1/cases/{case_id}/materials")).json()
    assert checklist_item(body, "id_card:m1")["state"] == "present"
    supplementary = checklist_item(body, "supplementary")
    assert supplementary["required"] is False
    assert supplementary["label"] == "其他补充材料"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"plain text", "text/plain"),
        (PDF, "image/png"),
        (PNG, "application/pdf"),
        (b"GIF89a" + b"\x00" * 10, "image/gif"),
    ],
)
async def test_wrong_type_rejected(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
    tmp_path: Path,
    data: bytes,
    content_type: str,
) -> None:
    response = await upload(
        api,
        case_id,
        "application",
        unions["staff"],
        data=data,
        content_type=content_type,
    )

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_file"
    assert error["details"][0]["loc"] == ["file"]
    assert "application/pdf, image/jpeg, image/png" in error["message"]
    assert material_rows(session_factory, case_id) == []
    assert stored_files(tmp_path, case_id) == []


async def test_empty_file_rejected(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
) -> None:
    response = await upload(api, case_id, "application", unions["staff"], data=b"")

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["details"][0]["loc"] == ["file"]
    assert "empty" in error["details"][0]["message"]
    assert material_rows(session_factory, case_id) == []


async def test_oversized_file_rejected(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
) -> None:
    data = PNG + b"\x00" * (MAX_MATERIAL_BYTES - len(PNG) + 1)

    response = await upload(api, case_id, "application", unions["staff"], data=data)

    assert response.status_code == 422, response.text
    assert "10 MiB" in response.json()["error"]["message"]
    assert material_rows(session_factory, case_id) == []


async def test_unknown_item_rejected(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
) -> None:
    response = await upload(api, case_id, "passport", unions["staff"])

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "unknown_item"
    assert "application" in error["message"]
    assert "id_card:m1" in error["message"]
    assert "supplementary" in error["message"]
    assert error["details"][0]["loc"] == ["path", "item_code"]
    assert material_rows(session_factory, case_id) == []


async def test_other_union_forbidden_and_nothing_stored(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    response = await upload(api, case_id, "application", unions["other_staff"])

    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "forbidden"
    assert material_rows(session_factory, case_id) == []
    assert stored_files(tmp_path, case_id) == []
    body = (await api.get(f"/api/v1/cases/{case_id}/materials")).json()
    assert checklist_item(body, "application")["state"] == "missing"


async def test_unknown_case_and_staff(
    api: httpx.AsyncClient, case_id: str, unions: dict[str, str]
) -> None:
    no_case = await upload(api, "c-does-not-exist", "application", unions["staff"])
    no_staff = await upload(api, case_id, "application", "s-nobody")

    assert no_case.status_code == 404
    assert no_staff.status_code == 404
    assert (
        await api.get("/api/v1/cases/c-does-not-exist/materials")
    ).status_code == 404


async def test_repeated_request_id_returns_first_result(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    request_id = uuid.uuid4().hex
    first = await upload(
        api, case_id, "hukou_book", unions["staff"], request_id=request_id
    )
    second = await upload(
        api,
        case_id,
        "hukou_book",
        unions["staff"],
        request_id=request_id,
        data=PDF,
        content_type="application/pdf",
    )

    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    assert second.json() == first.json()
    assert len(material_rows(session_factory, case_id)) == 1
    assert len(stored_files(tmp_path, case_id)) == 1


async def test_request_id_reused_for_other_item(
    api: httpx.AsyncClient, case_id: str, unions: dict[str, str]
) -> None:
    request_id = uuid.uuid4().hex
    await upload(api, case_id, "hukou_book", unions["staff"], request_id=request_id)

    other = await upload(
        api, case_id, "application", unions["staff"], request_id=request_id
    )

    assert other.status_code == 409, other.text
    assert other.json()["error"]["code"] == "request_id_reused"


async def test_pending_upload_finished_by_repeat(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
) -> None:
    # A first attempt that stored its row but never reached the workflow.
    request_id = uuid.uuid4().hex
    first = await upload(
        api, case_id, "hardship_proof", unions["staff"], request_id=request_id
    )
    with transaction(session_factory) as session:
        row = session.get(Material, first.json()["id"])
        assert row is not None
        row.status = "pending"

    repeat = await upload(
        api, case_id, "hardship_proof", unions["staff"], request_id=request_id
    )

    assert repeat.status_code == 201, repeat.text
    assert repeat.json()["id"] == first.json()["id"]
    assert repeat.json()["status"] == "present"


async def test_new_upload_supersedes_earlier(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
) -> None:
    first = await upload(api, case_id, "diagnosis", unions["staff"])
    second = await upload(
        api, case_id, "diagnosis", unions["staff"], data=JPEG, content_type="image/jpeg"
    )

    assert second.status_code == 201, second.text
    statuses = {row.id: row.status for row in material_rows(session_factory, case_id)}
    assert statuses == {
        first.json()["id"]: "superseded",
        second.json()["id"]: "present",
    }


async def test_reject_material(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
) -> None:
    uploaded = (await upload(api, case_id, "medical_invoices", unions["staff"])).json()
    body = {
        "request_id": uuid.uuid4().hex,
        "actor_id": unions["staff"],
        "reason": "发票不清晰，请重新扫描",
    }

    response = await api.post(
        f"/api/v1/cases/{case_id}/materials/medical_invoices/reject", json=body
    )

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["material_id"] == uploaded["id"]
    assert result["reason"] == "发票不清晰，请重新扫描"
    listing = (await api.get(f"/api/v1/cases/{case_id}/materials")).json()
    item = checklist_item(listing, "medical_invoices")
    assert item["state"] == "rejected"
    assert item["files"][0]["status"] == "rejected"
    assert item["files"][0]["rejection_reason"] == "发票不清晰，请重新扫描"
    with transaction(session_factory) as session:
        note = session.scalar(
            select(CaseNote).where(CaseNote.request_id == body["request_id"])
        )
        assert note is not None
        assert note.kind == "material_rejected"

    repeat = await api.post(
        f"/api/v1/cases/{case_id}/materials/medical_invoices/reject", json=body
    )
    assert repeat.status_code == 200, repeat.text
    assert repeat.json() == result

    again = await api.post(
        f"/api/v1/cases/{case_id}/materials/medical_invoices/reject",
        json={**body, "request_id": uuid.uuid4().hex},
    )
    assert again.status_code == 409, again.text

    replaced = await upload(api, case_id, "medical_invoices", unions["staff"])
    assert replaced.status_code == 201, replaced.text
    listing = (await api.get(f"/api/v1/cases/{case_id}/materials")).json()
    assert checklist_item(listing, "medical_invoices")["state"] == "present"


async def test_reject_by_other_union_forbidden(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    session_factory: sessionmaker[Session],
) -> None:
    await upload(api, case_id, "application", unions["staff"])

    response = await api.post(
        f"/api/v1/cases/{case_id}/materials/application/reject",
        json={
            "request_id": uuid.uuid4().hex,
            "actor_id": unions["other_staff"],
            "reason": "不符合要求",
        },
    )

    assert response.status_code == 403, response.text
    rows = material_rows(session_factory, case_id)
    assert [row.status for row in rows] == ["present"]


async def test_content_of_other_case_not_found(
    api: httpx.AsyncClient,
    case_id: str,
    unions: dict[str, str],
    time_skipping_env: WorkflowEnvironment,
    session_factory: sessionmaker[Session],
    task_queue: str,
) -> None:
    uploaded = (await upload(api, case_id, "application", unions["staff"])).json()
    other_case = await start_case(
        time_skipping_env.client, session_factory, unions["grassroots"], task_queue
    )

    response = await api.get(
        f"/api/v1/cases/{other_case}/materials/{uploaded['id']}/content"
    )

    assert response.status_code == 404
