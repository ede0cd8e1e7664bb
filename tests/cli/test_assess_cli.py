"""`hardship assess`, run as a subprocess like an operator runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.db import transaction
from core.migrate import REPO_ROOT
from models.schemas.standards import RegionCreate, StandardsCreate
from services.standards import add_standards, create_region
from tests.conftest import HOUSEHOLDS_DIR, TEST_DATABASE_URL

FILES = sorted(HOUSEHOLDS_DIR.glob("*.json"))
# Nothing listens on port 1 of the loopback address.
UNREACHABLE_DATABASE_URL = "postgresql+psycopg2://postgres@127.0.0.1:1/absent"


def run_assess(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HARDSHIP_")
    }
    env.update(
        environment,
        PYTHONPATH=str(REPO_ROOT),
        HARDSHIP_DATABASE_URL=environment.get(
            "HARDSHIP_DATABASE_URL", UNREACHABLE_DATABASE_URL
        ),
    )
    return subprocess.run(
        [sys.executable, "-m", "core", "assess", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _expected(path: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(path.read_text("utf-8"))["expected"]
    return expected


def test_json_one_line_per_file() -> None:
    completed = run_assess("--json", *map(str, FILES))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == len(FILES)
    for path, line in zip(FILES, lines, strict=True):
        result = json.loads(line)
        for field, value in _expected(path).items():
            assert result[field] == value, (path.name, field)
        assert result["explanation_lines"] == [
            item["text"] for item in result["explanations"]
        ]


def test_json_keeps_given_order() -> None:
    reversed_files = list(reversed(FILES))
    completed = run_assess("--json", *map(str, reversed_files))
    assert completed.returncode == 0, completed.stderr
    incomes = [
        json.loads(line)["per_capita_monthly_income"]
        for line in completed.stdout.splitlines()
    ]
    expected = [_expected(path)["per_capita_monthly_income"] for path in reversed_files]
    assert incomes == expected


def test_text_shows_verdict_and_lines() -> None:
    completed = run_assess(*map(str, FILES))
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    for path in FILES:
        expected = _expected(path)
        header = next(line for line in out.splitlines() if line.startswith(str(path)))
        assert f"({expected['verdict']})" in header, header
    assert out.count("人均月收入 per-capita monthly income") == len(FILES)
    assert "  第四条（二）、第十一条（一）：" in out
    assert "符合困难职工家庭认定条件 (eligible)" in out
    assert "不符合困难职工家庭认定条件 (not_eligible)" in out


def test_invalid_file_exit_1(tmp_path: Path) -> None:
    data = json.loads(FILES[0].read_text("utf-8"))
    data["members"][1]["id_number"] = "130100820803992"
    data["applicant"]["member"] = "m9"
    bad = tmp_path / "bad-household.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), "utf-8")

    completed = run_assess("--json", str(FILES[0]), str(bad), str(FILES[1]))
    assert completed.returncode == 1
    assert len(completed.stdout.splitlines()) == 2
    errors = completed.stderr.splitlines()
    assert f"{bad}: members.1.id_number: " in completed.stderr, errors
    assert f"{bad}: applicant.member: " in completed.stderr, errors
    assert "18-digit" in completed.stderr


def test_unreadable_files_exit_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    missing = tmp_path / "missing.json"
    completed = run_assess(str(broken), str(missing))
    assert completed.returncode == 1
    assert f"{broken}: invalid: the file is not valid UTF-8 JSON" in completed.stderr
    assert f"{missing}: invalid: cannot read the file" in completed.stderr


def _region_only(tmp_path: Path, region: str) -> Path:
    data = json.loads(FILES[0].read_text("utf-8"))
    data["standards"] = {"region": region}
    path = tmp_path / "region-only.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_region_only_without_database(tmp_path: Path) -> None:
    path = _region_only(tmp_path, "示例市示例区")
    completed = run_assess(str(path))
    assert completed.returncode == 1
    assert "unreachable" in completed.stderr
    assert "127.0.0.1:1" in completed.stderr


def test_region_only_reads_database(
    tmp_path: Path, db_schema: str, session_factory: sessionmaker[Session]
) -> None:
    region = f"命令行区-{uuid.uuid4().hex[:8]}"
    with transaction(session_factory) as session:
        create_region(session, RegionCreate(code=region, name="命令行区"))
        add_standards(
            session,
            region,
            StandardsCreate(
                effective_from=date(2026, 1, 1),
                dibao="850.00",
                minimum_wage="2200.00",
                source_document="测试通知",
            ),
        )
    url = f"{TEST_DATABASE_URL}?options={quote(f'-csearch_path={db_schema}')}"
    path = _region_only(tmp_path, region)

    completed = run_assess("--json", str(path), HARDSHIP_DATABASE_URL=url)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert (
        result["per_capita_monthly_income"]
        == _expected(FILES[0])["per_capita_monthly_income"]
    )
    assert result["standards_used"]["region"] == region


@pytest.mark.parametrize("flag", ["--json", None])
def test_no_file_is_usage_error(flag: str | None) -> None:
    completed = run_assess(*([flag] if flag else []))
    assert completed.returncode == 2
    assert "FILE" in completed.stderr
