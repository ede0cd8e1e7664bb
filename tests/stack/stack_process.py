"""Start `python -m core run` as a subprocess and watch its process tree."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

from core.migrate import REPO_ROOT

READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(base_url: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": target.database},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
    finally:
        admin.dispose()


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`, found from the parent ids in /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces.
        fields = stat.rpartition(")")[2].split()
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def is_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class StackConfig:
    """Ports, data directory and databases of one test's stack, kept across runs."""

    data_dir: Path
    database_url: str
    simulated_database_url: str
    api_port: int = field(default_factory=free_port)
    temporal_port: int = field(default_factory=free_port)
    ui_port: int = field(default_factory=free_port)
    task_queue: str = field(default_factory=lambda: f"stack-{uuid.uuid4().hex[:8]}")

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def temporal_address(self) -> str:
        return f"127.0.0.1:{self.temporal_port}"

    def environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("HARDSHIP_")
        }
        env.update(
            {
                "HARDSHIP_ENVIRONMENT": "development",
                "HARDSHIP_DATA_DIR": str(self.data_dir),
                "HARDSHIP_DATABASE_URL": self.database_url,
                "HARDSHIP_SIMULATED_DATABASE_URL": self.simulated_database_url,
                "HARDSHIP_API_PORT": str(self.api_port),
                "HARDSHIP_TEMPORAL_ADDRESS": self.temporal_address,
                "HARDSHIP_TEMPORAL_UI_PORT": str(self.ui_port),
                "HARDSHIP_TASK_QUEUE": self.task_queue,
                "PYTHONPATH": str(REPO_ROOT),
            }
        )
        return env


class StackRun:
    """One `python -m core run` process, its output kept in a log file."""

    def __init__(self, config: StackConfig, *args: str) -> None:
        self.config = config
        self.log_path = config.data_dir.parent / f"stack-{uuid.uuid4().hex[:6]}.log"
        self._log = self.log_path.open("wb")
        # Started from a directory of its own, so no .env file is read.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core", "run", *args],
            cwd=config.data_dir.parent,
            env=config.environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.children: set[int] = set()

    def output(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self) -> httpx.Response:
        """Poll /readyz until it returns 200; fail with the stack's output if not."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the stack exited with code {self.process.returncode} before "
                    f"it was ready:\n{self.output()}"
                )
            try:
                response = httpx.get(f"{self.config.api_url}/readyz", timeout=5)
                if response.status_code == 200:
                    self.children = descendants(self.process.pid)
                    return response
                last = f"{response.status_code} {response.text}"
            except httpx.TransportError as exc:
                last = repr(exc)
            time.sleep(0.5)
        raise AssertionError(
            f"/readyz did not return 200 within {READY_TIMEOUT_SECONDS:.0f} s "
            f"(last: {last}):\n{self.output()}"
        )

    def interrupt(self) -> int:
        """Send SIGINT, as Ctrl-C does, and return the exit code."""
        self.children |= descendants(self.process.pid)
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(
                f"the stack did not stop within {STOP_TIMEOUT_SECONDS:.0f} s "
                f"of SIGINT:\n{self.output()}"
            ) from exc
        finally:
            self._log.close()

    def kill(self) -> None:
        """Kill whatever is left of the stack after a failed test."""
        for pid in self.children | descendants(self.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._log.close()
