"""docker-compose.yml and the Dockerfile, checked without Docker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from temporalio.common import SearchAttributeIndexedValueType

from core.settings import Settings
from core.temporal import SEARCH_ATTRIBUTES

yaml = pytest.importorskip(
    "yaml", reason="PyYAML is pinned in requirements.lock; ./scripts/test installs it"
)

REPO_ROOT = Path(__file__).resolve().parents[2]
# Type names as `temporal operator search-attribute create --type` takes them.
SEARCH_ATTRIBUTE_TYPE_NAMES = {
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
    SearchAttributeIndexedValueType.KEYWORD_LIST: "KeywordList",
}
EXPECTED_SERVICES = {
    "postgresql",
    "temporal",
    "temporal-search-attributes",
    "temporal-ui",
    "migrate",
    "api",
    "worker",
}
APP_SERVICES = ("migrate", "api", "worker")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    return compose["services"]


def hardship_variables(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    return {
        key: str(value)
        for key, value in environment.items()
        if key.startswith("HARDSHIP_")
    }


def test_compose_has_every_service(services: dict[str, Any]) -> None:
    assert set(services) == EXPECTED_SERVICES


def test_compose_uses_official_images(services: dict[str, Any]) -> None:
    assert services["postgresql"]["image"].startswith("postgres:")
    assert services["temporal"]["image"].startswith("temporalio/auto-setup:")
    assert services["temporal-ui"]["image"].startswith("temporalio/ui:")
    for name in (*APP_SERVICES, "temporal-search-attributes"):
        assert services[name]["build"] == ".", name


def test_compose_health_checks(services: dict[str, Any]) -> None:
    assert "pg_isready" in " ".join(services["postgresql"]["healthcheck"]["test"])
    temporal_check = services["temporal"]["healthcheck"]["test"]
    assert "cluster" in temporal_check
    assert "health" in temporal_check
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])


def test_temporal_persists_to_postgresql(services: dict[str, Any]) -> None:
    environment = services["temporal"]["environment"]
    assert environment["DB"] == "postgres12"
    assert environment["POSTGRES_SEEDS"] == "postgresql"
    condition = services["temporal"]["depends_on"]["postgresql"]["condition"]
    assert condition == "service_healthy"


def test_app_services_wait_for_migrations(services: dict[str, Any]) -> None:
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    for name in ("api", "worker"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_hardship_variables_are_settings(services: dict[str, Any]) -> None:
    fields = set(Settings.model_fields)
    for name in APP_SERVICES:
        variables = hardship_variables(services[name])
        assert variables, f"{name} sets no HARDSHIP_ variable"
        names = {key.removeprefix("HARDSHIP_").lower() for key in variables}
        unknown = names - fields
        assert unknown == set(), f"{name} sets variables Settings does not read"


def test_app_services_run_in_production(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        variables = hardship_variables(services[name])
        assert variables["HARDSHIP_ENVIRONMENT"] == "production", name
        assert variables["HARDSHIP_ENCRYPTION_KEY"].startswith(
            "${HARDSHIP_ENCRYPTION_KEY:?"
        ), name
        assert variables["HARDSHIP_TEMPORAL_ADDRESS"] == "temporal:7233", name
        assert "@postgresql:5432/" in variables["HARDSHIP_DATABASE_URL"], name


def test_api_listens_on_all_interfaces(services: dict[str, Any]) -> None:
    api = services["api"]
    assert hardship_variables(api)["HARDSHIP_API_HOST"] == "0.0.0.0"
    assert api["command"] == ["api"]
    for port in api["ports"]:
        assert port.startswith("127.0.0.1:"), port


def test_search_attributes_match_code(services: dict[str, Any]) -> None:
    script = services["temporal-search-attributes"]["command"][0]
    registered = dict(re.findall(r"(Case\w+):(\w+)", script))
    expected = {
        key.name: SEARCH_ATTRIBUTE_TYPE_NAMES[key.indexed_value_type]
        for key in SEARCH_ATTRIBUTES
    }
    assert registered == expected


def test_dockerfile_runs_hardship_unprivileged() -> None:
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert "pip install -r requirements.lock" in dockerfile
    assert re.search(r"^USER (?!root)\w+$", dockerfile, re.MULTILINE)
    assert '\nENTRYPOINT ["hardship"]\n' in dockerfile
