"""Assessment and standards endpoints through the real app, database and envelope.

Requests commit, so every test that stores standards uses its own region.
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.context import AppContext
from api.main import create_app
from core.clock import SHANGHAI
from core.settings import Settings
from eligibility import RULES_VERSION
from models.schemas.assessments import AssessmentRead
from tests.conftest import HOUSEHOLDS_DIR
from tests.eligibility.builders import ASSESSMENT_DATE, household, id_number
from tests.eligibility.test_households import DECIDING_ARTICLES

FILES = sorted(path.name for path in HOUSEHOLDS_DIR.glob("*.json"))
EXPECTED_FIELDS = (
    "verdict",
    "categories",
    "exclusions",
    "members_counted",
    "per_capita_monthly_income",
)


class FixedClock:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    async def now(self) -> datetime:
        return self.instant


@pytest.fixture
def client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    context = AppContext(
        settings=settings, engine=engine, session_factory=session_factory
    )
    # Shortly after midnight in Shanghai, while the UTC date is the day before.
    context.use_clock(FixedClock(datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI)))
    with TestClient(create_app(settings, context=context)) as test_client:
        yield test_client


@pytest.fixture
def region(client: TestClient) -> str:
    """A stored region with standards from 2026-01-01 (dibao 850, wage 2200)."""
    code = f"测试区-{uuid.uuid4().hex[:8]}"
    response = client.post("/api/v1/regions", json={"code": code, "name": "测试区"})
    assert response.status_code == 201, response.text
    response = client.post(
        f"/api/v1/regions/{code}/standards",
        json={
            "effective_from": "2026-01-01",
            "dibao": "850.00",
            "minimum_wage": "2200.00",
            "source_document": "测试市人民政府关于调整城乡低保标准的通知",
        },
    )
    assert response.status_code == 201, response.text
    return code


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HOUSEHOLDS_DIR / name).read_text("utf-8"))
    return data


def _assess(client: TestClient, data: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/assessments", json=data)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _error_locs(client: TestClient, data: dict[str, Any]) -> list[list[Any]]:
    response = client.post("/api/v1/assessments", json=data)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    return [detail["loc"] for detail in error["details"]]


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


@pytest.mark.parametrize("name", FILES)
def test_shared_file_gives_expected(client: TestClient, name: str) -> None:
    data = _load(name)
    body = _assess(client, data)
    for field in EXPECTED_FIELDS:
        assert body[field] == data["expected"][field], field
    assert body["rules_version"] == RULES_VERSION


@pytest.mark.parametrize("name", FILES)
def test_stored_assessment_reads_back(client: TestClient, name: str) -> None:
    data = _load(name)
    created = _assess(client, data)
    response = client.get(f"/api/v1/assessments/{created['id']}")
    assert response.status_code == 200
    stored = response.json()
    assert stored == created
    for field in EXPECTED_FIELDS:
        assert stored[field] == data["expected"][field], field


@pytest.mark.parametrize("name", sorted(DECIDING_ARTICLES))
def test_explanation_names_deciding_articles(client: TestClient, name: str) -> None:
    body = _assess(client, _load(name))
    lines = "\n".join(body["explanation_lines"])
    deciding = "、".join(body["deciding_articles"])
    for article in DECIDING_ARTICLES[name]:
        assert article in deciding, article
        assert article in lines, article


def test_response_matches_schema(client: TestClient) -> None:
    body = _assess(client, _load(FILES[0]))
    read = AssessmentRead.model_validate(body)
    assert read.id == body["id"]
    assert body["explanation_lines"] == [item["text"] for item in body["explanations"]]
    assert all(item["figures"] is not None for item in body["explanations"])
    assert body["warnings"] == []


def test_extra_fields_accepted(client: TestClient) -> None:
    data = _load(FILES[0])
    data["caseworker_note"] = {"free": "text"}
    assert _assess(client, data)["verdict"] == data["expected"]["verdict"]


def test_unknown_assessment_404(client: TestClient) -> None:
    response = client.get(f"/api/v1/assessments/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_body_must_be_object(client: TestClient) -> None:
    response = client.post("/api/v1/assessments", json=[1, 2])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def _with_id(member_index: int, number: str) -> dict[str, Any]:
    data = household()
    data["members"][member_index]["id_number"] = number
    return data


SPOUSE_BIRTH = date(1986, 6, 6)
GOOD_SPOUSE_ID = id_number(SPOUSE_BIRTH, "female")
WRONG_CHECK = "1" if GOOD_SPOUSE_ID[-1] != "1" else "2"

INVALID_ID_NUMBERS = {
    "length": "13010019860606002",
    "format": "1301001986O6060026",
    "birth_date": "130100198602300020",
    "checksum": GOOD_SPOUSE_ID[:-1] + WRONG_CHECK,
    "sex_digit": id_number(SPOUSE_BIRTH, "male"),
    "fifteen_digits": "130100860606002",
    "birth_date_differs": id_number(date(1986, 6, 7), "female"),
}


@pytest.mark.parametrize("case", sorted(INVALID_ID_NUMBERS))
def test_invalid_id_number_422(client: TestClient, case: str) -> None:
    data = _with_id(1, INVALID_ID_NUMBERS[case])
    assert ["members", 1, "id_number"] in _error_locs(client, data)


def test_fifteen_digit_id_asks_for_18(client: TestClient) -> None:
    data = _with_id(1, INVALID_ID_NUMBERS["fifteen_digits"])
    response = client.post("/api/v1/assessments", json=data)
    messages = [detail["message"] for detail in response.json()["error"]["details"]]
    assert any("18-digit" in message for message in messages), messages


def test_unknown_district_warns(client: TestClient) -> None:
    data = _with_id(1, id_number(SPOUSE_BIRTH, "female", region="139999"))
    body = _assess(client, data)
    assert [warning["loc"] for warning in body["warnings"]] == [
        ["members", 1, "id_number"]
    ]
    assert body["warnings"][0]["code"] == "id_number_region_unknown"


def test_birth_date_differs_from_id(client: TestClient) -> None:
    data = household()
    data["members"][1]["birth_date"] = "1986-06-07"
    assert ["members", 1, "id_number"] in _error_locs(client, data)


@pytest.mark.parametrize(
    "path",
    [
        ("members", 0, "annual", "wages"),
        ("members", 0, "annual", "social_security"),
        ("special_expenses",),
        ("sudden_event", "expenses"),
        ("assets", "savings"),
        ("standards", "dibao"),
    ],
)
def test_negative_money_422(client: TestClient, path: tuple[str | int, ...]) -> None:
    data = household(sudden_event={"kind": "accident", "expenses": "100.00"})
    _set(data, path, "-1.00")
    assert list(path) in _error_locs(client, data)


def test_applicant_not_member_422(client: TestClient) -> None:
    data = household(applicant={"member": "m9"})
    assert ["applicant", "member"] in _error_locs(client, data)


def test_duplicate_member_ids_422(client: TestClient) -> None:
    data = household()
    data["members"][2]["id"] = "m2"
    assert ["members", 2, "id"] in _error_locs(client, data)


def test_future_assessment_date_422(client: TestClient) -> None:
    data = household(assessment_date=date(2026, 3, 11))
    assert _error_locs(client, data) == [["assessment_date"]]


def test_clock_date_is_shanghai(client: TestClient) -> None:
    # The clock reads 2026-03-10 00:30 in Shanghai, 2026-03-09 in UTC.
    assert _assess(client, household(assessment_date=ASSESSMENT_DATE))


def test_no_counted_member_422(client: TestClient) -> None:
    data = household()
    for record in data["members"]:
        record["excluded_status"] = "missing"
    assert ["members"] in _error_locs(client, data)


@pytest.mark.parametrize(
    ("path", "value", "loc"),
    [
        (("members", 0, "sex"), "unknown", ["members", 0, "sex"]),
        (("members", 1, "relation"), "cousin", ["members", 1, "relation"]),
        (("applicant", "employment"), "freelance", ["applicant", "employment"]),
        (("hardship_causes",), ["bad_luck"], ["hardship_causes", 0]),
        (("sudden_event",), {"kind": "meteor", "expenses": "1"}, None),
    ],
)
def test_unknown_enum_422(
    client: TestClient,
    path: tuple[str | int, ...],
    value: Any,
    loc: list[Any] | None,
) -> None:
    data = household()
    _set(data, path, value)
    expected = loc if loc is not None else ["sudden_event", "kind"]
    assert expected in _error_locs(client, data)


def test_region_only_file_uses_stored(client: TestClient, region: str) -> None:
    data = _load(FILES[0])
    data["standards"] = {"region": region}
    body = _assess(client, data)
    assert (
        body["per_capita_monthly_income"]
        == data["expected"]["per_capita_monthly_income"]
    )
    assert body["verdict"] == data["expected"]["verdict"]
    used = body["standards_used"]
    assert used["region"] == region
    assert used["dibao"] == "850.00"
    assert used["effective_from"] == "2026-01-01"
    assert used["source"] == "测试市人民政府关于调整城乡低保标准的通知"


def test_latest_standards_in_force_used(client: TestClient, region: str) -> None:
    response = client.post(
        f"/api/v1/regions/{region}/standards",
        json={
            "effective_from": "2026-03-01",
            "dibao": "900.00",
            "minimum_wage": "2300.00",
            "source_document": "第二次调整",
        },
    )
    assert response.status_code == 201, response.text
    data = household()
    data["standards"] = {"region": region}
    body = _assess(client, data)
    assert body["standards_used"]["dibao"] == "900.00"
    assert body["standards_used"]["effective_from"] == "2026-03-01"


def test_date_before_first_standard_422(client: TestClient, region: str) -> None:
    data = household(assessment_date=date(2025, 12, 31))
    data["standards"] = {"region": region}
    response = client.post("/api/v1/assessments", json=data)
    assert response.status_code == 422
    error = response.json()["error"]
    assert [detail["loc"] for detail in error["details"]] == [
        ["standards", "effective_from"]
    ]
    assert region in error["message"]
    assert "2026-01-01" in error["message"]


def test_unknown_region_422(client: TestClient) -> None:
    data = household()
    data["standards"] = {"region": f"无此地区-{uuid.uuid4().hex[:6]}"}
    assert _error_locs(client, data) == [["standards", "region"]]


def test_region_only_work_standards(client: TestClient, region: str) -> None:
    data = _load("11-migrant-worker.json")
    expected = data["expected"]
    data["work_standards"] = {"region": region}
    body = _assess(client, data)
    assert body["categories"] == expected["categories"]
    assert body["standards_used"]["region"] == region


def test_missing_standards_422(client: TestClient) -> None:
    data = household()
    del data["standards"]
    assert _error_locs(client, data) == [["standards"]]


# Standards store through the API.


def test_regions_list_and_read(client: TestClient, region: str) -> None:
    codes = [item["code"] for item in client.get("/api/v1/regions").json()]
    assert region in codes
    rows = client.get(f"/api/v1/regions/{region}/standards").json()
    assert [row["effective_from"] for row in rows] == ["2026-01-01"]
    assert rows[0]["dibao"] == "850.00"
    assert rows[0]["low_income_line"] is None


def test_child_region_needs_parent(client: TestClient) -> None:
    response = client.post(
        "/api/v1/regions",
        json={
            "code": f"子区-{uuid.uuid4().hex[:6]}",
            "name": "子区",
            "parent_code": "无",
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["parent_code"]


def test_duplicate_region_409(client: TestClient, region: str) -> None:
    response = client.post("/api/v1/regions", json={"code": region, "name": "重复"})
    assert response.status_code == 409


STANDARDS = {
    "effective_from": "2027-01-01",
    "dibao": "850.00",
    "minimum_wage": "2200.00",
    "source_document": "通知",
}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dibao": "0"}, "dibao"),
        ({"minimum_wage": "-5.00"}, "minimum_wage"),
        ({"rural_dibao": "0.00"}, "rural_dibao"),
        ({"low_income_line": "800.00"}, "low_income_line"),
        ({"dibao": "850.001"}, "dibao"),
    ],
)
def test_bad_standards_422(
    client: TestClient, region: str, changes: dict[str, str], field: str
) -> None:
    body = {**copy.deepcopy(STANDARDS), **changes}
    response = client.post(f"/api/v1/regions/{region}/standards", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["loc"] == [field]


def test_duplicate_standards_409(client: TestClient, region: str) -> None:
    body = {**STANDARDS, "effective_from": "2026-01-01"}
    response = client.post(f"/api/v1/regions/{region}/standards", json=body)
    assert response.status_code == 409
    assert "2026-01-01" in response.json()["error"]["message"]


def test_standards_unknown_region_404(client: TestClient) -> None:
    response = client.post("/api/v1/regions/无此地区/standards", json=STANDARDS)
    assert response.status_code == 404
    assert client.get("/api/v1/regions/无此地区/standards").status_code == 404


def test_writes_forbidden_in_production(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    production = Settings(
        environment="production",
        encryption_key=base64.b64encode(b"k" * 32).decode(),
    )
    context = AppContext(
        settings=production, engine=engine, session_factory=session_factory
    )
    with TestClient(create_app(production, context=context)) as test_client:
        response = test_client.post(
            "/api/v1/regions", json={"code": "禁止", "name": "禁止"}
        )
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "admin_endpoints_disabled"
        assert "administrator" in error["message"]
        response = test_client.post("/api/v1/regions/禁止/standards", json=STANDARDS)
        assert response.status_code == 403
        assert test_client.get("/api/v1/regions").status_code == 200
