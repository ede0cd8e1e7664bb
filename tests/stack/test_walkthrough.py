"""The README walkthrough: a shared household file on the simulated stack."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.migrate import REPO_ROOT
from tests.conftest import HOUSEHOLDS_DIR
from tests.stack.test_run_command import assert_stopped, config, start_stack  # noqa: F401

pytestmark = pytest.mark.stack

WALKTHROUGH = REPO_ROOT / "scripts" / "walkthrough.py"


def test_walkthrough_on_simulated_stack(config, start_stack) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    run = start_stack("--simulated")
    run.wait_ready()
    household = HOUSEHOLDS_DIR / "01-dibao-household.json"
    result = subprocess.run(
        [sys.executable, str(WALKTHROUGH), str(household), "--api", config.api_url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout + run.output()
    lines = result.stdout.splitlines()
    assert any("公示期满" in line and "审核" in line for line in lines), result.stdout
    assert any("录入全国系统" in line and "entered" in line for line in lines), (
        result.stdout
    )
    assert any("困难职工认定结果" in line for line in lines), result.stdout

    again = subprocess.run(
        [sys.executable, str(WALKTHROUGH), str(household), "--api", config.api_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 1
    assert "409" in again.stderr
    assert_stopped(run, run.interrupt())
