"""A second stack on busy ports stops at once and leaves the first one alone."""

from __future__ import annotations

import socket

import pytest

from tests.stack.test_run_command import assert_stopped, config, start_stack  # noqa: F401

pytestmark = pytest.mark.stack


def test_busy_temporal_port_is_reported(config, start_stack) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", config.temporal_port))
        holder.listen()
        run = start_stack("--simulated")
        code = run.process.wait(60)
    assert code == 1
    assert f"port {config.temporal_port}" in run.output()
    assert "already in use" in run.output()
