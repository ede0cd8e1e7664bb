"""The printable public notice (第十九条) through the app, with a real workflow.

One worker serves the module on the time-skipping server. The posted case
is driven through the workflow to the public notice step, so the posting
period comes from the projection the workflow wrote.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.context import AppContext
from api.main import create_app
from core.db import transaction
from core.settings import Settings
from models.orm.cases import Case, CaseEventRecord
from models.orm.unions import TradeUnion
from services.assessments import assess_file
from services.cases import required_checklist
from services.notice import mask_id_number
from tests.conftest import HOUSEHOLDS_DIR
from workflows.case import CaseWorkflow
from workflows.case_models import (
    Action,
    Actor,
    CaseChain,
    CaseInput,
    DemocraticReview,
    InvestigationSignature,
    MaterialAction,
    workflow_id_for,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
UNION_NAME = "示例厂工会 <b>&</b>"


@pytest.fixture(scope="module")
def union_id(session_factory: sessionmaker[Session]) -> str:
    suffix = uuid.uuid4().hex[:8]
    province, grassroots = f"u-p-{suffix}", f"u-g-{suffix}"
    with transaction(session_factory) as session:
        session.add(TradeUnion(id=province, name="河北省总工会", level="province"))
        session.flush()
        session.add(
            TradeUnion(
                id=grassroots, name=UNION_NAME, level="grassroots", parent_id=province
            )
        )
    return grassroots


@pytest.fixture
async def api(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    time_skipping_env: WorkflowEnvironment,
) -> AsyncIterator[httpx.AsyncClient]:
    context = AppContext(
        settings=settings, engine=engine, session_factory=session_factory
    )
    context.use_client(time_skipping_env.client)
    app = create_app(settings, context=context)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test"
        ) as client:
            yield client


def household_file() -> dict[str, Any]:
    path = HOUSEHOLDS_DIR / "02-illness-slightly-above.json"
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    data.pop("expected", None)
    return data


def insert_case(
    factory: sessionmaker[Session], union_id: str, household: dict[str, Any]
) -> tuple[str, CaseChain, list[str]]:
    _, result = assess_file(household, today=date.today())
    checklist = required_checklist(result)
    chain = CaseChain(
        receiving_union_id=union_id,
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
                receiving_union_id=union_id,
                authority_union_id=chain.authority_union_id,
                responsible_union_id=union_id,
                applicant_member_id="m1",
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
    return case_id, chain, checklist


async def post_notice(
    client: Client,
    task_queue: str,
    case_id: str,
    chain: CaseChain,
    checklist: list[str],
) -> None:
    """Drive the case's workflow from application to a posted notice."""
    handle = await client.start_workflow(
        CaseWorkflow.run,
        CaseInput(case_id=case_id, chain=chain, required_materials=checklist),
        id=workflow_id_for(case_id),
        task_queue=task_queue,
    )

    def actor(staff_id: str = "s-notice") -> Actor:
        return Actor(
            staff_id=staff_id, union_id=chain.receiving_union_id, role="caseworker"
        )

    def plain() -> Action:
        return Action(request_id=uuid.uuid4().hex, actor=actor())

    for code in checklist:
        await handle.execute_update(
            CaseWorkflow.attach_material,
            MaterialAction(
                request_id=uuid.uuid4().hex,
                actor=actor(),
                item_code=code,
                material_id=f"mat-{code.replace(':', '-')}",
            ),
        )
    await handle.execute_update(CaseWorkflow.submit_application, plain())
    state = await handle.query(CaseWorkflow.state)
    today = state.events[-1].at.astimezone(SHANGHAI).date()
    for staff in ("s-visit-a", "s-visit-b"):
        await handle.execute_update(
            CaseWorkflow.sign_investigation,
            InvestigationSignature(
                request_id=uuid.uuid4().hex, actor=actor(staff), visited_on=today
            ),
        )
    await handle.execute_update(CaseWorkflow.complete_investigation, plain())
    await handle.execute_update(
        CaseWorkflow.record_democratic_review,
        DemocraticReview(
            request_id=uuid.uuid4().hex,
            actor=actor(),
            passed=True,
            votes_for=11,
            votes_against=0,
        ),
    )
    await handle.execute_update(CaseWorkflow.post_notice, plain())


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_mask_id_number() -> None:
    assert mask_id_number("130100197902209919") == "130100********9919"
    assert mask_id_number("81000019900101123X") == "810000********123X"
    assert mask_id_number("1234567890") == "**********"
    assert mask_id_number("") == ""


