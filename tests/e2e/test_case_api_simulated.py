"""One case through the whole procedure via the HTTP API on the simulated clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.context import AppContext
from api.main import create_app
from core.clock import TestServerClock
from core.db import transaction
from core.settings import Settings
from services.demo_seed import seed_demo
from tests.households import load_household

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GRASSROOTS = "u-gr-town"
CASEWORKERS = ("s-gr-town-cw1", "s-gr-town-cw2")
TOWNSHIP_REVIEWER = "s-town-a-rv"
COUNTY_APPROVER = "s-county-a-ap"
COUNTY = "u-county-a"


@pytest.fixture
async def api(
    time_skipping_env: WorkflowEnvironment,
    settings: Settings,
    engine,  # type: ignore[no-untyped-def]
    session_factory: sessionmaker[Session],
    worker: Worker,
    task_queue: str,
    tmp_path,  # type: ignore[no-untyped-def]
) -> AsyncIterator[httpx.AsyncClient]:
    with transaction(session_factory) as session:
        seed_demo(session)
    simulated = settings.model_copy(
        update={"task_queue": task_queue, "data_dir": tmp_path}
    )
    context = AppContext(
        settings=simulated, engine=engine, session_factory=session_factory
    )
    context.use_client(time_skipping_env.client)
    context.use_clock(TestServerClock(time_skipping_env.client))
    app = create_app(simulated, context=context)
    app.state.context = context
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


def rid() -> str:
    return uuid.uuid4().hex


async def ok(response: httpx.Response, status: int = 200) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status, response.text
    return response.json()


async def open_and_recognise(api: httpx.AsyncClient) -> str:
    """Drive a shared household from application to recognition."""
    now = (await ok(await api.get("/api/v1/admin/clock")))["now"]
    created = await ok(
        await api.post(
            "/api/v1/cases",
            json={
                "request_id": rid(),
                "actor_id": CASEWORKERS[0],
                "receiving_union_id": GRASSROOTS,
                "declaration": {
                    "signed_on": now[:10],
                    "signed_by_member": "m1",
                    "truthful": True,
                },
                "household": load_household("01-dibao-household.json"),
            },
        ),
        201,
    )
    case_id = created["id"]
    assert created["verdict"] == "eligible"
    assert created["step"] == "application"

    for item in created["missing_materials"]:
        await ok(
            await api.post(
                f"/api/v1/cases/{case_id}/materials/{item}",
                files={"file": ("scan.png", PNG, "image/png")},
                data={"request_id": rid(), "actor_id": CASEWORKERS[0]},
            ),
            201,
        )
    base = f"/api/v1/cases/{case_id}"
    await ok(
        await api.post(
            f"{base}/application/submit",
            json={"request_id": rid(), "actor_id": CASEWORKERS[0]},
        )
    )
    for staff in CASEWORKERS:
        await ok(
            await api.post(
                f"{base}/investigation/signatures",
                json={
                    "request_id": rid(),
                    "actor_id": staff,
                    "visited_on": now[:10],
                    "note": "入户核实：家庭收入与申报一致",
                },
            )
        )
    await ok(
        await api.post(
            f"{base}/investigation/complete",
            json={"request_id": rid(), "actor_id": CASEWORKERS[0]},
        )
    )
    await ok(
        await api.post(
            f"{base}/democratic-review",
            json={
                "request_id": rid(),
                "actor_id": CASEWORKERS[0],
                "passed": True,
                "votes_for": 11,
                "votes_against": 0,
            },
        )
    )
    await ok(
        await api.post(
            f"{base}/notice/post",
            json={"request_id": rid(), "actor_id": CASEWORKERS[0]},
        )
    )
    case = await ok(await api.get(base))
    assert case["deadline"]["kind"] == "public_notice"
    notice = await api.get(f"{base}/notice")
    assert notice.status_code == 200
    assert "困难职工" in notice.text

    due_at = case["deadline"]["due_at"]
    await ok(await api.post("/api/v1/admin/clock/advance", json={"until": due_at}))
    await ok(await api.post("/api/v1/admin/clock/advance", json={"duration": "PT1M"}))
    case = await ok(await api.get(base))
    assert case["step"] == "review"

    for path, staff in (
        ("review", TOWNSHIP_REVIEWER),
        ("recheck", COUNTY_APPROVER),
        ("recognition", COUNTY_APPROVER),
    ):
        await ok(
            await api.post(
                f"{base}/{path}",
                json={"request_id": rid(), "actor_id": staff, "decision": "approve"},
            )
        )
    return case_id


async def test_case_from_application_to_entry(api: httpx.AsyncClient) -> None:
    case_id = await open_and_recognise(api)
    base = f"/api/v1/cases/{case_id}"
    case = await ok(await api.get(base))
    assert case["status"] == "recognised"
    assert case["deadline"]["kind"] == "data_entry"

    await ok(await api.post("/api/v1/admin/clock/advance", json={"duration": "P3D"}))
    await ok(
        await api.post(
            f"{base}/entry",
            json={
                "request_id": rid(),
                "actor_id": COUNTY_APPROVER,
                "national_archive_number": "130000-2026-0001",
            },
        )
    )
    case = await ok(await api.get(base))
    assert case["status"] == "entered"
    assert case["step"] == "assistance"
    assert case["national_archive_number"] == "130000-2026-0001"
    kinds = [event["kind"] for event in case["history"]]
    assert "notice_period_ended" in kinds
    assert "recognised" in kinds
    assert "entry_overdue" not in kinds
    signed = [e for e in case["history"] if e["kind"] == "investigation_signed"]
    assert signed[0]["note"] == "入户核实：家庭收入与申报一致"

    worker_inbox = await ok(
        await api.get("/api/v1/inbox", params={"recipient_id": case_id})
    )
    assert len(worker_inbox["items"]) == 1
    for union in ("u-gr-town", "u-town-a"):
        inbox = await ok(
            await api.get(
                "/api/v1/inbox", params={"recipient_id": union, "case_id": case_id}
            )
        )
        assert [item["kind"] for item in inbox["items"]] == ["result"]

    listed = await ok(
        await api.get(
            "/api/v1/cases", params={"union_id": COUNTY, "step": "assistance"}
        )
    )
    assert case_id in [item["id"] for item in listed["items"]]


async def test_entry_deadline_passes(api: httpx.AsyncClient) -> None:
    case_id = await open_and_recognise(api)
    base = f"/api/v1/cases/{case_id}"
    case = await ok(await api.get(base))
    due_at = case["deadline"]["due_at"]
    await ok(await api.post("/api/v1/admin/clock/advance", json={"until": due_at}))
    await ok(
        await api.post(
            "/api/v1/admin/clock/advance",
            json={"duration": timedelta(hours=3).total_seconds()},
        )
    )

    inbox = await ok(
        await api.get(
            "/api/v1/inbox", params={"recipient_id": COUNTY, "case_id": case_id}
        )
    )
    kinds = sorted(item["kind"] for item in inbox["items"])
    assert kinds == ["overdue", "reminder", "reminder"]
    overdue = next(item for item in inbox["items"] if item["kind"] == "overdue")
    assert overdue["state"] == "open"
    case = await ok(await api.get(base))
    assert "entry_overdue" in [event["kind"] for event in case["history"]]

    await ok(
        await api.post(
            f"/api/v1/inbox/{overdue['id']}/acknowledge",
            json={"note": "已安排专人录入"},
        )
    )
    late = await ok(
        await api.post(
            f"{base}/entry",
            json={
                "request_id": rid(),
                "actor_id": COUNTY_APPROVER,
                "national_archive_number": "130000-2026-0002",
            },
        )
    )
    assert late["status"] == "entered"
    case = await ok(await api.get(base))
    entry = next(
        e for e in case["history"] if e["kind"] == "entered_in_national_system"
    )
    assert entry["data"]["late"] is True


async def test_member_of_open_case_rejected(api: httpx.AsyncClient) -> None:
    now = (await ok(await api.get("/api/v1/admin/clock")))["now"]
    household = load_household("02-illness-slightly-above.json")
    body = {
        "actor_id": CASEWORKERS[0],
        "receiving_union_id": GRASSROOTS,
        "declaration": {
            "signed_on": now[:10],
            "signed_by_member": "m1",
            "truthful": True,
        },
        "household": household,
    }
    first = await ok(
        await api.post("/api/v1/cases", json={**body, "request_id": rid()}), 201
    )
    again = await api.post("/api/v1/cases", json={**body, "request_id": rid()})
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "member_in_open_case"
    assert GRASSROOTS in error["message"]
    assert first["id"] in error["message"]


async def test_repeated_application_finds_same_case(api: httpx.AsyncClient) -> None:
    now = (await ok(await api.get("/api/v1/admin/clock")))["now"]
    body = {
        "request_id": rid(),
        "actor_id": CASEWORKERS[0],
        "receiving_union_id": GRASSROOTS,
        "declaration": {
            "signed_on": now[:10],
            "signed_by_member": "m1",
            "truthful": True,
        },
        "household": load_household("07-below-six-months-no-aid.json"),
    }
    first = await ok(await api.post("/api/v1/cases", json=body), 201)
    second = await ok(await api.post("/api/v1/cases", json=body), 201)
    assert second["id"] == first["id"]
    assert second["workflow_id"] == first["workflow_id"]


async def test_wrong_union_action_is_403_and_changes_nothing(
    api: httpx.AsyncClient,
) -> None:
    now = (await ok(await api.get("/api/v1/admin/clock")))["now"]
    created = await ok(
        await api.post(
            "/api/v1/cases",
            json={
                "request_id": rid(),
                "actor_id": CASEWORKERS[0],
                "receiving_union_id": GRASSROOTS,
                "declaration": {
                    "signed_on": now[:10],
                    "signed_by_member": "m1",
                    "truthful": True,
                },
                "household": load_household("08-conscript-not-counted.json"),
            },
        ),
        201,
    )
    base = f"/api/v1/cases/{created['id']}"
    forbidden = await api.post(
        f"{base}/application/submit",
        json={"request_id": rid(), "actor_id": COUNTY_APPROVER},
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["message_zh"]
    blocked = await api.post(
        f"{base}/application/submit",
        json={"request_id": rid(), "actor_id": CASEWORKERS[0]},
    )
    assert blocked.status_code == 409
    assert "第十七条" in blocked.json()["error"]["message"]
    case = await ok(await api.get(base))
    assert case["step"] == "application"
    assert [e["kind"] for e in case["history"]] == ["case_opened"]


async def test_history_holds_no_personal_data(
    api: httpx.AsyncClient, time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    now = (await ok(await api.get("/api/v1/admin/clock")))["now"]
    household = load_household("11-migrant-worker.json")
    created = await ok(
        await api.post(
            "/api/v1/cases",
            json={
                "request_id": rid(),
                "actor_id": CASEWORKERS[0],
                "receiving_union_id": GRASSROOTS,
                "declaration": {
                    "signed_on": now[:10],
                    "signed_by_member": "m1",
                    "truthful": True,
                },
                "household": household,
            },
        ),
        201,
    )
    base = f"/api/v1/cases/{created['id']}"
    await api.post(
        f"{base}/application/submit",
        json={"request_id": rid(), "actor_id": CASEWORKERS[0], "note": "材料已核对"},
    )
    handle = time_skipping_env.client.get_workflow_handle(created["workflow_id"])
    history = await handle.fetch_history()
    raw = history.to_json()
    decoded = []
    for event in history.events:
        for attribute in ("workflow_execution_started_event_attributes",):
            if event.HasField(attribute):
                payloads = getattr(event, attribute).input.payloads
                decoded += (
                    await time_skipping_env.client.data_converter.payload_codec.decode(
                        payloads
                    )
                )  # type: ignore[union-attr]
    plain = raw + "".join(p.data.decode("utf-8", "replace") for p in decoded)
    assert decoded
    for member in household["members"]:
        assert member["name"] not in plain
        assert member["id_number"] not in plain
    assert "材料已核对" not in plain
