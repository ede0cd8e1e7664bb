"""Union and staff endpoints through the real app, database and error envelope.

Requests commit, so every test builds its own small tree with unique ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.context import AppContext
from api.main import create_app
from core.settings import Settings


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
def suffix() -> str:
    return uuid.uuid4().hex[:8]


def _post(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def tree(client: TestClient, suffix: str) -> dict[str, str]:
    """A province, a city with a service center, a county, a township, and
    a grassroots union under the township, as a map of level to id."""
    ids = {
        "province": f"u-hb-{suffix}",
        "city": f"u-city-{suffix}",
        "county": f"u-county-{suffix}",
        "township": f"u-town-{suffix}",
        "grassroots": f"u-gr-{suffix}",
    }
    _post(
        client,
        "/api/v1/unions",
        {"id": ids["province"], "name": "河北省总工会", "level": "province"},
    )
    _post(
        client,
        "/api/v1/unions",
        {
            "id": ids["city"],
            "name": "示例市总工会",
            "level": "city",
            "parent_id": ids["province"],
            "has_service_center": True,
        },
    )
    _post(
        client,
        "/api/v1/unions",
        {
            "id": ids["county"],
            "name": "示例县总工会",
            "level": "county",
            "parent_id": ids["city"],
            "has_service_center": True,
            "region_code": "130000",
        },
    )
    _post(
        client,
        "/api/v1/unions",
        {
            "id": ids["township"],
            "name": "示例镇工会",
            "level": "township",
            "parent_id": ids["county"],
        },
    )
    _post(
        client,
        "/api/v1/unions",
        {
            "id": ids["grassroots"],
            "name": "示例厂工会",
            "level": "grassroots",
            "parent_id": ids["township"],
        },
    )
    return ids


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def test_create_union_returns_row(client: TestClient, tree: dict[str, str]) -> None:
    response = client.get(f"/api/v1/unions/{tree['county']}")

    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "county"
    assert body["level_label_zh"] == "县级工会"
    assert body["parent_id"] == tree["city"]
    assert body["has_service_center"] is True
    assert body["region_code"] == "130000"
    assert body["active"] is True
    assert body["created_at"]


def test_get_union_unknown(client: TestClient) -> None:
    error = _error(client.get("/api/v1/unions/u-missing"), 404)

    assert error["code"] == "unknown_union"
    assert error["message_zh"]


def test_list_unions_filters(client: TestClient, tree: dict[str, str]) -> None:
    children = client.get("/api/v1/unions", params={"parent_id": tree["county"]})
    townships = client.get(
        "/api/v1/unions", params={"parent_id": tree["county"], "level": "township"}
    )
    grassroots = client.get(
        "/api/v1/unions", params={"parent_id": tree["county"], "level": "grassroots"}
    )

    assert [u["id"] for u in children.json()] == [tree["township"]]
    assert [u["id"] for u in townships.json()] == [tree["township"]]
    assert grassroots.json() == []


def test_list_unions_bad_level(client: TestClient) -> None:
    error = _error(client.get("/api/v1/unions", params={"level": "village"}), 422)

    assert error["details"][0]["loc"] == ["query", "level"]


def test_chain_of_grassroots(client: TestClient, tree: dict[str, str]) -> None:
    response = client.get(f"/api/v1/unions/{tree['grassroots']}/chain")

    assert response.status_code == 200
    assert response.json() == {
        "receiving_union_id": tree["grassroots"],
        "review_union_id": tree["township"],
        "recheck_union_id": tree["county"],
        "authority_union_id": tree["county"],
        "lower_union_ids": [tree["grassroots"], tree["township"]],
    }


def test_chain_of_township_skips_review(
    client: TestClient, tree: dict[str, str]
) -> None:
    response = client.get(f"/api/v1/unions/{tree['township']}/chain")

    assert response.status_code == 200
    assert response.json()["review_union_id"] is None
    assert response.json()["authority_union_id"] == tree["county"]


def test_chain_of_province_conflict(client: TestClient, tree: dict[str, str]) -> None:
    error = _error(client.get(f"/api/v1/unions/{tree['province']}/chain"), 409)

    assert error["code"] == "not_a_receiving_union"
    assert "第三十条" in error["message_zh"]


def test_chain_without_authority(
    client: TestClient, tree: dict[str, str], suffix: str
) -> None:
    city_b = f"u-city-b-{suffix}"
    grassroots_b = f"u-gr-b-{suffix}"
    _post(
        client,
        "/api/v1/unions",
        {
            "id": city_b,
            "name": "样板市总工会",
            "level": "city",
            "parent_id": tree["province"],
        },
    )
    _post(
        client,
        "/api/v1/unions",
        {
            "id": grassroots_b,
            "name": "样板厂工会",
            "level": "grassroots",
            "parent_id": city_b,
        },
    )

    error = _error(client.get(f"/api/v1/unions/{grassroots_b}/chain"), 409)

    assert error["code"] == "no_authority"


def test_chain_unknown_union(client: TestClient) -> None:
    error = _error(client.get("/api/v1/unions/u-missing/chain"), 404)

    assert error["code"] == "unknown_union"


def test_create_union_duplicate(client: TestClient, tree: dict[str, str]) -> None:
    body = {"id": tree["province"], "name": "河北省总工会", "level": "province"}

    error = _error(client.post("/api/v1/unions", json=body), 409)

    assert error["code"] == "duplicate_id"


def test_create_union_wrong_parent_level(
    client: TestClient, tree: dict[str, str], suffix: str
) -> None:
    body = {
        "id": f"u-county-x-{suffix}",
        "name": "示例县总工会",
        "level": "county",
        "parent_id": tree["province"],
    }

    error = _error(client.post("/api/v1/unions", json=body), 422)

    assert error["code"] == "invalid_input"
    assert error["details"][0]["loc"] == ["parent_id"]
    assert "city" in error["details"][0]["fix"]


def test_create_union_unknown_parent(client: TestClient, suffix: str) -> None:
    body = {
        "id": f"u-gr-x-{suffix}",
        "name": "示例厂工会",
        "level": "grassroots",
        "parent_id": "u-missing",
    }

    error = _error(client.post("/api/v1/unions", json=body), 422)

    assert error["details"][0]["loc"] == ["parent_id"]
    assert error["details"][0]["fix"]


def test_create_union_service_center_on_township(
    client: TestClient, tree: dict[str, str], suffix: str
) -> None:
    body = {
        "id": f"u-town-x-{suffix}",
        "name": "示例镇工会",
        "level": "township",
        "parent_id": tree["county"],
        "has_service_center": True,
    }

    error = _error(client.post("/api/v1/unions", json=body), 422)

    assert error["details"][0]["loc"] == ["has_service_center"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"id": "u-x", "level": "province"}, ["name"]),
        ({"id": "u-x", "name": "示例", "level": "village"}, ["level"]),
        ({"id": "工会一", "name": "示例", "level": "province"}, ["id"]),
        ({"id": "13010519900307123X", "name": "示例", "level": "province"}, ["id"]),
        ({"id": "u-" + "x" * 40, "name": "示例", "level": "province"}, ["id"]),
        (
            {"id": "u-x", "name": "示例", "level": "province", "region_code": "13"},
            ["region_code"],
        ),
        ({"id": "u-x", "name": "示例", "level": "province", "extra": 1}, ["extra"]),
    ],
)
def test_create_union_invalid_body(
    client: TestClient, body: dict[str, Any], loc: list[str]
) -> None:
    error = _error(client.post("/api/v1/unions", json=body), 422)

    assert [detail["loc"] for detail in error["details"]] == [loc]


def test_staff_create_get_and_list(
    client: TestClient, tree: dict[str, str], suffix: str
) -> None:
    staff_id = f"s-cw-{suffix}"
    created = _post(
        client,
        "/api/v1/staff",
        {
            "id": staff_id,
            "name": "示例经办人",
            "union_id": tree["grassroots"],
            "role": "caseworker",
        },
    )

    fetched = client.get(f"/api/v1/staff/{staff_id}")
    listed = client.get(f"/api/v1/unions/{tree['grassroots']}/staff")

    assert created["role_label_zh"] == "经办人"
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert [s["id"] for s in listed.json()] == [staff_id]


def test_staff_unknown(client: TestClient) -> None:
    error = _error(client.get("/api/v1/staff/s-missing"), 404)

    assert error["code"] == "unknown_staff"


def test_staff_of_unknown_union(client: TestClient) -> None:
    error = _error(client.get("/api/v1/unions/u-missing/staff"), 404)

    assert error["code"] == "unknown_union"


def test_staff_duplicate_id(
    client: TestClient, tree: dict[str, str], suffix: str
) -> None:
    body = {
        "id": f"s-rv-{suffix}",
        "name": "示例审核人",
        "union_id": tree["township"],
        "role": "reviewer",
    }
    _post(client, "/api/v1/staff", body)

    error = _error(client.post("/api/v1/staff", json=body), 409)

    assert error["code"] == "duplicate_id"


def test_second_archive_manager_conflict(
    client: TestClient, tree: dict[str, str], suffix: str
) -> None:
    first = {
        "id": f"s-am1-{suffix}",
        "name": "示例档案管理员",
        "union_id": tree["county"],
        "role": "archive_manager",
    }
    second = {**first, "id": f"s-am2-{suffix}"}
    _post(client, "/api/v1/staff", first)

    error = _error(client.post("/api/v1/staff", json=second), 409)

    assert error["code"] == "archive_manager_exists"


def test_staff_unknown_union_field(client: TestClient, suffix: str) -> None:
    body = {
        "id": f"s-x-{suffix}",
        "name": "示例",
        "union_id": "u-missing",
        "role": "caseworker",
    }

    error = _error(client.post("/api/v1/staff", json=body), 422)

    assert error["details"][0]["loc"] == ["union_id"]
    assert error["details"][0]["fix"]


def test_staff_bad_role(client: TestClient, tree: dict[str, str], suffix: str) -> None:
    body = {
        "id": f"s-x-{suffix}",
        "name": "示例",
        "union_id": tree["county"],
        "role": "director",
    }

    error = _error(client.post("/api/v1/staff", json=body), 422)

    assert error["details"][0]["loc"] == ["role"]