async def test_notice_content_before_posting(
    api: httpx.AsyncClient, session_factory: sessionmaker[Session], union_id: str
) -> None:
    household = household_file()
    case_id, _, _ = insert_case(session_factory, union_id, household)

    response = await api.get(f"/api/v1/cases/{case_id}/notice")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    text = visible_text(html)
    assert "<h1>困难职工公示</h1>" in html
    assert "李志强" in text
    assert "患病" in text
    for relation, name, age in (("本人", "李志强", 47), ("配偶", "李桂兰", 45)):
        assert relation in text
        assert name in text
        assert f"{age}岁" in text
    assert "子女" in text
    assert "32,400.00 元" in text
    assert "900.00 元" in text
    assert "自张贴之日起不少于 5 个工作日" in text
    assert "临时" not in text
    assert "异议" in text
    assert "@page" in html
    assert "A4" in html
    assert "<nav" not in html
    assert "<script" not in html


async def test_notice_masks_every_id_number(
    api: httpx.AsyncClient, session_factory: sessionmaker[Session], union_id: str
) -> None:
    household = household_file()
    case_id, _, _ = insert_case(session_factory, union_id, household)

    html = (await api.get(f"/api/v1/cases/{case_id}/notice")).text

    assert "130100********9812" in html
    for member in household["members"]:
        assert member["id_number"] not in html
        assert member["id_number"][6:14] not in html


async def test_notice_escapes_html(
    api: httpx.AsyncClient, session_factory: sessionmaker[Session], union_id: str
) -> None:
    household = household_file()
    household["members"][0]["name"] = "<script>alert('x')</script>李志强"
    household["members"][1]["name"] = 'A&B "桂兰"'
    case_id, _, _ = insert_case(session_factory, union_id, household)

    html = (await api.get(f"/api/v1/cases/{case_id}/notice")).text

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;李志强" in html
    assert "A&amp;B &#34;桂兰&#34;" in html
    assert "<b>&</b>" not in html
    assert "示例厂工会 &lt;b&gt;&amp;&lt;/b&gt;" in html


async def test_notice_unknown_case(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/cases/c-none/notice")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


async def test_notice_shows_posting_period(
    api: httpx.AsyncClient,
    session_factory: sessionmaker[Session],
    time_skipping_env: WorkflowEnvironment,
    worker: Worker,
    task_queue: str,
    union_id: str,
) -> None:
    case_id, chain, checklist = insert_case(session_factory, union_id, household_file())
    await post_notice(time_skipping_env.client, task_queue, case_id, chain, checklist)
    with transaction(session_factory) as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.due_kind == "public_notice"
        assert case.due_on is not None
        ends_on, provisional = case.due_on, case.due_provisional
        posting = session.scalar(
            select(CaseEventRecord).where(
                CaseEventRecord.case_id == case_id,
                CaseEventRecord.kind == "notice_posted",
            )
        )
        assert posting is not None
        posted_on = posting.at.astimezone(SHANGHAI).date()

    text = visible_text((await api.get(f"/api/v1/cases/{case_id}/notice")).text)

    ends_text = f"至 {ends_on.year} 年 {ends_on.month} 月 {ends_on.day} 日止"
    assert f"{ends_text}（不少于 5 个工作日）" in text
    assert (
        f"公示期自 {posted_on.year} 年 {posted_on.month} 月 {posted_on.day} 日起"
        in text
    )
    assert ("临时" in text) is provisional
