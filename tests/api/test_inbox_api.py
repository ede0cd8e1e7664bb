"""Inbox listing and state transitions through the app and PostgreSQL.

Entries are written with the case activity's `send_inbox_entry`, as the
workflow writes them. Requests commit, so each test uses its own case.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from activities.case_models import InboxRequest
from activities.cases import CaseActivities
from api.context import AppContext
from api.main import create_app
from core.settings import Settings
from models.orm.cases import InboxEntry
from tests.workflows.helpers import CHAIN, insert_case
from workflows.case_models import Step


@pytest.fixture
def client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    context = AppContext(
        settings=settings, engine=engine, session_factory=session_factory
    )
    with TestClient(create_app(settings, context=context)) as test_client:
        yield test_client


@pytest.fixture
def case_id(session_factory: sessionmaker[Session]) -> str:
    return insert_case(session_factory)


def send_entry(
    factory: sessionmaker[Session],
    case_id: str,
    *,
    recipient_id: str = CHAIN.authority_union_id,
    kind: str = "reminder",
    created_at: datetime | None = None,
) -> int:
    now = created_at or datetime.now(UTC)
    request = InboxRequest(
        dedup_key=f"{case_id}:{kind}:{uuid.uuid4().hex}",
        recipient_kind="union",
        recipient_id=recipient_id,
        case_id=case_id,
        kind=kind,  # type: ignore[arg-type]
        step=Step.data_entry,
        deadline_kind="data_entry",
        due_at=now + timedelta(days=10),
        title="录入全国工会帮扶工作管理系统提醒",
        now=now,
    )
    assert CaseActivities(factory).send_inbox_entry(request).created
    with factory() as session:
        entry_id = session.scalar(
            select(InboxEntry.id).where(InboxEntry.dedup_key == request.dedup_key)
        )
    assert entry_id is not None
    return int(entry_id)


def test_list_by_case_newest_first(
    client: TestClient, session_factory: sessionmaker[Session], case_id: str
) -> None:
    start = datetime.now(UTC)
    older = send_entry(session_factory, case_id, created_at=start)
    newer = send_entry(
        session_factory, case_id, kind="overdue", created_at=start + timedelta(hours=1)
    )

    response = client.get("/api/v1/inbox", params={"case_id": case_id})

    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 2
    assert [item["id"] for item in page["items"]] == [newer, older]
    first = page["items"][0]
    assert first["kind"] == "overdue"
    assert first["kind_label"] == "逾期警示"
    assert first["step_label"] == "录入"
    assert first["state"] == "open"
    assert first["state_label"] == "待处理"
    assert first["recipient_id"] == CHAIN.authority_union_id


def test_list_filters_and_pages(
    client: TestClient, session_factory: sessionmaker[Session], case_id: str
) -> None:
    recipient = f"u-inbox-{uuid.uuid4().hex[:8]}"
    ids = [
        send_entry(session_factory, case_id, recipient_id=recipient) for _ in range(3)
    ]
    send_entry(session_factory, case_id)
    client.post(f"/api/v1/inbox/{ids[0]}/resolve", json={})

    open_entries = client.get(
        "/api/v1/inbox", params={"recipient_id": recipient, "state": "open"}
    ).json()
    first_page = client.get(
        "/api/v1/inbox", params={"recipient_id": recipient, "limit": 2}
    ).json()
    second_page = client.get(
        "/api/v1/inbox", params={"recipient_id": recipient, "limit": 2, "offset": 2}
    ).json()

    assert open_entries["total"] == 2
    assert {item["id"] for item in open_entries["items"]} == set(ids[1:])
    assert first_page["total"] == 3
    assert len(first_page["items"]) == 2
    assert len(second_page["items"]) == 1
    paged = {item["id"] for item in first_page["items"] + second_page["items"]}
    assert paged == set(ids)


def test_list_without_filter_rejected(client: TestClient) -> None:
    response = client.get("/api/v1/inbox")

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["query", "recipient_id"]


def test_list_unknown_state_rejected(client: TestClient, case_id: str) -> None:
    response = client.get("/api/v1/inbox", params={"case_id": case_id, "state": "x"})

    assert response.status_code == 422


def test_acknowledge_then_resolve(
    client: TestClient, session_factory: sessionmaker[Session], case_id: str
) -> None:
    entry_id = send_entry(session_factory, case_id)

    acknowledged = client.post(
        f"/api/v1/inbox/{entry_id}/acknowledge", json={"note": "本周内录入"}
    )
    resolved = client.post(
        f"/api/v1/inbox/{entry_id}/resolve", json={"note": "已录入，档案号 HB-001"}
    )

    assert acknowledged.status_code == 200, acknowledged.text
    assert acknowledged.json()["state"] == "acknowledged"
    assert acknowledged.json()["note"] == "本周内录入"
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["state"] == "resolved"
    assert resolved.json()["note"] == "本周内录入\n已录入，档案号 HB-001"
    with session_factory() as session:
        row = session.get(InboxEntry, entry_id)
        assert row is not None
        assert row.state == "resolved"
        assert row.updated_at >= row.created_at


def test_resolve_open_without_note(
    client: TestClient, session_factory: sessionmaker[Session], case_id: str
) -> None:
    entry_id = send_entry(session_factory, case_id)

    response = client.post(f"/api/v1/inbox/{entry_id}/resolve")

    assert response.status_code == 200, response.text
    assert response.json()["state"] == "resolved"
    assert response.json()["note"] is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("acknowledge", "acknowledge"),
        ("resolve", "acknowledge"),
        ("resolve", "resolve"),
    ],
)
def test_invalid_transition_conflicts(
    client: TestClient,
    session_factory: sessionmaker[Session],
    case_id: str,
    first: str,
    second: str,
) -> None:
    entry_id = send_entry(session_factory, case_id)
    assert (
        client.post(f"/api/v1/inbox/{entry_id}/{first}", json={"note": "知悉"})
    ).status_code == 200

    response = client.post(f"/api/v1/inbox/{entry_id}/{second}", json={"note": "再次"})

    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert "cannot become" in error["message"]
    assert "不能改为" in error["message_zh"]
    with session_factory() as session:
        row = session.get(InboxEntry, entry_id)
        assert row is not None
        assert row.note == "知悉"


def test_acknowledge_requires_note(
    client: TestClient, session_factory: sessionmaker[Session], case_id: str
) -> None:
    entry_id = send_entry(session_factory, case_id)

    response = client.post(f"/api/v1/inbox/{entry_id}/acknowledge", json={})

    assert response.status_code == 422


def test_unknown_entry_not_found(client: TestClient) -> None:
    acknowledge = client.post("/api/v1/inbox/999999999/acknowledge", json={"note": "x"})
    resolve = client.post("/api/v1/inbox/999999999/resolve", json={})

    assert acknowledge.status_code == 404
    assert resolve.status_code == 404
    assert acknowledge.json()["error"]["code"] == "not_found"
